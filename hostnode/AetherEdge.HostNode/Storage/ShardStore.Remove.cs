using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AetherEdge.HostNode.Storage
{
    /// <summary>A removed file: its id and when it was removed (ms since 1970, UTC).</summary>
    public sealed class Tombstone
    {
        public Tombstone(string fileId, long removedAtMs)
        {
            FileId = fileId;
            RemovedAtMs = removedAtMs;
        }

        public string FileId { get; }

        public long RemovedAtMs { get; }
    }

    /// <summary>What <see cref="ShardStore.Remove"/> did here.</summary>
    public sealed class RemoveReport
    {
        /// <summary>True when this store held the file's manifest (false: only the tombstone was recorded).</summary>
        public bool ManifestRemoved { get; internal set; }

        /// <summary>True when the file was already removed here (the earlier tombstone stands, or moves later).</summary>
        public bool AlreadyRemoved { get; internal set; }

        public int ShardsDeleted { get; internal set; }

        public long BytesFreed { get; internal set; }

        /// <summary>Shards of the file kept because another manifest here lists them too (the same content under another name).</summary>
        public int ShardsShared { get; internal set; }
    }

    public sealed partial class ShardStore
    {
        /// <summary>One file per tombstone (content: removal time in ms), so a rebuilt index keeps its removals.</summary>
        public const string RemovedFolder = "removed";

        /// <summary>How long <see cref="Remove"/> waits for another writer (a put, a sync adopting a shard) to finish.</summary>
        public static readonly TimeSpan RemoveLockWait = TimeSpan.FromSeconds(10);

        public string RemovedPath => Path.Combine(Home, RemovedFolder);

        /// <summary>
        /// Removes a file here and records its tombstone: the tombstone row (and HOME/removed/FILEID), then
        /// in one transaction the manifest row and the rows of its shards that no other manifest here
        /// lists, then the files. The tombstone stays: <see cref="PutManifest"/> refuses the id from then
        /// on, so sync cannot bring the file back. Removing an id never held (a tombstone heard from a
        /// peer) only records the tombstone. Idempotent; a later call keeps the later time.
        /// <paramref name="format"/> reads the shard ids out of manifests (Shards.ShardFormat).
        /// </summary>
        public RemoveReport Remove(string fileId, long removedAtMs, IShardFormat format)
        {
            if (!IsFileId(fileId))
            {
                throw new ArgumentException("file id must be 32 lower-case hex characters, got '" + fileId + "'", nameof(fileId));
            }

            using var writeLock = WaitForWriters(RemoveLockWait);
            var report = new RemoveReport { AlreadyRemoved = RemovedAt(fileId) != null };
            WriteTombstoneFile(fileId, Math.Max(removedAtMs, RemovedAt(fileId) ?? long.MinValue));

            byte[]? body = TryGetManifest(fileId);
            var mine = new HashSet<string>(body == null ? Array.Empty<string>() : format.ShardIdsOf(body) ?? Array.Empty<string>(), StringComparer.Ordinal);
            foreach (var row in ShardsOfFile(fileId))
            {
                mine.Add(row);
            }

            // The same content under another name lists the same shards: those stay.
            foreach (string other in ListManifests())
            {
                if (other != fileId && TryGetManifest(other) is { } otherBody && format.ShardIdsOf(otherBody) is { } ids)
                {
                    foreach (string id in ids)
                    {
                        if (mine.Remove(id))
                        {
                            report.ShardsShared++;
                        }
                    }
                }
            }

            var doomed = new List<StoredShard>();
            foreach (string id in mine)
            {
                if (Find(id) is { } row)
                {
                    doomed.Add(row);
                }
            }

            Changed();
            using (var tx = _db.BeginTransaction())
            {
                using (var cmd = Command(
                    "INSERT INTO tombstones (file_id, removed_ms) VALUES ($f, $t)" +
                    " ON CONFLICT(file_id) DO UPDATE SET removed_ms = MAX(tombstones.removed_ms, excluded.removed_ms);",
                    ("$f", fileId), ("$t", removedAtMs)))
                {
                    cmd.Transaction = tx;
                    cmd.ExecuteNonQuery();
                }

                using (var cmd = Command("DELETE FROM manifests WHERE file_id = $f;", ("$f", fileId)))
                {
                    cmd.Transaction = tx;
                    report.ManifestRemoved = cmd.ExecuteNonQuery() > 0;
                }

                foreach (var row in doomed)
                {
                    using var cmd = Command("DELETE FROM shards WHERE id = $i;", ("$i", row.Id));
                    cmd.Transaction = tx;
                    cmd.ExecuteNonQuery();
                }

                tx.Commit();
                Changed();
            }

            DeleteManifestFile(fileId);
            foreach (var row in doomed)
            {
                File.Delete(PathOf(row.Id));
                report.ShardsDeleted++;
                report.BytesFreed += row.Size;
            }

            if (report.ManifestRemoved)
            {
                // Into store.log only: the caller reports the removal in its own words.
                Log("removed file " + fileId + ": " + report.ShardsDeleted + " shards deleted (" + Core.Allocation.ByteCount.WithBytes(report.BytesFreed) + "), " +
                    report.ShardsShared + " shared with another file kept", echo: false);
            }

            return report;
        }

        /// <summary>When the file was removed (ms since 1970, UTC), or null when it was not.</summary>
        public long? RemovedAt(string fileId)
        {
            using var cmd = Command("SELECT removed_ms FROM tombstones WHERE file_id = $f;", ("$f", fileId));
            return cmd.ExecuteScalar() is long ms ? ms : null;
        }

        public bool IsRemoved(string fileId) => RemovedAt(fileId) != null;

        private bool IsRemoved(string fileId, SqliteTransaction tx)
        {
            using var cmd = Command("SELECT 1 FROM tombstones WHERE file_id = $f;", ("$f", fileId));
            cmd.Transaction = tx;
            return cmd.ExecuteScalar() != null;
        }

        /// <summary>Every tombstone here, by file id.</summary>
        public IReadOnlyList<Tombstone> ListTombstones()
        {
            var list = new List<Tombstone>();
            using var cmd = Command("SELECT file_id, removed_ms FROM tombstones ORDER BY file_id;");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(new Tombstone(r.GetString(0), r.GetInt64(1)));
            }

            return list;
        }

        private const string TombstonesTable = "CREATE TABLE IF NOT EXISTS tombstones (file_id TEXT PRIMARY KEY, removed_ms INTEGER NOT NULL);";

        private void DeleteManifestFile(string fileId)
        {
            if (Directory.Exists(ManifestsPath))
            {
                File.Delete(Path.Combine(ManifestsPath, fileId));
            }
        }

        private List<string> ShardsOfFile(string fileId)
        {
            var list = new List<string>();
            using var cmd = Command("SELECT id FROM shards WHERE file_id = $f;", ("$f", fileId));
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(r.GetString(0));
            }

            return list;
        }

        private FileStream WaitForWriters(TimeSpan wait)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                var held = TryLockWriters();
                if (held != null)
                {
                    return held;
                }

                if (clock.Elapsed >= wait)
                {
                    return LockWriters();
                }

                Thread.Sleep(50);
            }
        }

        private void WriteTombstoneFile(string fileId, long removedAtMs)
        {
            string temp = NewTempPath();
            using (var fs = CreateTemp(temp))
            {
                fs.Write(System.Text.Encoding.ASCII.GetBytes(removedAtMs.ToString(CultureInfo.InvariantCulture)));
                fs.Flush(true);
            }

            Directory.CreateDirectory(RemovedPath);
            File.Move(temp, Path.Combine(RemovedPath, fileId), true);
        }

        /// <summary>Drops manifests of removed files still indexed (a removal killed between its tombstone and its transaction).</summary>
        private void FinishRemovals()
        {
            var stale = new List<string>();
            using (var cmd = Command("SELECT file_id FROM manifests WHERE file_id IN (SELECT file_id FROM tombstones);"))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    stale.Add(r.GetString(0));
                }
            }

            foreach (string id in stale)
            {
                using (var cmd = Command("DELETE FROM manifests WHERE file_id = $f;", ("$f", id)))
                {
                    Changed();
                    cmd.ExecuteNonQuery();
                    Changed();
                }

                DeleteManifestFile(id);
                Log("manifest of removed file " + id + " dropped (its removal was interrupted)");
            }
        }

        /// <summary>Tombstone rows for the files in HOME/removed (a rebuilt index, a crash between file and row).</summary>
        private int RestoreTombstones(SqliteTransaction? tx)
        {
            if (!Directory.Exists(RemovedPath))
            {
                return 0;
            }

            int restored = 0;
            foreach (string file in Directory.EnumerateFiles(RemovedPath))
            {
                string id = Path.GetFileName(file);
                if (!IsFileId(id) || !long.TryParse(File.ReadAllText(file), NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms))
                {
                    continue;
                }

                using var cmd = Command("INSERT OR IGNORE INTO tombstones (file_id, removed_ms) VALUES ($f, $t);", ("$f", id), ("$t", ms));
                cmd.Transaction = tx;
                restored += cmd.ExecuteNonQuery();
            }

            return restored;
        }
    }
}
