using System.Security.Cryptography;

namespace AetherEdge.HostNode.Storage
{
    /// <summary>What <see cref="ShardStore.RebuildIndex"/> found and indexed.</summary>
    public sealed class RebuildReport
    {
        public int ShardsIndexed { get; internal set; }

        public long BytesIndexed { get; internal set; }

        public int ManifestsIndexed { get; internal set; }

        /// <summary>Shard files whose bytes do not hash to their name, or outside their content path.</summary>
        public int ShardsQuarantined { get; internal set; }

        /// <summary>Manifest files that are not a manifest of the file their name says.</summary>
        public int ManifestsQuarantined { get; internal set; }

        /// <summary>Intact shards without a readable header: indexed without a file id.</summary>
        public int ShardsWithoutHeader { get; internal set; }

        /// <summary>Intact shards of files whose manifest is not on this device (a hub may hold such shards).</summary>
        public int ShardsWithoutManifest { get; internal set; }

        public int TempFilesDeleted { get; internal set; }

        /// <summary>Where the replaced index was moved, or null when there was none.</summary>
        public string? OldIndexKeptAs { get; internal set; }

        public override string ToString() =>
            "indexed " + ShardsIndexed + " shards (" + BytesIndexed + " bytes) and " + ManifestsIndexed + " manifests; quarantined " +
            ShardsQuarantined + " shard and " + ManifestsQuarantined + " manifest files" +
            (ShardsWithoutManifest > 0 ? "; " + ShardsWithoutManifest + " shards belong to files whose manifest is not here" : string.Empty) +
            (ShardsWithoutHeader > 0 ? "; " + ShardsWithoutHeader + " shards have no header" : string.Empty);
    }

    public sealed partial class ShardStore
    {
        /// <summary>
        /// Rebuilds HOME/index.db from the files on disk: every manifest file that is structurally the
        /// manifest its name says, and every shard file whose bytes hash to its name (each one is read
        /// in full), with the file id and index from its header. Anything that fails is quarantined and
        /// counted. The old index (if any) is kept beside it as <c>index.db.lost-TIME</c>. Holds the
        /// writers' lock; run it while no hub uses the home.
        /// </summary>
        public static RebuildReport RebuildIndex(string home, long allocationBytes, IShardFormat format, TextWriter? log = null)
        {
            Directory.CreateDirectory(Path.Combine(home, ShardsFolder, TempFolder));
            using var writeLock = TryLockWriters(home) ??
                throw new IOException("another aether process is writing to " + home + "; stop it and run repair-index again");
            var report = new RebuildReport { OldIndexKeptAs = SetAsideIndex(home) };
            using var store = Connect(home, allocationBytes, log);
            store.Log("rebuilding the index from the files on disk" + (report.OldIndexKeptAs != null ? "; old index kept as " + report.OldIndexKeptAs : string.Empty));
            foreach (string temp in Directory.EnumerateFiles(store.TempPath))
            {
                File.Delete(temp);
                report.TempFilesDeleted++;
            }

            long now = NowMs();
            var manifests = new HashSet<string>(StringComparer.Ordinal);
            using (var tx = store._db.BeginTransaction())
            {
                store.RestoreTombstones(tx);
                if (Directory.Exists(store.ManifestsPath))
                {
                    foreach (string file in Directory.EnumerateFiles(store.ManifestsPath))
                    {
                        string name = Path.GetFileName(file);
                        byte[] body = File.ReadAllBytes(file);
                        if (IsFileId(name) && store.IsRemoved(name, tx))
                        {
                            // Removed while the index was alive: the tombstone (HOME/removed) outlives it.
                            File.Delete(file);
                            continue;
                        }

                        if (!IsFileId(name) || !format.IsManifestOf(name, body))
                        {
                            store.Quarantine(file, "manifest-" + name, "not the manifest its name says");
                            report.ManifestsQuarantined++;
                            continue;
                        }

                        store.InsertManifest(tx, name, body, now);
                        manifests.Add(name);
                        report.ManifestsIndexed++;
                    }
                }

                foreach (string file in store.ShardFiles().ToList())
                {
                    store.AdoptOnRebuild(tx, file, format, manifests, now, report);
                }

                tx.Commit();
            }

            return report;
        }

        private void AdoptOnRebuild(Microsoft.Data.Sqlite.SqliteTransaction tx, string file, IShardFormat format, HashSet<string> manifests, long now, RebuildReport report)
        {
            string name = Path.GetFileName(file);
            if (!ShardId.IsValid(name) || !string.Equals(PathOf(name), file, StringComparison.Ordinal))
            {
                Quarantine(file, name, "not a shard file in its content path");
                report.ShardsQuarantined++;
                return;
            }

            long size;
            string hash;
            byte[] header = new byte[format.HeaderBytes];
            int headerRead;
            using (var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferBytes))
            {
                size = fs.Length;
                headerRead = fs.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
                fs.Position = 0;
                hash = Convert.ToHexStringLower(SHA256.HashData(fs));
            }

            if (hash != name)
            {
                Quarantine(file, name, "SHA-256 " + hash + " found while rebuilding the index");
                report.ShardsQuarantined++;
                return;
            }

            string? fileId = null;
            int? index = null;
            if (headerRead == header.Length && format.TryReadHeader(header, out string id, out int i))
            {
                fileId = id;
                index = i;
                if (!manifests.Contains(id))
                {
                    report.ShardsWithoutManifest++;
                }
            }
            else
            {
                report.ShardsWithoutHeader++;
            }

            InsertShard(tx, name, size, fileId, index, now);
            report.ShardsIndexed++;
            report.BytesIndexed += size;
        }

        /// <summary>Moves index.db and its WAL files aside (a stale WAL must not be replayed into the new index).</summary>
        private static string? SetAsideIndex(string home)
        {
            string index = Path.Combine(home, IndexFileName);
            string kept = index + ".lost-" + DateTimeOffset.UtcNow.ToString("yyyyMMddTHHmmssfffZ");
            bool any = false;
            foreach (string suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                if (File.Exists(index + suffix))
                {
                    File.Move(index + suffix, kept + suffix);
                    any |= suffix.Length == 0;
                }
            }

            return any ? kept : null;
        }
    }
}
