using System.Collections.Concurrent;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>Which shards this node should hold; the placement plan answers it once manifests are known.</summary>
    public interface IPlacementOracle
    {
        /// <summary>True when this node should pull <paramref name="shard"/> (offered by <paramref name="peer"/>).</summary>
        bool ShouldPull(InventoryEntry shard, DeviceId peer);
    }

    /// <summary>
    /// Interim oracle while no manifest format is available: pull every shard that still fits under
    /// the allocation (full replication within quota).
    /// </summary>
    public sealed class FillAllocationOracle : IPlacementOracle
    {
        private readonly Func<long> _available;

        public FillAllocationOracle(Func<long> availableBytes)
        {
            _available = availableBytes;
        }

        public bool ShouldPull(InventoryEntry shard, DeviceId peer) => shard.Length <= _available();
    }

    /// <summary>The hub's session policy: record peers' profiles, pull missing manifests and the shards the oracle assigns here.</summary>
    public sealed class HubSyncHosts : ISyncHostFactory
    {
        private readonly IHubStore _store;
        private IPlacementOracle _oracle;
        private readonly ConcurrentDictionary<string, DeviceId> _claims = new(StringComparer.Ordinal);

        public HubSyncHosts(IHubStore store, IPlacementOracle? oracle = null)
        {
            _store = store;
            _oracle = oracle ?? new FillAllocationOracle(() => long.MaxValue);
        }

        /// <summary>Last Hello of each peer (as a DeviceProfile for the planner) and when it arrived (Environment.TickCount64).</summary>
        public ConcurrentDictionary<DeviceId, (DeviceProfile Profile, long SeenMs)> Profiles { get; } = new();

        /// <summary>Shards each peer was last seen to hold (its inventory, plus items it acknowledged).</summary>
        public ConcurrentDictionary<DeviceId, ConcurrentDictionary<string, bool>> PeerShards { get; } = new();

        /// <summary>Which shards to pull (set once the runtime has built its planner).</summary>
        public IPlacementOracle Oracle
        {
            get => _oracle;
            set => _oracle = value;
        }

        public ISyncSessionHost Create(DeviceId peer) => new Host(this, peer);

        public static DeviceProfile ToProfile(DeviceId id, HelloFrame hello) => new(
            id.Text,
            Enum.IsDefined(typeof(DeviceKind), hello.Kind) ? (DeviceKind)hello.Kind : DeviceKind.Desktop,
            hello.AllocationBytes,
            hello.UsedBytes,
            hello.Has(HelloFrame.FlagAlwaysOn),
            new BatteryStatus(hello.BatteryPercent, hello.Has(HelloFrame.FlagPluggedIn)),
            hello.Has(HelloFrame.FlagWifiOnly),
            hello.Has(HelloFrame.FlagWifiConnected));

        private sealed class Host : ISyncSessionHost, IDisposable
        {
            private readonly HubSyncHosts _owner;
            private readonly DeviceId _peer;
            private readonly HashSet<string> _mine = new(StringComparer.Ordinal);

            public Host(HubSyncHosts owner, DeviceId peer)
            {
                _owner = owner;
                _peer = peer;
            }

            public void OnPeerHello(HelloFrame hello) => _owner.Profiles[_peer] = (ToProfile(_peer, hello), Environment.TickCount64);

            public string[] ChooseWants(InventoryEntry[] peerInventory)
            {
                var seen = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
                foreach (var e in peerInventory)
                {
                    if (e.Kind == SyncItemKind.Shard)
                    {
                        seen[e.Id] = true;
                    }
                }

                _owner.PeerShards[_peer] = seen;
                var wants = new List<string>();
                using var once = (_owner._oracle as PlacementOracle)?.PlanEachFileOnce();
                foreach (var e in peerInventory)
                {
                    bool missing = e.Kind == SyncItemKind.Manifest ? !_owner._store.HasManifest(e.Id) : !_owner._store.HasShard(e.Id);
                    if (!missing || (e.Kind == SyncItemKind.Shard && !_owner._oracle.ShouldPull(e, _peer)))
                    {
                        continue;
                    }

                    // Another session may already be pulling it from a different peer.
                    if (_owner._claims.TryAdd(e.Id, _peer))
                    {
                        _mine.Add(e.Id);
                        wants.Add(e.Id);
                    }
                }

                return wants.ToArray();
            }

            public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes) => Release(id);

            public void OnItemServed(string id, AckStatus status)
            {
                if (status == AckStatus.Ok)
                {
                    _owner.PeerShards.GetOrAdd(_peer, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal))[id] = true;
                }
            }

            public void OnBytesReceived(long bytes)
            {
            }

            public void Dispose()
            {
                foreach (string id in _mine.ToArray())
                {
                    Release(id);
                }
            }

            private void Release(string id)
            {
                if (_mine.Remove(id))
                {
                    _owner._claims.TryRemove(id, out _);
                }
            }
        }
    }
}
