using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// Content-addressed shard files under <c>HOME/shards/ab/cd/&lt;id&gt;</c>, indexed in SQLite
    /// (<c>HOME/index.db</c>), with manifests in the same database. Writes are temp + fsync + rename,
    /// then the index row; the row is what makes a shard exist. Quota = the device allocation.
    /// A shard whose bytes do not hash to its id is never served. See Storage/README.md.
    /// </summary>
    public sealed partial class ShardStore : IDisposable
    {
        public const string ShardsFolder = "shards";
        public const string TempFolder = ".tmp";
        public const string QuarantineFolder = "quarantine";
        public const string IndexFileName = "index.db";
        public const string LogFileName = "store.log";
        public const string TempSuffix = ".part";
        public const string WriteLockFileName = "store.lock";
        public const int CopyBufferBytes = 1 << 20;

        private readonly SqliteConnection _db;
        private readonly TextWriter? _log;
        private readonly object _gate = new();
        private readonly StoreStages _stages;

        private ShardStore(string home, long allocationBytes, SqliteConnection db, TextWriter? log, StoreStages stages)
        {
            Home = home;
            _allocationBytes = allocationBytes;
            _db = db;
            _log = log;
            _stages = stages;
        }

        /// <summary>Where this store's time goes (hash, write, fsync, rename, index, verify).</summary>
        public StoreStages Stages => _stages;

        public string Home { get; }

        private long _allocationBytes;

        /// <summary>The quota puts and pulls are held to; changed live by <see cref="SetAllocation"/>.</summary>
        public long AllocationBytes => Interlocked.Read(ref _allocationBytes);

        /// <summary>
        /// A new quota, in effect for the next write (the settings page changes it without a restart). A quota
        /// below what is held deletes nothing here: the plan moves shards away and nothing new fits until then.
        /// </summary>
        public void SetAllocation(long allocationBytes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(allocationBytes);
            Interlocked.Exchange(ref _allocationBytes, allocationBytes);
        }

        public string ShardsPath => Path.Combine(Home, ShardsFolder);

        public string TempPath => Path.Combine(Home, ShardsFolder, TempFolder);

        public string QuarantinePath => Path.Combine(Home, QuarantineFolder);

        /// <summary>What the reconciliation run by <see cref="Open"/> found.</summary>
        public ReconcileReport OpenReport { get; private set; } = new();

        /// <summary>
        /// Opens (creating if needed) the store of <paramref name="home"/> and reconciles files with the
        /// index as <paramref name="reconcile"/> says. With <paramref name="verifyHashes"/> every shard is re-hashed
        /// (slow on big stores; implies <see cref="OpenReconcile.Full"/>); without it sizes are checked and hashes are
        /// verified on every read instead. <see cref="OpenReconcile.None"/> is for read-only answers such as
        /// <c>aether status</c>: the walk grows with the files held, and a reader changes nothing it could leave
        /// inconsistent. <see cref="OpenReconcile.Quick"/> is the hub's: it walks in the background.
        /// </summary>
        public static ShardStore Open(string home, long allocationBytes, bool verifyHashes = false, TextWriter? log = null, StoreStages? stages = null, OpenReconcile reconcile = OpenReconcile.Full)
        {
            Directory.CreateDirectory(Path.Combine(home, ShardsFolder, TempFolder));
            using var writeLock = TryLockWriters(home);

            // Only while nobody writes: a concurrent first put has files but no rows yet.
            string? lost = writeLock != null ? DiagnoseIndex(home) : null;
            if (lost != null)
            {
                throw new IndexLostException(home, lost);
            }

            var store = Connect(home, allocationBytes, log, stages);
            try
            {
                store.OpenReport = writeLock == null ? new ReconcileReport { SkippedBusy = true }
                    : reconcile == OpenReconcile.Full || verifyHashes ? store.ReconcileLocked(verifyHashes)
                    : reconcile == OpenReconcile.Quick ? store.ReconcileQuickLocked()
                    : new ReconcileReport();
                return store;
            }
            catch (SqliteException e)
            {
                store.Dispose();
                throw Unusable(home, e);
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }

        /// <summary>Opens the index database (creating it and its tables if needed); no reconciliation.</summary>
        private static ShardStore Connect(string home, long allocationBytes, TextWriter? log, StoreStages? stages = null)
        {
            var db = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(home, IndexFileName),
                Pooling = false,
            }.ToString());
            var store = new ShardStore(home, allocationBytes, db, log, stages ?? StoreStages.Shared);
            try
            {
                db.Open();
                store.Execute("PRAGMA journal_mode=WAL;");
                store.Execute("PRAGMA synchronous=FULL;");
                store.Execute(
                    "CREATE TABLE IF NOT EXISTS shards (" +
                    " id TEXT PRIMARY KEY, size INTEGER NOT NULL, file_id TEXT, shard_index INTEGER," +
                    " stored_ms INTEGER NOT NULL, verified_ms INTEGER);" +
                    "CREATE INDEX IF NOT EXISTS shards_file ON shards(file_id);" +
                    "CREATE TABLE IF NOT EXISTS manifests (" +
                    " file_id TEXT PRIMARY KEY, body BLOB NOT NULL, stored_ms INTEGER NOT NULL);" +
                    TombstonesTable);
                return store;
            }
            catch (SqliteException e)
            {
                store.Dispose();
                throw Unusable(home, e);
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }

        private static IOException Unusable(string home, SqliteException e) =>
            new("shard index " + Path.Combine(home, IndexFileName) + " is unusable: " + e.Message +
                "; run 'aether repair-index --home " + home + "' to rebuild it from the shard files and manifests", e);

        /// <summary>Bytes of all indexed shards.</summary>
        public long UsedBytes => Scalar("SELECT COALESCE(SUM(size), 0) FROM shards;");

        /// <summary>Quota left (never negative).</summary>
        public long AvailableBytes => Math.Max(0, AllocationBytes - UsedBytes);

        public int ShardCount => (int)Scalar("SELECT COUNT(*) FROM shards;");

        public int ManifestCount => (int)Scalar("SELECT COUNT(*) FROM manifests;");

        /// <summary>Files set aside in HOME/quarantine (kept for inspection, not counted as used).</summary>
        public int QuarantinedCount => Directory.Exists(QuarantinePath) ? Directory.GetFiles(QuarantinePath).Length : 0;

        /// <summary>Where the shard with this id lives (whether or not it exists).</summary>
        public string PathOf(string id) => Path.Combine(ShardsPath, id.Substring(0, 2), id.Substring(2, 2), id);

        public bool HasShard(string id)
        {
            if (!ShardId.IsValid(id))
            {
                return false;
            }

            using var cmd = Command("SELECT 1 FROM shards WHERE id = $id;", ("$id", id));
            return cmd.ExecuteScalar() != null;
        }

        /// <summary>Length of a held shard, or -1.</summary>
        public long LengthOf(string id)
        {
            var row = Find(id);
            return row == null ? -1 : row.Size;
        }

        public StoredShard? Find(string id)
        {
            if (!ShardId.IsValid(id))
            {
                return null;
            }

            using var cmd = Command(SelectShard + " WHERE id = $id;", ("$id", id));
            using var r = cmd.ExecuteReader();
            return r.Read() ? ReadShard(r) : null;
        }

        /// <summary>
        /// Removes a shard (row, then file). Used by the hub to drop a copy the placement assigns to
        /// another device once that device holds it. False when not held.
        /// </summary>
        public bool DeleteShard(string id)
        {
            if (Find(id) == null)
            {
                return false;
            }

            using (var cmd = Command("DELETE FROM shards WHERE id = $i;", ("$i", id)))
            {
                Changed();
                cmd.ExecuteNonQuery();
                Changed();
            }

            File.Delete(PathOf(id));
            return true;
        }

        public IReadOnlyList<StoredShard> ListShards()
        {
            var list = new List<StoredShard>();
            using var cmd = Command(SelectShard + " ORDER BY id;");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(ReadShard(r));
            }

            return list;
        }

        /// <summary>
        /// Opens a held shard for reading after checking its length and SHA-256 against its id. A shard
        /// that fails is quarantined, dropped from the index and null is returned: it is never served.
        /// </summary>
        public Stream? TryOpenShard(string id)
        {
            var row = Find(id);
            if (row == null)
            {
                return null;
            }

            string path = PathOf(id);
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferBytes);
            }
            catch (FileNotFoundException)
            {
                RemoveRow(id);
                Log("shard " + id + " is indexed but its file is gone; index row removed");
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                RemoveRow(id);
                Log("shard " + id + " is indexed but its file is gone; index row removed");
                return null;
            }

            string actual;
            if (stream.Length != row.Size)
            {
                actual = "a length of " + stream.Length + " (index says " + row.Size + ")";
            }
            else
            {
                long started = Diagnostics.StageCounter.Start();
                string hash = ShardId.Of(stream);
                _stages.Verify.Stop(started, stream.Length);
                actual = hash == id ? string.Empty : "SHA-256 " + hash;
            }

            if (actual.Length > 0)
            {
                stream.Dispose();
                Quarantine(path, id, "has " + actual);
                RemoveRow(id);
                return null;
            }

            stream.Position = 0;
            MarkVerified(id);
            return stream;
        }

        /// <summary>
        /// Stores one shard received under <paramref name="id"/> (e.g. from a peer). The bytes are hashed
        /// while written; a mismatch throws <see cref="ShardHashMismatchException"/>, an over-quota shard
        /// <see cref="QuotaExceededException"/>, and nothing is left behind in either case. Storing a shard
        /// already held reads nothing and returns the existing row.
        /// </summary>
        public StoredShard PutShard(string id, Stream content, string? fileId = null, int? index = null)
        {
            if (!ShardId.IsValid(id))
            {
                throw new ArgumentException("shard id must be 64 lower-case hex characters, got '" + id + "'", nameof(id));
            }

            var existing = Find(id);
            if (existing != null)
            {
                return existing;
            }

            using var writeLock = LockWriters();
            long available = AvailableBytes;
            if (content.CanSeek && content.Length - content.Position > available)
            {
                throw new QuotaExceededException(content.Length - content.Position, available, AllocationBytes);
            }

            string temp = NewTempPath();
            try
            {
                long written = 0;
                string hash;
                using (var fs = CreateTemp(temp))
                using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    byte[] buffer = new byte[CopyBufferBytes];
                    int n;
                    while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        written += n;
                        if (written > available)
                        {
                            throw new QuotaExceededException(written, available, AllocationBytes);
                        }

                        long started = Diagnostics.StageCounter.Start();
                        sha.AppendData(buffer, 0, n);
                        _stages.Hash.Stop(started, n);
                        started = Diagnostics.StageCounter.Start();
                        fs.Write(buffer, 0, n);
                        _stages.Write.Stop(started, n);
                    }

                    hash = ShardId.FromHash(sha.GetHashAndReset());
                    if (hash != id)
                    {
                        throw new ShardHashMismatchException(id, hash);
                    }

                    long synced = Diagnostics.StageCounter.Start();
                    fs.Flush(true);
                    _stages.Fsync.Stop(synced, written);
                }

                return Commit(temp, id, written, fileId, index);
            }
            finally
            {
                File.Delete(temp);
            }
        }

        /// <summary>
        /// Starts writing the n shards of one file. The quota is checked for all of them now, before a
        /// byte is written; nothing becomes visible until <see cref="ShardSetWriter.Commit"/>.
        /// </summary>
        public ShardSetWriter BeginShardSet(int count, long bytesPerShard)
        {
            var writeLock = LockWriters();
            try
            {
                long need = count * bytesPerShard;
                long available = AvailableBytes;
                if (need > available)
                {
                    throw new QuotaExceededException(need, available, AllocationBytes);
                }

                return NewShardSet(count, bytesPerShard, writeLock);
            }
            catch
            {
                writeLock.Dispose();
                throw;
            }
        }

        /// <summary>
        /// One writer per home at a time (across processes): quota checks and reconciliation are only
        /// sound when nobody else is between "temp written" and "row committed". The OS drops the lock
        /// when its holder dies, so a killed put never blocks the store.
        /// </summary>
        private FileStream LockWriters() =>
            TryLockWriters() ?? throw new IOException("another aether process is writing to " + Home + "; try again when it has finished");

        private FileStream? TryLockWriters() => TryLockWriters(Home);

        private static FileStream? TryLockWriters(string home)
        {
            try
            {
                return new FileStream(Path.Combine(home, WriteLockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                return null;
            }
        }

        /// <summary>
        /// Stores (or replaces) the manifest of a file. False, storing nothing, when the file was removed
        /// (<see cref="Remove"/>): a removal is final, whoever offers the manifest again.
        /// </summary>
        public bool PutManifest(string fileId, byte[] body)
        {
            if (!IsFileId(fileId))
            {
                throw new ArgumentException("file id must be 32 lower-case hex characters, got '" + fileId + "'", nameof(fileId));
            }

            if (IsRemoved(fileId))
            {
                return false;
            }

            using (var tx = _db.BeginTransaction())
            {
                InsertManifest(tx, fileId, body, NowMs());
                tx.Commit();
                Changed();
            }

            WriteManifestFile(fileId, body);
            return true;
        }

        public byte[]? TryGetManifest(string fileId)
        {
            using var cmd = Command("SELECT body FROM manifests WHERE file_id = $f;", ("$f", fileId));
            return cmd.ExecuteScalar() as byte[];
        }

        public IReadOnlyList<string> ListManifests()
        {
            var list = new List<string>();
            using var cmd = Command("SELECT file_id FROM manifests ORDER BY file_id;");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(r.GetString(0));
            }

            return list;
        }

        public void Dispose()
        {
            _db.Dispose();
        }

        internal static FileStream CreateTemp(string path) =>
            new(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 });

        internal string NewTempPath() => Path.Combine(TempPath, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + TempSuffix);

        /// <summary>Renames a verified, flushed file into place and indexes it.</summary>
        private StoredShard Commit(string verifiedPath, string id, long size, string? fileId, int? index)
        {
            MoveIntoPlace(verifiedPath, id);
            long now = NowMs();
            long started = Diagnostics.StageCounter.Start();
            using (var tx = _db.BeginTransaction())
            {
                InsertShard(tx, id, size, fileId, index, now);
                tx.Commit();
                Changed();
            }

            _stages.Index.Stop(started, 1);

            var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
            return new StoredShard(id, size, fileId, index, at, at);
        }

        private void MoveIntoPlace(string temp, string id)
        {
            long started = Diagnostics.StageCounter.Start();
            string final = PathOf(id);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(temp, final, true);
            _stages.Rename.Stop(started, 0);
        }

        private void InsertShard(SqliteTransaction tx, string id, long size, string? fileId, int? index, long now)
        {
            Changed();
            using var cmd = Command(
                "INSERT INTO shards (id, size, file_id, shard_index, stored_ms, verified_ms) VALUES ($id, $size, $f, $i, $now, $now)" +
                " ON CONFLICT(id) DO UPDATE SET file_id = COALESCE(shards.file_id, excluded.file_id)," +
                " shard_index = COALESCE(shards.shard_index, excluded.shard_index);",
                ("$id", id), ("$size", size), ("$f", (object?)fileId ?? DBNull.Value), ("$i", (object?)index ?? DBNull.Value), ("$now", now));
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }

        private void InsertManifest(SqliteTransaction tx, string fileId, byte[] body, long now)
        {
            Changed();
            using var cmd = Command(
                "INSERT INTO manifests (file_id, body, stored_ms) VALUES ($f, $b, $now)" +
                " ON CONFLICT(file_id) DO UPDATE SET body = excluded.body, stored_ms = excluded.stored_ms;",
                ("$f", fileId), ("$b", body), ("$now", now));
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }

        private const string SelectShard = "SELECT id, size, file_id, shard_index, stored_ms, verified_ms FROM shards";

        private static StoredShard ReadShard(SqliteDataReader r) => new(
            r.GetString(0),
            r.GetInt64(1),
            r.IsDBNull(2) ? null : r.GetString(2),
            r.IsDBNull(3) ? null : r.GetInt32(3),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
            r.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)));

        private void RemoveRow(string id)
        {
            using var cmd = Command("DELETE FROM shards WHERE id = $id;", ("$id", id));
            Changed();
            cmd.ExecuteNonQuery();
            Changed();
        }

        private void MarkVerified(string id)
        {
            using var cmd = Command("UPDATE shards SET verified_ms = $now WHERE id = $id;", ("$id", id), ("$now", NowMs()));
            cmd.ExecuteNonQuery();
        }

        private void Quarantine(string path, string name, string reason)
        {
            Directory.CreateDirectory(QuarantinePath);
            string target = Path.Combine(QuarantinePath, name);
            for (int i = 1; File.Exists(target); i++)
            {
                target = Path.Combine(QuarantinePath, name + "." + i);
            }

            File.Move(path, target);
            Log("quarantined " + name + ": " + reason + " -> " + target);
        }

        private void Log(string message, bool echo = true)
        {
            string line = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ") + " " + message;
            lock (_gate)
            {
                File.AppendAllText(Path.Combine(Home, LogFileName), line + "\n");
                if (echo)
                {
                    _log?.WriteLine("store: " + message);
                }
            }
        }

        private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        private void Execute(string sql)
        {
            using var cmd = Command(sql);
            cmd.ExecuteNonQuery();
        }

        private long Scalar(string sql)
        {
            using var cmd = Command(sql);
            return Convert.ToInt64(cmd.ExecuteScalar());
        }

        private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
        {
            Interlocked.Increment(ref _queries);
            var cmd = _db.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                cmd.Parameters.AddWithValue(name, value);
            }

            return cmd;
        }
    }
}
