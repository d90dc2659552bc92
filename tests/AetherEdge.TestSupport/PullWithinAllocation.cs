using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.TestSupport
{
    /// <summary>Pulls every offered shard that still fits under the allocation (full replication within quota, no plan).</summary>
    public sealed class PullWithinAllocation : IPullPolicy
    {
        private readonly Func<long> _available;

        public PullWithinAllocation(Func<long> availableBytes)
        {
            _available = availableBytes;
        }

        public bool ShouldPull(InventoryEntry shard, DeviceId peer) => shard.Length <= _available();

        public IDisposable Batch() => NoBatch.Instance;

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
