namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// Takes received, hash-checked shards that must not enter the store (repair inputs: kept out of
    /// the inventory so they cannot sway anybody's plan).
    /// </summary>
    public interface IShardDiversion
    {
        /// <summary>True when it took the file at <paramref name="path"/> (moved it away); false: store it as usual.</summary>
        bool TryTake(string shardId, string path);
    }
}
