using System.Security.Cryptography;
using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Erasure;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Repair
{
    /// <summary>A shard cannot be rebuilt: too few inputs, an input of another file or size, or a result whose hash the manifest does not list.</summary>
    public sealed class RepairException : ShardException
    {
        public RepairException(string message)
            : base(message)
        {
        }
    }

    /// <summary>
    /// Rebuilds lost shards of a file from any k others WITHOUT the user key: Reed-Solomon runs on the
    /// ciphertext pieces, stripe by stripe, exactly as put laid them out (Shards/README.md), and the
    /// header is recomputed from the manifest's file id, index, k and n. The result is accepted only if
    /// its SHA-256 is the id the manifest lists for that index, so the bytes are identical to the lost
    /// shard's or nothing is produced. Memory is one stripe.
    /// </summary>
    public static class ShardRebuilder
    {
        /// <summary>
        /// Writes shards <paramref name="targets"/> to new files in <paramref name="tempDir"/> and returns
        /// their paths (same order). <paramref name="inputs"/> maps shard index to a readable stream at
        /// its start; the first k by index are used. Throws <see cref="RepairException"/>; leaves no file then.
        /// </summary>
        public static string[] Rebuild(ShardManifest layout, IReadOnlyDictionary<int, Stream> inputs, int[] targets, string tempDir)
        {
            int k = layout.DataShards;
            int n = layout.TotalShards;
            string file = Convert.ToHexStringLower(layout.FileId);
            if (inputs.Count < k)
            {
                throw new RepairException("file " + file + ": only " + inputs.Count + " of " + n + " shards available; " + k + " needed to rebuild");
            }

            var used = inputs.Keys.Where(i => i >= 0 && i < n).OrderBy(i => i).Take(k).ToArray();
            if (used.Length < k || targets.Length == 0 || targets.Any(t => t < 0 || t >= n || used.Contains(t)))
            {
                throw new RepairException("file " + file + ": shard indexes out of range or rebuilding a shard that is an input");
            }

            var shards = layout.Layout;
            var present = new bool[n];
            byte[] header = new byte[ShardHeader.Bytes];
            foreach (int i in used)
            {
                var s = inputs[i];
                if (s.Length - s.Position != shards.ShardBytes)
                {
                    throw new RepairException("file " + file + ": shard " + i + " has " + (s.Length - s.Position) + " bytes, the manifest says " + shards.ShardBytes);
                }

                s.ReadExactly(header);
                if (!ShardHeader.Matches(header, layout.FileId, i, k, n))
                {
                    throw new RepairException("file " + file + ": shard " + i + " has a header for another file or index");
                }

                present[i] = true;
            }

            Directory.CreateDirectory(tempDir);
            var paths = targets.Select(t => Path.Combine(tempDir, layout.ShardIds[t] + ".rebuild")).ToArray();
            var outputs = new FileStream[targets.Length];
            var hashes = new IncrementalHash[targets.Length];
            bool ok = false;
            try
            {
                bool parity = targets.Any(t => t >= k);
                for (int j = 0; j < targets.Length; j++)
                {
                    outputs[j] = new FileStream(paths[j], FileMode.Create, FileAccess.Write, FileShare.None, ShardStore.CopyBufferBytes);
                    hashes[j] = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    Write(j, ShardHeader.Create(layout.FileId, targets[j], k, n), 0, ShardHeader.Bytes);
                }

                var rs = new ReedSolomon(k, n - k, VectorGaloisKernel.Instance);
                byte[] stripe = new byte[n * shards.MaxPieceBytes];
                for (long seg = 0; seg < shards.SegmentCount; seg++)
                {
                    int piece = shards.PieceBytes(seg);
                    foreach (int i in used)
                    {
                        inputs[i].ReadExactly(stripe, i * piece, piece);
                    }

                    rs.Reconstruct(stripe, 0, piece, present, parity);
                    for (int j = 0; j < targets.Length; j++)
                    {
                        Write(j, stripe, targets[j] * piece, piece);
                    }
                }

                for (int j = 0; j < targets.Length; j++)
                {
                    outputs[j].Flush(true);
                    string got = ShardId.FromHash(hashes[j].GetHashAndReset());
                    if (got != layout.ShardIds[targets[j]])
                    {
                        throw new RepairException("file " + file + ": rebuilt shard " + targets[j] + " hashes to " + got + ", the manifest lists " + layout.ShardIds[targets[j]]);
                    }
                }

                ok = true;
                return paths;
            }
            finally
            {
                foreach (var o in outputs)
                {
                    o?.Dispose();
                }

                foreach (var h in hashes)
                {
                    h?.Dispose();
                }

                if (!ok)
                {
                    foreach (string p in paths)
                    {
                        File.Delete(p);
                    }
                }
            }

            void Write(int j, byte[] buffer, int offset, int count)
            {
                outputs[j].Write(buffer, offset, count);
                hashes[j].AppendData(buffer, offset, count);
            }
        }
    }
}
