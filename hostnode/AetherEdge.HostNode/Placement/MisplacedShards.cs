using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Placement
{
    /// <summary>
    /// Minimal movement's other half: drops shards that arrived by sync (not ones put here) when the
    /// plan assigns them to another trusted device that is known to hold them. Shards of files without a
    /// manifest here are never touched.
    /// </summary>
    public sealed class MisplacedShards
    {
        private readonly ShardStoreSyncStore _store;
        private readonly PlacementOracle _oracle;
        private readonly PeerKnowledge _peers;
        private string? _quietKey;

        public MisplacedShards(ShardStoreSyncStore store, PlacementOracle oracle, PeerKnowledge peers)
        {
            _store = store;
            _oracle = oracle;
            _peers = peers;
        }

        /// <summary>Drops what is misplaced; returns the ids dropped.</summary>
        public IReadOnlyList<string> Prune()
        {
            // Nothing this depends on changed since a pass that dropped nothing: it would drop nothing again.
            string key = _oracle.InputsKey();
            if (key == _quietKey)
            {
                return Array.Empty<string>();
            }

            var dropped = new List<string>();

            // One plan per file per pass (a plan costs about 0.2 ms; a hub holds many shards of a file).
            var plans = new Dictionary<string, string?[]?>(StringComparer.Ordinal);
            using var batch = _oracle.PlanEachFileOnce();
            foreach (string shard in _store.SyncedShardIds())
            {
                if (_oracle.Locate(shard) is not { } at)
                {
                    continue;
                }

                if (!plans.TryGetValue(at.Manifest, out var assigned))
                {
                    plans[at.Manifest] = assigned = _oracle.Assignment(at.Manifest);
                }

                string? holder = assigned?[at.Index];
                if (holder == null || holder == _oracle.SelfId || !DeviceId.TryParse(holder, out var holderId, out _))
                {
                    continue;
                }

                if (_peers.IsTrusted(holderId) && _peers.Holds(holderId, shard) && _store.DeleteShard(shard))
                {
                    dropped.Add(shard);
                }
            }

            _quietKey = dropped.Count == 0 ? key : null;
            return dropped;
        }
    }
}
