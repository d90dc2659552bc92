using System.Security.Cryptography;
using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Erasure;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>What a put stored.</summary>
    public sealed class PutResult
    {
        public PutResult(ShardManifest manifest, long storedBytes)
        {
            Manifest = manifest;
            StoredBytes = storedBytes;
        }

        public ShardManifest Manifest { get; }

        public string FileId => Manifest.FileIdText;

        /// <summary>Bytes of all shards written.</summary>
        public long StoredBytes { get; }
    }

    /// <summary>
    /// file → segments → AES-256-GCM → Reed-Solomon stripes → n content-addressed shards + manifest,
    /// and back. Streams: memory is one stripe (about n/k × segment size), never the whole file.
    /// </summary>
    public sealed class ShardPipeline
    {
        private readonly ShardStore _store;
        private readonly UserKeys _keys;

        public ShardPipeline(ShardStore store, UserKeys keys)
        {
            _store = store;
            _keys = keys;
        }

        /// <summary>
        /// Encrypts and stores <paramref name="path"/>. The quota is checked for all shards before any
        /// byte is written; on any failure nothing is left in the store. <paramref name="progress"/>
        /// receives plaintext bytes done.
        /// </summary>
        public PutResult Put(
            string path,
            int dataShards = ErasureLimits.DefaultDataShards,
            int parityShards = ErasureLimits.DefaultParityShards,
            int segmentBytes = ShardLimits.DefaultSegmentBytes,
            Action<long>? progress = null,
            CancellationToken cancellation = default)
        {
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
            return Put(input, path, dataShards, parityShards, segmentBytes, progress, cancellation);
        }

        /// <summary>
        /// Stores the rest of a seekable <paramref name="input"/> (its length fixes the layout, so stdin is
        /// spooled first); <paramref name="path"/> names it in errors. Otherwise as the path overload.
        /// </summary>
        public PutResult Put(
            Stream input,
            string path,
            int dataShards,
            int parityShards,
            int segmentBytes,
            Action<long>? progress,
            CancellationToken cancellation)
        {
            if (segmentBytes < ShardLimits.MinSegmentBytes || segmentBytes > ShardLimits.MaxSegmentBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(segmentBytes));
            }

            var rs = new ReedSolomon(dataShards, parityShards, VectorGaloisKernel.Instance);
            int n = rs.TotalShards;
            var layout = new ShardLayout(input.Length - input.Position, segmentBytes, dataShards, n);
            using var set = _store.BeginShardSet(n, layout.ShardBytes);

            byte[] fileId = RandomNumberGenerator.GetBytes(ShardLimits.FileIdBytes);
            byte[] fileKey = RandomNumberGenerator.GetBytes(ShardLimits.KeyBytes);
            byte[] wrapped = SegmentCrypto.WrapKey(_keys.KeyWrapKey, fileId, fileKey);
            for (int i = 0; i < n; i++)
            {
                set.Write(i, ShardHeader.Create(fileId, i, dataShards, n), 0, ShardHeader.Bytes);
            }

            byte[] stripe = new byte[n * layout.MaxPieceBytes];
            long done = 0;
            using (var aes = new AesGcm(fileKey, ShardLimits.TagBytes))
            {
                CryptographicOperations.ZeroMemory(fileKey);
                for (long s = 0; s < layout.SegmentCount; s++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    int plain = layout.PlainBytes(s);
                    int piece = layout.PieceBytes(s);
                    if (input.ReadAtLeast(stripe.AsSpan(0, plain), plain, throwOnEndOfStream: false) != plain)
                    {
                        throw new ShardException(path + " shrank while it was read; nothing stored");
                    }

                    SegmentCrypto.EncryptSegment(aes, fileId, s, s == layout.SegmentCount - 1, stripe, plain);
                    int cipher = plain + ShardLimits.TagBytes;
                    Array.Clear(stripe, cipher, dataShards * piece - cipher);
                    rs.Encode(stripe, 0, piece);
                    for (int i = 0; i < n; i++)
                    {
                        set.Write(i, stripe, i * piece, piece);
                    }

                    done += plain;
                    progress?.Invoke(done);
                }
            }

            ShardManifest? manifest = null;
            set.Commit(Convert.ToHexStringLower(fileId), ids =>
            {
                manifest = new ShardManifest(fileId, layout.FileBytes, segmentBytes, dataShards, n, DateTimeOffset.UtcNow, wrapped, ids);
                return manifest.Serialize(_keys.ManifestKey);
            });
            return new PutResult(manifest!, layout.TotalBytes);
        }

        /// <summary>Reads and authenticates the manifest of a held file.</summary>
        public ShardManifest ReadManifest(string fileId)
        {
            byte[] body = _store.TryGetManifest(fileId) ?? throw new UnknownFileException(fileId);
            var manifest = ShardManifest.Parse(body, _keys.ManifestKey);
            if (manifest.FileIdText != fileId)
            {
                throw new ShardException("manifest stored under " + fileId + " belongs to file " + manifest.FileIdText);
            }

            return manifest;
        }

        /// <summary>
        /// Rebuilds a file from any k intact shards into <paramref name="outputPath"/>, via a temp file in
        /// the same directory renamed at the end (never a partial output). Shards failing their hash are
        /// quarantined by the store and skipped. Returns the file's size.
        /// </summary>
        public long Get(string fileId, string outputPath, Action<long>? progress = null, CancellationToken cancellation = default)
        {
            string full = Path.GetFullPath(outputPath);
            string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".part");
            try
            {
                long size;
                using (var output = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 }))
                {
                    size = Get(fileId, output, progress, cancellation);
                    output.Flush(true);
                }

                File.Move(temp, full, true);
                return size;
            }
            finally
            {
                File.Delete(temp);
            }
        }

        /// <summary>
        /// Rebuilds a file into <paramref name="output"/> segment by segment, each written only once it
        /// authenticates (stdout for <c>aether get -o -</c>; a failure part-way leaves the earlier segments).
        /// </summary>
        public long Get(string fileId, Stream output, Action<long>? progress, CancellationToken cancellation)
        {
            var manifest = ReadManifest(fileId);
            var layout = manifest.Layout;
            int k = manifest.DataShards;
            int n = manifest.TotalShards;
            var shards = new Stream?[n];
            var present = new bool[n];
            try
            {
                int count = 0;
                for (int i = 0; i < n && count < k; i++)
                {
                    var s = _store.TryOpenShard(manifest.ShardIds[i]);
                    if (s != null && s.Length == layout.ShardBytes)
                    {
                        shards[i] = s;
                        present[i] = true;
                        count++;
                    }
                    else
                    {
                        s?.Dispose();
                    }
                }

                if (count < k)
                {
                    throw new InsufficientShardsException(fileId, count, n, k);
                }

                byte[] header = new byte[ShardHeader.Bytes];
                for (int i = 0; i < n; i++)
                {
                    if (shards[i] != null)
                    {
                        shards[i]!.ReadExactly(header);
                        if (!ShardHeader.Matches(header, manifest.FileId, i, k, n))
                        {
                            throw new ShardException("shard " + i + " of file " + fileId + " has a header for another file or index");
                        }
                    }
                }

                byte[] fileKey = SegmentCrypto.UnwrapKey(_keys.KeyWrapKey, manifest.FileId, manifest.WrappedKey);
                var rs = new ReedSolomon(k, n - k, VectorGaloisKernel.Instance);
                bool needsDecode = false;
                for (int i = 0; i < k; i++)
                {
                    needsDecode |= !present[i];
                }

                byte[] stripe = new byte[n * layout.MaxPieceBytes];
                long done = 0;
                using (var aes = new AesGcm(fileKey, ShardLimits.TagBytes))
                {
                    CryptographicOperations.ZeroMemory(fileKey);
                    for (long s = 0; s < layout.SegmentCount; s++)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        int piece = layout.PieceBytes(s);
                        for (int i = 0; i < n; i++)
                        {
                            shards[i]?.ReadExactly(stripe, i * piece, piece);
                        }

                        if (needsDecode)
                        {
                            rs.Reconstruct(stripe, 0, piece, present, rebuildParity: false);
                        }

                        int plain = layout.PlainBytes(s);
                        if (!SegmentCrypto.TryDecryptSegment(aes, manifest.FileId, s, s == layout.SegmentCount - 1, stripe, plain))
                        {
                            throw new ShardException("segment " + s + " of file " + fileId + " failed authentication");
                        }

                        output.Write(stripe, 0, plain);
                        done += plain;
                        progress?.Invoke(done);
                    }

                    output.Flush();
                }

                return layout.FileBytes;
            }
            finally
            {
                foreach (var s in shards)
                {
                    s?.Dispose();
                }
            }
        }
    }
}
