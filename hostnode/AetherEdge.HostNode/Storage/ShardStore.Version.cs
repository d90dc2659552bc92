namespace AetherEdge.HostNode.Storage
{
    public sealed partial class ShardStore
    {
        private long _localChanges;
        private long _externalChanges;
        private long _dataVersion = -1;
        private long _queries;

        /// <summary>
        /// Rows this connection inserted, replaced or removed since open: a change counter, so a reader that
        /// caches the index (the hub) knows when to look again. Bumped before and after each commit, so a
        /// reader that saw the number never misses a change that was still committing.
        /// </summary>
        public long LocalChanges => Interlocked.Read(ref _localChanges);

        /// <summary>
        /// Queries this connection ran (every index lookup, listing, sum and write): what a round that found
        /// nothing changed must not grow (counted by the scale tests).
        /// </summary>
        public long Queries => Interlocked.Read(ref _queries);

        /// <summary>
        /// Counts commits by other connections (another <c>aether</c> process putting into this home) since
        /// open, by SQLite's <c>PRAGMA data_version</c>: one cheap call, no table read. Call it once per round,
        /// not per shard.
        /// </summary>
        public long ExternalChanges()
        {
            lock (_gate)
            {
                using var cmd = _db.CreateCommand();
                cmd.CommandText = "PRAGMA data_version;";
                long v = Convert.ToInt64(cmd.ExecuteScalar());
                if (v != _dataVersion)
                {
                    if (_dataVersion != -1)
                    {
                        _externalChanges++;
                    }

                    _dataVersion = v;
                }

                return _externalChanges;
            }
        }

        /// <summary>Every shard id and size, and whether it was put here (file known) or arrived by sync, in one query.</summary>
        public void ScanShards(Action<string, long, bool> each)
        {
            using var cmd = Command("SELECT id, size, file_id IS NULL FROM shards;");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                each(r.GetString(0), r.GetInt64(1), r.GetInt64(2) != 0);
            }
        }

        /// <summary>
        /// Every shard id as its key, in one query: SQLite turns the hex into 32 bytes, read into one buffer (no id
        /// string per row; <c>aether ls</c> at 100,000 files reads 1.5 M of them).
        /// </summary>
        public void ScanShardKeys(Action<ShardKey> each)
        {
            using var cmd = Command("SELECT unhex(id) FROM shards WHERE length(id) = 64;");
            using var r = cmd.ExecuteReader();
            byte[] buffer = new byte[32];
            while (r.Read())
            {
                if (!r.IsDBNull(0) && r.GetBytes(0, 0, buffer, 0, buffer.Length) == buffer.Length)
                {
                    each(ShardKey.FromBytes(buffer));
                }
            }
        }

        /// <summary>
        /// Up to <paramref name="limit"/> shards with ids after <paramref name="after"/> (all when null), in id order:
        /// one step of a load that lets go of the caller's lock between steps. Returns the number of rows read.
        /// </summary>
        public int ScanShardsAfter(string? after, int limit, Action<string, long, bool> each)
        {
            using var cmd = Command("SELECT id, size, file_id IS NULL FROM shards WHERE id > $a ORDER BY id LIMIT $n;", ("$a", after ?? string.Empty), ("$n", limit));
            using var r = cmd.ExecuteReader();
            int n = 0;
            while (r.Read())
            {
                each(r.GetString(0), r.GetInt64(1), r.GetInt64(2) != 0);
                n++;
            }

            return n;
        }

        /// <summary>Every manifest's file id and body length, in one query (no bodies read).</summary>
        public void ScanManifests(Action<string, int> each)
        {
            using var cmd = Command("SELECT file_id, length(body) FROM manifests;");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                each(r.GetString(0), r.GetInt32(1));
            }
        }

        /// <summary>Every manifest's file id and body, in one query.</summary>
        public void ScanManifestBodies(Action<string, byte[]> each)
        {
            using var cmd = Command("SELECT file_id, body FROM manifests;");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                each(r.GetString(0), (byte[])r.GetValue(1));
            }
        }

        private void Changed() => Interlocked.Increment(ref _localChanges);
    }
}
