using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>Decides, per file of a put, which shards leave this device as they are encoded (the hub's streaming put).</summary>
    public interface IShardRouting
    {
        /// <summary>
        /// One entry per shard of the file <paramref name="fileId"/>: a sink for a shard streamed to its holder, null for one
        /// stored here. Null: every shard stored here.
        /// </summary>
        IShardSink?[]? Route(string fileId, ShardLayout layout);
    }
}
