namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// Many files' shard sets written under one hold of the writers' lock, committed in groups: each
    /// group's shards are fsynced in parallel (this disk does 2000 small fsyncs in 12 s one at a time,
    /// 0.8 s sixteen at a time), renamed, and indexed with their manifests in ONE transaction. A
    /// killed or failed batch leaves each file either absent (no manifest, no rows; the store's
    /// reconciliation removes its temps and orphans) or complete.
    /// </summary>
    public sealed class ShardBatch : IDisposable
    {
        private readonly ShardStore _store;
        private readonly IDisposable _writeLock;
        private readonly long _available;
        private long _reserved;

        internal ShardBatch(ShardStore store, IDisposable writeLock, long available)
        {
            _store = store;
            _writeLock = writeLock;
            _available = available;
        }

        /// <summary>Quota taken by the sets begun so far.</summary>
        public long ReservedBytes => Interlocked.Read(ref _reserved);

        /// <summary>
        /// Starts one file's n shards; the quota is checked (with every earlier set of the batch) before a byte is
        /// written. Shards with a sink in <paramref name="remote"/> are streamed to their holder and take no room here.
        /// </summary>
        public ShardSetWriter BeginSet(int count, long bytesPerShard, IShardSink?[]? remote = null)
        {
            int local = remote == null ? count : remote.Count(r => r == null);
            long need = local * bytesPerShard;
            long after = Interlocked.Add(ref _reserved, need);
            if (after > _available)
            {
                Interlocked.Add(ref _reserved, -need);
                throw new QuotaExceededException(need, _available - (after - need), _store.AllocationBytes);
            }

            return _store.NewShardSet(count, bytesPerShard, null, remote);
        }

        /// <summary>Makes sealed sets visible: parallel fsync, rename, one index transaction for all of them.</summary>
        public void Commit(IReadOnlyList<ShardSetWriter> sealedSets) => _store.CommitSets(sealedSets);

        public void Dispose() => _writeLock.Dispose();
    }
}
