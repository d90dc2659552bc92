using System.Globalization;
using AetherEdge.Core.Allocation;
using AetherEdge.HostNode.Bluetooth;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Repair;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>
    /// Builds the dashboard's <see cref="KitSnapshot"/> from what the hub already knows: this device and its
    /// store, the trust circle, each peer's last Hello and inventory (<see cref="PeerKnowledge"/>), the
    /// addresses discovery found, mesh routes, BLE nodes heard advertising, the placement plan and repairs under way. One build is reused
    /// for <see cref="DashboardOptions.SnapshotReuse"/>: however many tabs poll, the hub builds at most one
    /// snapshot per period (builds are serialised).
    /// </summary>
    public sealed class KitView
    {
        private readonly LocalDevice _self;
        private readonly ShardStoreSyncStore _store;
        private readonly PlacementOracle _oracle;
        private readonly PeerKnowledge _peers;
        private readonly TrustCircle _trust;
        private readonly PeerDirectory _directory;
        private readonly MeshReachability _mesh;
        private readonly MeshLinks _links;
        private readonly RepairInputs _repairs;
        private readonly IHubActivity _activity;
        private readonly BleMeshService _ble;
        private readonly FileNames _names;
        private readonly DashboardOptions _options;
        private readonly TimeProvider _clock;
        private readonly object _gate = new();
        private KitSnapshot? _last;
        private long _lastBuilt;
        private long _builds;
        private string? _filesKey;
        private FileRow[] _files = Array.Empty<FileRow>();

        public KitView(
            LocalDevice self,
            ShardStoreSyncStore store,
            PlacementOracle oracle,
            PeerKnowledge peers,
            TrustCircle trust,
            PeerDirectory directory,
            MeshReachability mesh,
            MeshLinks links,
            RepairInputs repairs,
            IHubActivity activity,
            BleMeshService ble,
            FileNames names,
            DashboardOptions options,
            TimeProvider clock)
        {
            _self = self;
            _store = store;
            _oracle = oracle;
            _peers = peers;
            _trust = trust;
            _directory = directory;
            _mesh = mesh;
            _links = links;
            _repairs = repairs;
            _activity = activity;
            _ble = ble;
            _names = names;
            _options = options;
            _clock = clock;
        }

        /// <summary>The current snapshot (reused when younger than the reuse period).</summary>
        public KitSnapshot Snapshot()
        {
            lock (_gate)
            {
                if (_last != null && _clock.GetElapsedTime(_lastBuilt) < _options.SnapshotReuse)
                {
                    return _last;
                }

                _last = Build();
                _lastBuilt = _clock.GetTimestamp();
                return _last;
            }
        }

        /// <summary>Files views computed (each row's protection from the plan and the holders): what an unchanged kit does not grow.</summary>
        public long FileViewsBuilt { get; private set; }

        /// <summary>Devices and BLE nodes only, built afresh each call (no file walk: cheap at any number of files).</summary>
        public KitNodes Nodes()
        {
            lock (_gate)
            {
                return new KitNodes(_clock.GetUtcNow(), Devices(Settings()).ToArray(), Beacons());
            }
        }

        /// <summary>The next <see cref="Snapshot"/> is built afresh (a setting changed).</summary>
        public void Invalidate()
        {
            lock (_gate)
            {
                _last = null;
            }
        }

        /// <summary>The settings view alone (after a change, without building the whole kit).</summary>
        public StorageSettingsView Settings()
        {
            long used = _store.UsedBytes;
            long allocation = _self.AllocationBytes;
            long total = NodeHome.TotalCapacityBytes(_options.Home);
            long free = FreeBytes(_options.Home);
            return new StorageSettingsView(
                _self.Name,
                StorageAllocation.KindName(_self.Kind),
                total,
                free,
                allocation,
                StorageAllocation.MinAllocationBytes(_self.Kind),
                StorageAllocation.MaxAllocationBytes(_self.Kind, total),
                used,
                StorageAllocation.RecommendedAllocationBytes(_self.Kind, used, total),
                Math.Round(StorageAllocation.UtilizationPercent(allocation, used), 1));
        }

        private KitSnapshot Build()
        {
            var settings = Settings();
            var devices = Devices(settings);
            var files = Files();
            long build = ++_builds;
            return new KitSnapshot(_clock.GetUtcNow(), build.ToString(CultureInfo.InvariantCulture), devices.ToArray(), files, settings, Beacons());
        }

        private List<DeviceRow> Devices(StorageSettingsView settings)
        {
            var online = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (id, _) in _peers.Online())
            {
                online.Add(id.Text);
            }

            var devices = new List<DeviceRow> { SelfRow(settings) };
            var peers = _trust.Members.Where(m => m.Id != _self.Id).Select(m => PeerRow(m, online.Contains(m.Id.Text)));
            devices.AddRange(peers.OrderByDescending(d => d.Online).ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase));
            return devices;
        }

        private BeaconRow[] Beacons()
        {
            var now = _clock.GetUtcNow();
            return _ble.Seen.Select(b => new BeaconRow(
                b.NodeId.ToString("x8", CultureInfo.InvariantCulture),
                b.Address,
                b.Name,
                StorageAllocation.KindName(b.Kind),
                "ble",
                Hops: 1,
                Math.Round(Math.Max(0, (now - b.LastSeen).TotalSeconds), 1),
                b.Connected,
                b.NoBattery ? "no battery" : b.BatteryPercent.ToString(CultureInfo.InvariantCulture) + " %",
                b.PluggedIn ? "plugged in" : "on battery",
                b.AcceptsBulk,
                b.AllocationBytes,
                b.Rssi)).ToArray();
        }

        private DeviceRow SelfRow(StorageSettingsView s)
        {
            var power = _self.Power;
            var battery = _self.Battery;
            var activity = _activity.Now();
            return new DeviceRow(
                _self.Id.Text,
                _self.Name,
                StorageAllocation.KindName(_self.Kind),
                Self: true,
                Online: true,
                LastSeenSecondsAgo: 0,
                Transports: new[] { "this hub" },
                Battery: power.HasBattery ? battery.Percent.ToString(CultureInfo.InvariantCulture) + " %" : "no battery",
                Power: (battery.PluggedIn ? "plugged in" : "on battery") + " (" + power.Source + ")",
                s.AllocationBytes,
                s.UsedBytes,
                StorageAllocation.AvailableBytes(s.AllocationBytes, s.UsedBytes),
                _store.ShardCount,
                activity.LastSyncUtc,
                activity.LastSkip,
                Hops: 0);
        }

        private DeviceRow PeerRow(TrustMember member, bool isOnline)
        {
            var id = member.Id;
            var profile = _peers.LastProfile(id);
            string? battery = null;
            string? power = null;
            if (profile != null)
            {
                battery = _peers.HasBattery(id) == false ? "no battery" : profile.Battery.Percent.ToString(CultureInfo.InvariantCulture) + " %";
                power = profile.Battery.PluggedIn ? "plugged in" : "on battery";
            }

            var transports = Transports(id);
            return new DeviceRow(
                id.Text,
                member.Name,
                profile == null ? "unknown" : StorageAllocation.KindName(profile.Kind),
                Self: false,
                Online: isOnline,
                LastSeenSecondsAgo: _peers.Age(id) is TimeSpan age ? Math.Round(age.TotalSeconds, 1) : null,
                Transports: transports.ToArray(),
                battery,
                power,
                profile?.AllocationBytes,
                profile?.UsedBytes,
                profile == null ? null : StorageAllocation.AvailableBytes(profile.AllocationBytes, profile.UsedBytes),
                _peers.HeldCount(id),
                LastSyncUtc: _peers.LastInventoryUtc(id),
                LastSkip: null,
                Hops(id));
        }

        /// <summary>
        /// How this hub reaches <paramref name="id"/> now, by kind first: a direct mesh link ("ble link",
        /// "lan link", "wifi-direct link"), an address to dial ("lan 10.0.0.2:43216 (mdns)", "wifi-direct
        /// 192.168.49.1:43216 (wifi-direct)"), or a route through other devices ("via mesh, 2 hops through desk-a").
        /// </summary>
        private string[] Transports(DeviceId id)
        {
            var transports = new List<string>();
            uint node = MeshAddress.Of(id);
            foreach (var link in _links.Snapshot())
            {
                if (link.Neighbour == node)
                {
                    transports.Add(link.Kind + " link");
                }
            }

            foreach (var ep in _directory.Snapshot())
            {
                if (ep.Id == id)
                {
                    string kind = ep.Source == MeshLinkKind.WifiDirect ? MeshLinkKind.WifiDirect : MeshLinkKind.Lan;
                    transports.Add(kind + " " + ep.EndPoint + " (" + ep.Source + (ep.Proven ? ", proven" : string.Empty) + ")");
                }
            }

            var route = _mesh.Find(id, _options.OnlineWindow);
            int hops = route?.Hops ?? _peers.HopsTo(id) ?? 0;
            if (hops > 1)
            {
                string via = route != null && _mesh.DeviceOf(route.Via) is { } v ? " through " + (_trust.NameOf(v) ?? v.Short) : string.Empty;
                transports.Add("via mesh, " + hops.ToString(CultureInfo.InvariantCulture) + " hops" + via);
            }

            return transports.Distinct(StringComparer.Ordinal).ToArray();
        }

        /// <summary>1 when reached directly (a mesh link or an address to dial), the mesh hop count beyond, null when not reachable now.</summary>
        private int? Hops(DeviceId id)
        {
            uint node = MeshAddress.Of(id);
            if (_links.Snapshot().Any(l => l.Neighbour == node) || _directory.Snapshot().Any(ep => ep.Id == id))
            {
                return 1;
            }

            int hops = _mesh.Find(id, _options.OnlineWindow)?.Hops ?? _peers.HopsTo(id) ?? 0;
            return hops >= 1 ? hops : null;
        }

        // Kept while nothing it reads changed (what the store holds, peers' holdings, the devices as planned, repairs
        // under way): 100,000 files cost one pass per change, not one per poll. Holdings here come from the held index
        // (listing every shard row made 1.5 M objects, ~430 MiB, per build at 100,000 files; issue 17).
        private FileRow[] Files()
        {
            // This device (null) and the online peers; the oracle keeps each file's view until its inputs change.
            var online = new DeviceId?[] { null }.Concat(_peers.Online().Select(o => (DeviceId?)o.Id)).ToArray();
            var gathering = _repairs.Gathering();
            string key = _oracle.InputsKey() + "|" + string.Join(",", online.Select(d => d?.Text ?? "-")) + "|" +
                string.Join(",", gathering.Order(StringComparer.Ordinal));
            if (key == _filesKey)
            {
                return _files;
            }

            FileViewsBuilt++;
            var ids = _store.ManifestIds();
            var rows = new List<FileRow>(ids.Count);
            string self = _self.Id.Text;
            foreach (string fileId in ids)
            {
                var view = _oracle.View(fileId);
                if (view == null)
                {
                    continue;
                }

                var layout = view.Layout;
                int n = layout.TotalShards;
                bool[] here = _store.HoldsEach(layout.ShardIds);
                // Device index per holder: 0 is this device, i + 1 the i-th online peer.
                var holders = new int[n][];
                var held = new List<int>(online.Length);
                int placed = 0;
                int planned = 0;
                int available = 0;
                for (int s = 0; s < n; s++)
                {
                    string shard = layout.ShardIds[s];
                    held.Clear();
                    for (int d = 0; d < online.Length; d++)
                    {
                        if (online[d] is not { } peer ? here[s] : _peers.Holds(peer, shard))
                        {
                            held.Add(d);
                        }
                    }

                    holders[s] = held.ToArray();
                    available += held.Count > 0 ? 1 : 0;
                    planned += view.Assigned[s] != null ? 1 : 0;
                    if (view.Assigned[s] is string assigned && held.Exists(d => (online[d]?.Text ?? self) == assigned))
                    {
                        placed++;
                    }
                }

                int survives = ShardProtection.SurvivableLosses(layout.DataShards, online.Length, holders);
                string state = survives < 0 ? "unreadable" : !view.InventoriesKnown ? "checking" : survives == 0 ? "at risk" : "protected";
                rows.Add(new FileRow(
                    fileId,
                    _names.NameOf(fileId, () => _store.Read(s => s.TryGetManifest(fileId))),
                    layout.OriginalBytes,
                    layout.CreatedUtc,
                    layout.DataShards,
                    n,
                    placed,
                    planned,
                    available,
                    survives,
                    gathering.Contains(fileId),
                    state));
            }

            _names.Keep(new HashSet<string>(ids, StringComparer.Ordinal));
            _files = rows.OrderByDescending(r => r.CreatedUtc).ThenBy(r => r.Name, StringComparer.Ordinal).ToArray();
            _filesKey = key;
            return _files;
        }

        private static long FreeBytes(string path)
        {
            try
            {
                return new DriveInfo(path).AvailableFreeSpace;
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
            {
                return 0;
            }
        }
    }
}
