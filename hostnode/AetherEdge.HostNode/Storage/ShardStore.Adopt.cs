namespace AetherEdge.HostNode.Storage
{
    public sealed partial class ShardStore
    {
        /// <summary>
        /// Takes over a complete file whose SHA-256 the caller has already checked equals
        /// <paramref name="id"/> (sync hashes while receiving): quota check, fsync, rename into place,
        /// index row, under the writers' lock like <see cref="PutShard"/> but without a second hash
        /// and copy. The file should be on the store's file system (a rename); it is gone afterwards
        /// unless an exception is thrown. A wrong caller cannot make a bad shard servable:
        /// <see cref="TryOpenShard"/> still verifies every read.
        /// </summary>
        public StoredShard AdoptVerifiedShard(string id, string path, string? fileId = null, int? index = null)
        {
            if (!ShardId.IsValid(id))
            {
                throw new ArgumentException("shard id must be 64 lower-case hex characters, got '" + id + "'", nameof(id));
            }

            var existing = Find(id);
            if (existing != null)
            {
                File.Delete(path);
                return existing;
            }

            using var writeLock = LockWriters();
            long size;
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                size = fs.Length;
                long available = AvailableBytes;
                if (size > available)
                {
                    throw new QuotaExceededException(size, available, AllocationBytes);
                }

                long started = Diagnostics.StageCounter.Start();
                fs.Flush(true);
                _stages.Fsync.Stop(started, size);
            }

            return Commit(path, id, size, fileId, index);
        }

        /// <summary>
        /// Takes over many complete files the caller already fsynced and whose SHA-256 it checked equals each id (a push's
        /// batch): one hold of the writers' lock, each renamed into place, every row in ONE index transaction (one WAL
        /// sync instead of one per shard: per-shard transactions were the receiver's largest cost for many small files).
        /// One entry per input: the stored shard, or null when it did not fit the quota (its file is deleted). On a
        /// failure nothing of the batch is left indexed or in place.
        /// </summary>
        public StoredShard?[] AdoptDurableShards(IReadOnlyList<(string Id, string Path)> shards)
        {
            var result = new StoredShard?[shards.Count];
            var placed = new List<(int At, string Id, long Size)>();
            using var writeLock = LockWriters();
            long available = AvailableBytes;
            try
            {
                for (int i = 0; i < shards.Count; i++)
                {
                    var (id, path) = shards[i];
                    if (!ShardId.IsValid(id))
                    {
                        throw new ArgumentException("shard id must be 64 lower-case hex characters, got '" + id + "'", nameof(shards));
                    }

                    if (Find(id) is { } existing)
                    {
                        File.Delete(path);
                        result[i] = existing;
                        continue;
                    }

                    long size = new FileInfo(path).Length;
                    if (size > available)
                    {
                        File.Delete(path);
                        continue;
                    }

                    available -= size;
                    MoveIntoPlace(path, id);
                    placed.Add((i, id, size));
                }

                if (placed.Count > 0)
                {
                    long now = NowMs();
                    long started = Diagnostics.StageCounter.Start();
                    using (var tx = _db.BeginTransaction())
                    {
                        foreach (var p in placed)
                        {
                            InsertShard(tx, p.Id, p.Size, null, null, now);
                        }

                        tx.Commit();
                        Changed();
                    }

                    _stages.Index.Stop(started, placed.Count);
                    var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
                    foreach (var p in placed)
                    {
                        result[p.At] = new StoredShard(p.Id, p.Size, null, null, at, at);
                    }
                }
            }
            catch
            {
                foreach (var p in placed)
                {
                    if (result[p.At] == null)
                    {
                        File.Delete(PathOf(p.Id));
                    }
                }

                throw;
            }

            return result;
        }
    }
}
