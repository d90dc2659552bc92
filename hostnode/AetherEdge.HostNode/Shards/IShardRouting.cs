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

        /// <summary>
        /// How many of a file's shards the plan keeps here (the put's quota check reserves only those; a holder found
        /// unreachable later adds its shards then, checked again as each file starts).
        /// </summary>
        int PlannedLocal(ShardLayout layout);
    }
}
