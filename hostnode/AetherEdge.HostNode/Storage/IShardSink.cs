namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// Where one shard of a <see cref="ShardSetWriter"/> goes instead of a temp file here: the streaming
    /// put hands the shards the plan gives to another device straight to it. The set still hashes every
    /// shard (the manifest needs the ids), so a sink only moves bytes.
    /// </summary>
    public interface IShardSink
    {
        /// <summary>The next bytes of the shard, in order.</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Every byte was written; <paramref name="id"/> is the shard's content id.</summary>
        void Finish(string id);

        /// <summary>Blocks until the holder has the shard durably (acknowledged); throws <see cref="IOException"/> when it never will.</summary>
        void WaitDurable(CancellationToken cancellation);
    }
}
