using System.Net;
using System.Security.Cryptography;
using System.Text;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Trust;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.TestSupport.Dashboard
{
    /// <summary>
    /// A real hub (its container, home, SQLite store and pipeline) with SIMULATED peers: each is a trusted
    /// device whose Hello and inventory are recorded as a sync session would, holding the shards the hub's
    /// plan assigns it. Files are put for real (folder puts, so their names are sealed into manifests).
    /// Lets the dashboard be tested with 50 devices and 1,000 files without running 50 hubs.
    /// </summary>
    public sealed class SimulatedKit : IDisposable
    {
        private readonly List<DeviceId> _peers = new();

        public SimulatedKit(string name = "kit-hub", bool start = false, Action<HubSettings>? configure = null)
        {
            Home = Path.Combine(Path.GetTempPath(), "aesy-dash-" + Guid.NewGuid().ToString("N"));
            Settings = new HubSettings { Home = Home, Name = name, Mdns = false, Port = 0, HttpPort = 0 };
            configure?.Invoke(Settings);
            Host = HubHost.Build(Settings, TextWriter.Null);
            if (start)
            {
                Start();
            }
        }

        /// <summary>
        /// Starts the hub's services. Set the kit up first: <see cref="PutFiles"/> and <see cref="PlaceAsPlanned"/>
        /// write the store directly, which must not race a running hub's sessions on the same connection.
        /// </summary>
        public void Start() => Host.StartAsync().GetAwaiter().GetResult();

        public string Home { get; }

        public HubSettings Settings { get; }

        public IHost Host { get; }

        public IReadOnlyList<DeviceId> Peers => _peers;

        public T Get<T>()
            where T : notnull => Host.Services.GetRequiredService<T>();

        /// <summary>A device ID no real device has (hash of a label).</summary>
        public static DeviceId FakeDevice(string label) => DeviceId.FromPublicKeyInfo(Encoding.UTF8.GetBytes("simulated " + label));

        /// <summary>Adds a trusted simulated peer that just said Hello (online), with an empty inventory.</summary>
        public DeviceId AddPeer(string name, DeviceKind kind = DeviceKind.Desktop, long allocationBytes = 50_000_000_000, int batteryPercent = 100, bool pluggedIn = true, bool hasBattery = false)
        {
            var id = FakeDevice(name);
            Get<TrustCircle>().Add(id, name, DateTimeOffset.UtcNow);
            // As mDNS would have found it: an address on the documentation network (RFC 5737; nothing answers there).
            Get<PeerDirectory>().Upsert(new IPEndPoint(IPAddress.Parse("192.0.2." + (_peers.Count + 1)), HubSettings.DefaultPort), id, "mdns");
            Hello(id, name, kind, allocationBytes, 0, batteryPercent, pluggedIn, hasBattery);
            Get<PeerKnowledge>().Inventory(id, Array.Empty<string>());
            _peers.Add(id);
            return id;
        }

        /// <summary>The peer's Hello as a session records it.</summary>
        public void Hello(DeviceId id, string name, DeviceKind kind, long allocationBytes, long usedBytes, int batteryPercent, bool pluggedIn, bool hasBattery)
        {
            int flags = (pluggedIn ? HelloFrame.FlagPluggedIn : 0) | HelloFrame.FlagWifiConnected | (hasBattery ? 0 : HelloFrame.FlagNoBattery)
                | (kind is DeviceKind.Hub or DeviceKind.Desktop ? HelloFrame.FlagAlwaysOn : 0);
            Get<PeerKnowledge>().Heard(id, new HelloFrame(SyncLimits.Version, (int)kind, allocationBytes, usedBytes, batteryPercent, flags, name));
        }

        /// <summary>Puts files named <paramref name="names"/> (folder-put paths) of <paramref name="bytes"/> each; returns their IDs.</summary>
        public IReadOnlyList<string> PutFiles(IReadOnlyList<string> names, int bytes = 2048, int dataShards = 6, int parityShards = 9)
        {
            string src = Path.Combine(Home, "put-src");
            Directory.CreateDirectory(src);
            var sources = new List<PutSource>();
            for (int i = 0; i < names.Count; i++)
            {
                string path = Path.Combine(src, "f" + i);
                File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(bytes));
                sources.Add(new PutSource(path, names[i]));
            }

            var keys = new UserKeys(NodeHome.Open(Home).ReadUserKey());
            var results = new ShardPipeline(Get<ShardStore>(), keys).PutMany(sources, dataShards, parityShards, ShardLimits.MinSegmentBytes);
            Directory.Delete(src, true);
            return results.Select(r => r.Manifest.FileIdText).ToList();
        }

        /// <summary>
        /// Moves every file's shards where the hub's plan puts them, as sync rounds would: peers' inventories
        /// list their assigned shards, and this hub keeps only its own.
        /// </summary>
        public void PlaceAsPlanned()
        {
            var store = Get<ShardStore>();
            var oracle = Get<PlacementOracle>();
            var knowledge = Get<PeerKnowledge>();
            var held = _peers.ToDictionary(p => p.Text, _ => new List<string>(), StringComparer.Ordinal);
            foreach (string fileId in store.ListManifests())
            {
                var view = oracle.View(fileId) ?? throw new InvalidOperationException("no plan for " + fileId);
                for (int s = 0; s < view.Layout.TotalShards; s++)
                {
                    string shard = view.Layout.ShardIds[s];
                    if (view.Assigned[s] is string to && held.TryGetValue(to, out var list))
                    {
                        list.Add(shard);
                        store.DeleteShard(shard);
                    }
                }
            }

            foreach (var p in _peers)
            {
                knowledge.Inventory(p, held[p.Text].Concat(Holding(p)).Distinct(StringComparer.Ordinal));
            }
        }

        /// <summary>The peer forgets (loses) the shards of <paramref name="fileId"/> it held.</summary>
        public void Lose(DeviceId peer, string fileId)
        {
            var layout = ShardManifest.ReadUnverified(Get<ShardStore>().TryGetManifest(fileId)!)!;
            var drop = new HashSet<string>(layout.ShardIds, StringComparer.Ordinal);
            Get<PeerKnowledge>().Inventory(peer, Holding(peer).Where(s => !drop.Contains(s)).ToList());
        }

        /// <summary>Every copy of <paramref name="fileId"/>'s shards beyond the first k is lost (here and on peers): one more device loss can lose the file.</summary>
        public void LeaveOnlyK(string fileId)
        {
            var store = Get<ShardStore>();
            var layout = ShardManifest.ReadUnverified(store.TryGetManifest(fileId)!)!;
            var drop = new HashSet<string>(layout.ShardIds.Skip(layout.DataShards), StringComparer.Ordinal);
            foreach (string shard in drop)
            {
                store.DeleteShard(shard);
            }

            foreach (var p in _peers)
            {
                Get<PeerKnowledge>().Inventory(p, Holding(p).Where(s => !drop.Contains(s)).ToList());
            }
        }

        private IEnumerable<string> Holding(DeviceId peer)
        {
            var k = Get<PeerKnowledge>();
            foreach (string fileId in Get<ShardStore>().ListManifests())
            {
                var layout = ShardManifest.ReadUnverified(Get<ShardStore>().TryGetManifest(fileId)!)!;
                foreach (string s in layout.ShardIds)
                {
                    if (k.Holds(peer, s))
                    {
                        yield return s;
                    }
                }
            }
        }

        public void Dispose()
        {
            try
            {
                Host.StopAsync().GetAwaiter().GetResult();
            }
            finally
            {
                Host.Dispose();
                if (Directory.Exists(Home))
                {
                    Directory.Delete(Home, true);
                }
            }
        }
    }
}
