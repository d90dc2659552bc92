using System.Globalization;

namespace AetherEdge.HostNode.Storage
{
    public sealed partial class ShardStore
    {
        /// <summary>Leaf directories <c>shards/ab/cd</c>: the background walk (<see cref="StoreWalk"/>) checks one per step.</summary>
        public const int LeafCount = 1 << 16;

        /// <summary>
        /// What opening a store reconciles before it answers. A hub opens with <see cref="Quick"/> and walks the shard
        /// files in the background (<see cref="StoreWalk"/>): at 100,000 files the walk over 1.6 M shard files is the
        /// whole start-up cost, and nothing it finds is trusted meanwhile (a local read re-hashes; a peer hashes what it is served).
        /// </summary>
        public enum OpenReconcile
        {
            /// <summary>Nothing: read-only answers (status, ls).</summary>
            None,

            /// <summary>Temp files, tombstones and interrupted removals; no walk over the shard files.</summary>
            Quick,

            /// <summary>Quick, then every shard file against its row (and re-hashed with verifyHashes).</summary>
            Full,
        }

        private ReconcileReport ReconcileQuickLocked()
        {
            var report = new ReconcileReport();
            DeleteTemps(report);
            report.TombstonesRestored = RestoreTombstones(null);
            FinishRemovals();
            return report;
        }

        private void DeleteTemps(ReconcileReport report)
        {
            foreach (string temp in Directory.EnumerateFiles(TempPath, "*" + TempSuffix))
            {
                File.Delete(temp);
                report.TempFilesDeleted++;
            }
        }

        /// <summary>
        /// Checks one leaf directory (<c>shards/ab/cd</c>, <paramref name="leaf"/> = 0xabcd) against the index rows of
        /// its id range, as the full walk does: rows whose file is gone are removed, files of the wrong length or
        /// outside their content path are quarantined, and files without a row are quarantined under the writers'
        /// lock (a writer places the file before its row commits). Returns the files looked at, or -1 when the lock
        /// was busy and the leaf must be checked again later. Not thread-safe: run it where the store's other
        /// calls are serialised.
        /// </summary>
        public int CheckLeaf(int leaf, ReconcileReport report)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(leaf);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leaf, LeafCount);
            string prefix = leaf.ToString("x4", CultureInfo.InvariantCulture);
            string dir = Path.Combine(ShardsPath, prefix.Substring(0, 2), prefix.Substring(2, 2));

            // Rows first: a shard committed after this query shows as a file without a row, re-checked under the lock.
            var rows = new Dictionary<string, long>(StringComparer.Ordinal);
            using (var cmd = Command("SELECT id, size FROM shards WHERE id >= $lo AND id < $hi;", ("$lo", prefix), ("$hi", prefix + "g")))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    rows[r.GetString(0)] = r.GetInt64(1);
                }
            }

            int seen = 0;
            List<string>? orphans = null;
            if (Directory.Exists(dir))
            {
                foreach (string file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
                {
                    seen++;
                    string name = Path.GetFileName(file);
                    if (!ShardId.IsValid(name) || !string.Equals(PathOf(name), file, StringComparison.Ordinal))
                    {
                        Quarantine(file, name, "not a shard file in its content path");
                        report.OrphanFilesQuarantined++;
                    }
                    else if (!rows.Remove(name, out long size))
                    {
                        (orphans ??= new List<string>()).Add(name);
                    }
                    else if (new FileInfo(file).Length is long length && length != size)
                    {
                        Quarantine(file, name, "length " + length + " but index says " + size);
                        RemoveRow(name);
                        report.CorruptFilesQuarantined++;
                    }
                }
            }

            foreach (string id in rows.Keys)
            {
                if (!File.Exists(PathOf(id)))
                {
                    RemoveRow(id);
                    Log("index row " + id + " removed: its file is gone");
                    report.RowsWithoutFilesRemoved++;
                }
            }

            return orphans == null ? seen : QuarantineOrphans(orphans, report) ? seen : -1;
        }

        private bool QuarantineOrphans(List<string> ids, ReconcileReport report)
        {
            using var writeLock = TryLockWriters();
            if (writeLock == null)
            {
                return false;
            }

            foreach (string id in ids)
            {
                string path = PathOf(id);
                if (File.Exists(path) && !HasShard(id))
                {
                    Quarantine(path, id, "file without an index row");
                    report.OrphanFilesQuarantined++;
                }
            }

            return true;
        }

        /// <summary>
        /// Quarantines files no leaf check sees: directly in <c>shards/</c>, in <c>shards/ab/</c>, or below a directory
        /// that is not a lower-case hex pair. Returns the files looked at.
        /// </summary>
        public int CheckStrays(ReconcileReport report)
        {
            int seen = 0;
            foreach (string file in Directory.GetFiles(ShardsPath))
            {
                seen += QuarantineStray(file, report);
            }

            foreach (string top in Directory.EnumerateDirectories(ShardsPath))
            {
                string name = Path.GetFileName(top);
                if (name == TempFolder)
                {
                    continue;
                }

                if (!IsHexPair(name))
                {
                    seen += QuarantineAllBelow(top, report);
                    continue;
                }

                foreach (string file in Directory.GetFiles(top))
                {
                    seen += QuarantineStray(file, report);
                }

                foreach (string sub in Directory.EnumerateDirectories(top))
                {
                    if (!IsHexPair(Path.GetFileName(sub)))
                    {
                        seen += QuarantineAllBelow(sub, report);
                    }
                }
            }

            return seen;
        }

        /// <summary>The last step of a background walk: manifest files for indexed manifests that lack one.</summary>
        public int BackfillManifests(ReconcileReport report)
        {
            int written = BackfillManifestFiles();
            report.ManifestFilesWritten += written;
            return written;
        }

        private int QuarantineAllBelow(string dir, ReconcileReport report)
        {
            int seen = 0;
            foreach (string file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
            {
                seen += QuarantineStray(file, report);
            }

            return seen;
        }

        private int QuarantineStray(string file, ReconcileReport report)
        {
            Quarantine(file, Path.GetFileName(file), "not a shard file in its content path");
            report.OrphanFilesQuarantined++;
            return 1;
        }

        private static bool IsHexPair(string name) =>
            name.Length == 2 && name.All(c => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
