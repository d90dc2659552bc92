namespace AetherEdge.HostNode.Storage
{
    public sealed partial class ShardStore
    {
        /// <summary>
        /// Makes files and index agree: leftover temp files are deleted; index rows whose file is gone
        /// are removed; files without a row, with the wrong size or (when <paramref name="verifyHashes"/>)
        /// the wrong SHA-256 are moved to <c>HOME/quarantine/</c> and logged to <c>HOME/store.log</c>.
        /// Takes the writers' lock; throws <see cref="IOException"/> when another process is writing.
        /// </summary>
        public ReconcileReport Reconcile(bool verifyHashes)
        {
            using var writeLock = LockWriters();
            return ReconcileLocked(verifyHashes);
        }

        private ReconcileReport ReconcileLocked(bool verifyHashes)
        {
            var report = new ReconcileReport();
            DeleteTemps(report);

            var rows = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var row in ListShards())
            {
                rows[row.Id] = row.Size;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string file in ShardFiles())
            {
                string name = Path.GetFileName(file);
                bool placed = ShardId.IsValid(name) && string.Equals(PathOf(name), file, StringComparison.Ordinal);
                if (!placed || !rows.TryGetValue(name, out long size))
                {
                    Quarantine(file, name, placed ? "file without an index row" : "not a shard file in its content path");
                    report.OrphanFilesQuarantined++;
                    continue;
                }

                long length = new FileInfo(file).Length;
                string problem = string.Empty;
                if (length != size)
                {
                    problem = "length " + length + " but index says " + size;
                }
                else if (verifyHashes)
                {
                    using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferBytes);
                    string hash = ShardId.Of(fs);
                    if (hash != name)
                    {
                        problem = "SHA-256 " + hash;
                    }
                }

                if (problem.Length > 0)
                {
                    Quarantine(file, name, problem);
                    RemoveRow(name);
                    rows.Remove(name);
                    report.CorruptFilesQuarantined++;
                    continue;
                }

                if (verifyHashes)
                {
                    MarkVerified(name);
                    report.ShardsVerified++;
                }

                seen.Add(name);
            }

            foreach (string id in rows.Keys)
            {
                if (!seen.Contains(id) && !File.Exists(PathOf(id)))
                {
                    RemoveRow(id);
                    Log("index row " + id + " removed: its file is gone");
                    report.RowsWithoutFilesRemoved++;
                }
            }

            report.TombstonesRestored = RestoreTombstones(null);
            FinishRemovals();
            report.ManifestFilesWritten = BackfillManifestFiles();
            return report;
        }

        private IEnumerable<string> ShardFiles()
        {
            foreach (string dir in Directory.EnumerateDirectories(ShardsPath))
            {
                if (Path.GetFileName(dir) == TempFolder)
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
                {
                    yield return file;
                }
            }

            foreach (string file in Directory.EnumerateFiles(ShardsPath))
            {
                yield return file;
            }
        }
    }
}
