using Microsoft.Data.Sqlite;

namespace AetherEdge.HostNode.Storage
{
    public sealed partial class ShardStore
    {
        /// <summary>Every manifest is also kept as a file here, so a lost index can be rebuilt from disk.</summary>
        public const string ManifestsFolder = "manifests";

        public string ManifestsPath => Path.Combine(Home, ManifestsFolder);

        internal static bool IsFileId(string text) =>
            text.Length == 32 && text.All(c => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));

        /// <summary>
        /// Why the index of <paramref name="home"/> cannot be the index of the files on disk, or null.
        /// A missing, empty or table-less index while shard or manifest files exist means the index was
        /// lost: opening it as a new store would quarantine every shard and show no files.
        /// </summary>
        private static string? DiagnoseIndex(string home)
        {
            string index = Path.Combine(home, IndexFileName);
            bool filesExist = AnyStoredFile(home);
            if (!File.Exists(index))
            {
                return filesExist ? "is missing" : null;
            }

            bool hasShards;
            bool hasManifests;
            long rows = 0;
            try
            {
                using var db = new SqliteConnection(new SqliteConnectionStringBuilder
                {
                    DataSource = index,
                    Mode = SqliteOpenMode.ReadOnly,
                    Pooling = false,
                }.ToString());
                db.Open();
                hasShards = TableExists(db, "shards");
                hasManifests = TableExists(db, "manifests");
                if (hasShards && hasManifests)
                {
                    using var cmd = db.CreateCommand();
                    cmd.CommandText = "SELECT (SELECT COUNT(*) FROM shards) + (SELECT COUNT(*) FROM manifests);";
                    rows = Convert.ToInt64(cmd.ExecuteScalar());
                }
            }
            catch (SqliteException)
            {
                // Not a database at all: Connect reports it as unusable, naming the same fix.
                return null;
            }

            if (!hasShards && !hasManifests)
            {
                return filesExist ? "is empty (no tables)" : null;
            }

            if (!hasShards || !hasManifests)
            {
                return "has no " + (hasShards ? "manifests" : "shards") + " table";
            }

            return rows == 0 && filesExist ? "is empty" : null;
        }

        private static bool TableExists(SqliteConnection db, string name)
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $n;";
            cmd.Parameters.AddWithValue("$n", name);
            return cmd.ExecuteScalar() != null;
        }

        /// <summary>True when any shard file (outside the temp folder) or manifest file exists.</summary>
        private static bool AnyStoredFile(string home)
        {
            string shards = Path.Combine(home, ShardsFolder);
            if (Directory.Exists(shards))
            {
                foreach (string dir in Directory.EnumerateDirectories(shards))
                {
                    if (Path.GetFileName(dir) != TempFolder && Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Any())
                    {
                        return true;
                    }
                }
            }

            string manifests = Path.Combine(home, ManifestsFolder);
            return Directory.Exists(manifests) && Directory.EnumerateFiles(manifests).Any(f => IsFileId(Path.GetFileName(f)));
        }

        /// <summary>
        /// Writes HOME/manifests/FILEID (temp, fsync, rename) after the index row committed. A failure is
        /// logged, not thrown: the row stands, and the next open writes the missing file.
        /// </summary>
        private void WriteManifestFile(string fileId, byte[] body)
        {
            string temp = NewTempPath();
            try
            {
                using (var fs = CreateTemp(temp))
                {
                    fs.Write(body);
                    fs.Flush(true);
                }

                Directory.CreateDirectory(ManifestsPath);
                File.Move(temp, Path.Combine(ManifestsPath, fileId), true);
            }
            catch (IOException e)
            {
                File.Delete(temp);
                Log("manifest " + fileId + " is indexed but its file could not be written (" + e.Message + "); retried at the next open");
            }
        }

        /// <summary>
        /// The manifest files of a committed group: all temps written, one syncfs, then renamed (a crash before the
        /// renames leaves them missing, and the next open writes them); per file as <see cref="WriteManifestFile"/>
        /// when syncfs fails.
        /// </summary>
        private void WriteManifestFiles(IReadOnlyList<ShardSetWriter> sets)
        {
            var temps = new string[sets.Count];
            try
            {
                for (int i = 0; i < sets.Count; i++)
                {
                    temps[i] = NewTempPath();
                    File.WriteAllBytes(temps[i], sets[i].Manifest);
                }

                if (!FileSystemSync.TrySync(TempPath))
                {
                    foreach (var set in sets)
                    {
                        WriteManifestFile(set.FileId, set.Manifest);
                    }

                    return;
                }

                Directory.CreateDirectory(ManifestsPath);
                for (int i = 0; i < sets.Count; i++)
                {
                    File.Move(temps[i], Path.Combine(ManifestsPath, sets[i].FileId), true);
                }
            }
            catch (IOException e)
            {
                Log("manifest files of " + sets.Count + " files are indexed but could not be written (" + e.Message + "); retried at the next open");
            }
            finally
            {
                foreach (string? temp in temps)
                {
                    if (temp != null)
                    {
                        File.Delete(temp);
                    }
                }
            }
        }

        /// <summary>Writes the manifest file of every indexed manifest that lacks one (stores made before manifest files, failed writes).</summary>
        private int BackfillManifestFiles()
        {
            var present = Directory.Exists(ManifestsPath)
                ? new HashSet<string>(Directory.EnumerateFiles(ManifestsPath).Select(Path.GetFileName)!, StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
            int written = 0;
            foreach (string fileId in ListManifests())
            {
                if (!present.Contains(fileId) && IsFileId(fileId) && TryGetManifest(fileId) is { } body)
                {
                    WriteManifestFile(fileId, body);
                    written++;
                }
            }

            return written;
        }
    }
}
