namespace AetherEdge.HostNode.Storage
{
    /// <summary>A write would exceed the device allocation; nothing was written.</summary>
    public sealed class QuotaExceededException : IOException
    {
        public QuotaExceededException(long needBytes, long availableBytes, long allocationBytes)
            : base("quota exceeded: need " + Core.Allocation.ByteCount.WithBytes(needBytes) + ", available " + Core.Allocation.ByteCount.WithBytes(availableBytes) +
                  " of " + Core.Allocation.ByteCount.WithBytes(allocationBytes) + " allocation")
        {
            NeedBytes = needBytes;
            AvailableBytes = availableBytes;
            AllocationBytes = allocationBytes;
        }

        public long NeedBytes { get; }

        public long AvailableBytes { get; }

        public long AllocationBytes { get; }
    }

    /// <summary>Offered shard bytes do not hash to the id they were offered under; nothing was stored.</summary>
    public sealed class ShardHashMismatchException : IOException
    {
        public ShardHashMismatchException(string id, string actual)
            : base("shard " + id + " rejected: its bytes hash to " + actual)
        {
        }
    }

    /// <summary>
    /// The index is missing, empty or lacks a table while shard or manifest files exist: opening it as a
    /// new store would hide every file and quarantine every shard, so the store refuses and names the fix.
    /// </summary>
    public sealed class IndexLostException : IOException
    {
        public IndexLostException(string home, string problem)
            : base("shard index " + Path.Combine(home, ShardStore.IndexFileName) + " " + problem + " but " + home +
                " holds shard or manifest files; nothing was changed: run 'aether repair-index --home " + home +
                "' to rebuild it from them")
        {
        }
    }
}
