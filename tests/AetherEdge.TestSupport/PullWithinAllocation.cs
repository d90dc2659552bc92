using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.TestSupport
{
    /// <summary>Pulls every offered shard while room is left under the allocation (full replication within quota, no plan).</summary>
    public sealed class PullWithinAllocation : IPullPolicy
    {
        private readonly Func<long> _available;

        public PullWithinAllocation(Func<long> availableBytes)
        {
            _available = availableBytes;
        }

        // The store refuses what does not fit (NoSpace); this only stops asking once nothing is left.
        public bool ShouldPull(string shardId, DeviceId peer) => _available() > 0;

        public IDisposable Batch() => NoBatch.Instance;

        // The room left decides: a changed room is a changed state.
        public string StateKey() => _available().ToString(System.Globalization.CultureInfo.InvariantCulture);

        public IReadOnlyList<string> FileShards(string id) => Array.Empty<string>();

        public string[] Extra() => Array.Empty<string>();

        /// <summary>The hub's session policy over <paramref name="store"/> with this pull policy and unlimited room: pulls everything it lacks.</summary>
        public static HubSyncHosts PullAll(INodeStore store) =>
            new(store, new PullWithinAllocation(() => long.MaxValue), new PeerKnowledge(_ => true, PeerKnowledge.DefaultOnlineWindow));

        private sealed class NoBatch : IDisposable
        {
            public static readonly NoBatch Instance = new();

            public void Dispose()
            {
            }
        }
    }
}
