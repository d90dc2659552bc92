using System.Security.Cryptography;
using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Erasure;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// file → segments → AES-256-GCM → Reed-Solomon stripes → n content-addressed shards + manifest,
    /// and back. Puts stream through <see cref="StripeEngine"/> across cores; memory is a ring of a
    /// few stripes (about n/k × segment size each), never the whole file.
    /// </summary>
    public sealed class ShardPipeline
    {
        private readonly ShardStore _store;
        private readonly UserKeys _keys;
        private readonly PutStages _stages;
        private readonly ShardStore? _readAlso;

        /// <param name="readAlso">A second store gets read from (a get's fetched shards); puts never write there.</param>
        public ShardPipeline(ShardStore store, UserKeys keys, PutStages? stages = null, ShardStore? readAlso = null)
        {
            _store = store;
            _keys = keys;
            _stages = stages ?? PutStages.Shared;
            _readAlso = readAlso;
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
            CancellationToken cancellation = default) =>
            PutMany(new[] { new PutSource(path) }, dataShards, parityShards, segmentBytes, progress, cancellation)[0];

        /// <summary>
        /// Stores the rest of a seekable file stream <paramref name="input"/> (its length fixes the layout,
        /// so stdin is spooled first); <paramref name="path"/> names it in errors. Otherwise as the path overload.
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
            if (input is not FileStream file)
            {
                throw new ArgumentException("put reads a file stream (spool other streams to a file first)", nameof(input));
            }

            return PutMany(new[] { new PutSource(file, path) }, dataShards, parityShards, segmentBytes, progress, cancellation)[0];
        }

        /// <summary>
        /// Puts many files in one pass (one hold of the store's writers' lock, stripes of all files
        /// flowing through the same pipeline, commits grouped). The quota is checked for all of them
        /// before a byte is written (with <paramref name="routing"/>: for the shards the plan keeps here). Each file ends either complete (manifest and every shard indexed
        /// together) or absent: a failure or kill keeps the files committed before it, and nothing of
        /// the others. Results are in input order. With <paramref name="routing"/>, the shards it gives a sink are
        /// streamed to their holders while encoded, and each file's manifest is committed once they acknowledged them.
        /// </summary>
        public IReadOnlyList<PutResult> PutMany(
            IReadOnlyList<PutSource> files,
            int dataShards = ErasureLimits.DefaultDataShards,
            int parityShards = ErasureLimits.DefaultParityShards,
            int segmentBytes = ShardLimits.DefaultSegmentBytes,
            Action<long>? progress = null,
            CancellationToken cancellation = default,
            IShardRouting? routing = null)
        {
            if (segmentBytes < ShardLimits.MinSegmentBytes || segmentBytes > ShardLimits.MaxSegmentBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(segmentBytes));
            }

            string? codeError = ErasureLimits.ValidationError(dataShards, parityShards);
            if (codeError != null)
            {
                throw new ArgumentException(codeError);
            }

            if (files.Count == 0)
            {
                return Array.Empty<PutResult>();
            }

            // Content already stored (by this user) gets a name, not shards.
            var dedup = new ContentDedup(_store, _keys);
            var sizes = new Dictionary<long, int>();
            foreach (var f in files)
            {
                sizes[f.Length] = sizes.GetValueOrDefault(f.Length) + 1;
            }

            var results = new PutResult?[files.Count];
            var fresh = new List<PutSource>();
            var freshAt = new List<int>();
            var firstByTag = new Dictionary<string, int>(StringComparer.Ordinal);
            var later = new List<(int At, int First)>();
            for (int i = 0; i < files.Count; i++)
            {
                var f = files[i];
                if (dedup.MayHold(f.Length) || sizes[f.Length] > 1)
                {
                    byte[] tag = TagOf(f, segmentBytes, cancellation);
                    if (dedup.Find(f.Length, tag) is { } stored)
                    {
                        results[i] = dedup.AddName(stored, f.RecordedPath);
                        continue;
                    }

                    if (firstByTag.TryGetValue(Convert.ToHexStringLower(tag), out int first))
                    {
                        later.Add((i, first));
                        continue;
                    }

                    firstByTag[Convert.ToHexStringLower(tag)] = i;
                }

                fresh.Add(f);
                freshAt.Add(i);
            }

            if (fresh.Count > 0)
            {
                long need = 0;
                foreach (var f in fresh)
                {
                    var layout = new ShardLayout(f.Length, segmentBytes, dataShards, dataShards + parityShards);
                    need += routing == null ? layout.TotalBytes : routing.PlannedLocal(layout) * layout.ShardBytes;
                }

                using var batch = _store.BeginBatch(need);
                var put = new StripeEngine(batch, _keys, _stages, fresh, dataShards, parityShards, segmentBytes, progress, cancellation, routing).Run();
                for (int j = 0; j < put.Length; j++)
                {
                    results[freshAt[j]] = put[j];
                }
            }

            foreach (var (at, first) in later)
            {
                results[at] = dedup.AddName(results[first]!.Manifest, files[at].RecordedPath);
            }

            return results.Select(r => r!).ToList();
        }

        private byte[] TagOf(PutSource source, int segmentBytes, CancellationToken cancellation)
        {
            if (source.Handle != null)
            {
                return ContentTag.Of(_keys.ContentKey, source.Handle, source.Offset, source.Length, segmentBytes, cancellation);
            }

            using var handle = File.OpenHandle(source.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            return ContentTag.Of(_keys.ContentKey, handle, 0, source.Length, segmentBytes, cancellation);
        }

        /// <summary>
        /// Puts every regular file under <paramref name="folder"/>, recursively, recording each one's
        /// path relative to the folder's parent ("photos/2024/a.jpg" for folder "~/photos"), '/'-separated,
        /// in ordinal order. Symbolic links to folders are not followed.
        /// </summary>
        public IReadOnlyList<PutResult> PutFolder(
            string folder,
            int dataShards = ErasureLimits.DefaultDataShards,
            int parityShards = ErasureLimits.DefaultParityShards,
            int segmentBytes = ShardLimits.DefaultSegmentBytes,
            Action<long>? progress = null,
            CancellationToken cancellation = default) =>
            PutMany(FolderSources(folder), dataShards, parityShards, segmentBytes, progress, cancellation);

        /// <summary>The files <see cref="PutFolder"/> puts, with the paths it records.</summary>
        public static IReadOnlyList<PutSource> FolderSources(string folder)
        {
            string root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
            string parent = Path.GetDirectoryName(root) ?? root;
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            var paths = Directory.EnumerateFiles(root, "*", options).ToList();
            paths.Sort(StringComparer.Ordinal);
            var sources = new List<PutSource>(paths.Count);
            foreach (string p in paths)
            {
                sources.Add(new PutSource(p, Path.GetRelativePath(parent, p).Replace(Path.DirectorySeparatorChar, '/')));
            }

            return sources;
        }

        /// <summary>The relative path a folder put recorded for a held file, or null when it was put alone.</summary>
        public string? ReadPath(string fileId)
        {
            return SegmentCrypto.OpenPath(ReadManifest(fileId), _keys.KeyWrapKey);
        }

        /// <summary>Reads and authenticates the manifest of a held file.</summary>
        public ShardManifest ReadManifest(string fileId)
        {
            byte[] body = _store.TryGetManifest(fileId) ?? _readAlso?.TryGetManifest(fileId) ?? throw new UnknownFileException(fileId);
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
                    var s = _store.TryOpenShard(manifest.ShardIds[i]) ?? _readAlso?.TryOpenShard(manifest.ShardIds[i]);
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
