using AetherEdge.Core.Devices;
using AetherEdge.Core.Scheduling;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>Everything one running hub owns: identity, trust circle, store, sync endpoint, peers, scheduler.</summary>
    public sealed class HubRuntime : IDisposable
    {
        public HubRuntime(HubSettings settings, TextWriter? log = null)
        {
            Settings = settings;
            if (!NodeHome.IsInitialized(settings.Home))
            {
                NodeHome.Init(settings.Home, settings.Kind, settings.AllocationBytes, settings.Name, DateTimeOffset.UtcNow);
            }

            Identity = NodeIdentity.LoadOrCreate(settings.Home);
            Circle = new TrustCircle(settings.Home);
            Shards = ShardStore.Open(settings.Home, settings.AllocationBytes, false, log);
            Store = new ShardStoreSyncStore(Shards, settings.Home);
            Hosts = new HubSyncHosts(Store);
            Placement = new PlacementOracle(Store, LocalProfile, Hosts.Profiles, Hosts.PeerShards, Circle.Contains, TimeSpan.FromSeconds(settings.OnlineWindowSeconds)) { Pulling = false };
            Repairs = new ShardRepairs(Store, Placement, () => Identity.DeviceId.Text, settings.Home);
            Placement.AlsoPull = Repairs.Wants;
            Store.Divert = Repairs.Accept;
            Hosts.Oracle = Placement;
            Node = new SyncNode(Identity, TlsPeerPolicy.ForCircle(Identity, Circle), Store, Hosts, LocalHello);
        }

        public HubSettings Settings { get; }

        public NodeIdentity Identity { get; }

        public TrustCircle Circle { get; }

        public ShardStore Shards { get; }

        public ShardStoreSyncStore Store { get; }

        public PlacementOracle Placement { get; }

        public HubSyncHosts Hosts { get; }

        /// <summary>Rebuilds lost shards the plan assigns here (Reed-Solomon, no user key).</summary>
        public ShardRepairs Repairs { get; }

        public SyncNode Node { get; }

        public PeerDirectory Peers { get; } = new();

        public SyncScheduler Scheduler { get; } = new();

        public object SchedulerGate { get; } = new();

        /// <summary>Peers seen by discovery (mesh_peers_discovered).</summary>
        public long PeersDiscovered => Interlocked.Read(ref _peersDiscovered);

        private long _peersDiscovered;

        public void CountDiscovered() => Interlocked.Increment(ref _peersDiscovered);

        /// <summary>Power and link state; mains and wired until a power source reports otherwise.</summary>
        public BatteryStatus Battery { get; set; } = BatteryStatus.Mains;

        public bool WifiConnected { get; set; } = true;

        public DeviceProfile LocalProfile() =>
            ProfileFor(Identity.DeviceId.Text, Settings.Kind, Settings.AllocationBytes, Store.UsedBytes, Battery, WifiConnected);

        /// <summary>How a hub describes itself: hubs and desktops are always on; phones sync on Wi-Fi only.</summary>
        public static DeviceProfile ProfileFor(string id, DeviceKind kind, long allocationBytes, long usedBytes, BatteryStatus battery, bool wifiConnected) => new(
            id,
            kind,
            allocationBytes,
            usedBytes,
            kind is DeviceKind.Hub or DeviceKind.Desktop,
            battery,
            kind == DeviceKind.Mobile,
            wifiConnected);

        public HelloFrame LocalHello()
        {
            var p = LocalProfile();
            int flags = (p.Battery.PluggedIn ? HelloFrame.FlagPluggedIn : 0)
                | (p.WifiConnected ? HelloFrame.FlagWifiConnected : 0)
                | (p.AlwaysOn ? HelloFrame.FlagAlwaysOn : 0)
                | (p.WifiOnly ? HelloFrame.FlagWifiOnly : 0);
            string name = Settings.Name.Length > 32 ? Settings.Name.Substring(0, 32) : Settings.Name;
            return new HelloFrame(SyncLimits.Version, (int)p.Kind, p.AllocationBytes, p.UsedBytes, p.Battery.Percent, flags, name);
        }

        /// <summary>
        /// Minimal movement's other half: drops shards that arrived by sync (not ones put here) when
        /// the plan assigns them to another trusted device that is known to hold them. Returns the
        /// ids dropped. Shards of files without a manifest here are never touched.
        /// </summary>
        public IReadOnlyList<string> PruneMisplaced()
        {
            var dropped = new List<string>();
            string self = Identity.DeviceId.Text;

            // One plan per file per pass (a plan costs about 0.2 ms; a hub holds many shards of a file).
            var plans = new Dictionary<string, string?[]?>(StringComparer.Ordinal);
            foreach (var shard in Store.SyncedShards())
            {
                if (Placement.Locate(shard.Id) is not { } at)
                {
                    continue;
                }

                if (!plans.TryGetValue(at.Manifest, out var assigned))
                {
                    plans[at.Manifest] = assigned = Placement.Assignment(at.Manifest);
                }

                string? holder = assigned?[at.Index];
                if (holder == null || holder == self || !DeviceId.TryParse(holder, out var holderId, out _))
                {
                    continue;
                }

                if (Circle.Contains(holderId) && Hosts.PeerShards.TryGetValue(holderId, out var theirs) && theirs.ContainsKey(shard.Id) && Store.DeleteShard(shard.Id))
                {
                    dropped.Add(shard.Id);
                }
            }

            return dropped;
        }

        /// <summary>Reads the battery through the power chain (fuel gauge, sysfs, else mains).</summary>
        public void RefreshPower()
        {
            _power ??= AetherEdge.HostNode.Power.BatterySourceChain.Create(new AetherEdge.HostNode.Power.PowerOptions());
            Battery = _power.Read().Status;
        }

        private AetherEdge.HostNode.Power.BatterySourceChain? _power;

        public void Dispose()
        {
            _power?.Dispose();
            Store.ClosePartials();
            Shards.Dispose();
            Identity.Dispose();
        }
    }
}
