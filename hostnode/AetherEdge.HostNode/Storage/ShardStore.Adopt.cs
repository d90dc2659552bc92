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
        public StoredShard AdoptVerifiedShard(string id, string path, string? fileId = null, int? index = null, bool alreadyDurable = false)
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

                // A caller that fsynced a whole group (a push's batch) already made it durable: once is enough.
                if (!alreadyDurable)
                {
                    long started = Diagnostics.StageCounter.Start();
                    fs.Flush(true);
                    _stages.Fsync.Stop(started, size);
                }
            }

            return Commit(path, id, size, fileId, index);
        }
    }
}
