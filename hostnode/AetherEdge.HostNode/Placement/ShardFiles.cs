using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Placement
{
    /// <summary>
    /// Which file (manifest id) and index each shard of the manifests read here belongs to, keyed by the shard's 32
    /// bytes: 1.5 M entries on a hub of 100,000 files, held in one table instead of a concurrent dictionary's 1.5 M
    /// nodes (issue 17: the collector walked them on every pass). Ids that are not shard ids are never found.
    /// Thread-safe.
    /// </summary>
    internal sealed class ShardFiles
    {
        private readonly object _gate = new();
        private readonly Dictionary<ShardKey, (string Manifest, int Index)> _files = new();

        public bool TryGet(string shardId, out (string Manifest, int Index) at)
        {
            at = default;
            if (!ShardKey.TryParse(shardId, out var key))
            {
                return false;
            }

            lock (_gate)
            {
                return _files.TryGetValue(key, out at);
            }
        }

        /// <summary>Records every shard of one file (a shard already known keeps its first file).</summary>
        public void AddFile(string manifestId, IReadOnlyList<string> shardIds)
        {
            lock (_gate)
            {
                for (int i = 0; i < shardIds.Count; i++)
                {
                    if (ShardKey.TryParse(shardIds[i], out var key))
                    {
                        _files.TryAdd(key, (manifestId, i));
                    }
                }
            }
        }
    }
}
