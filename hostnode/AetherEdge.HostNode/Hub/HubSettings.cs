using System.Net;
using System.Text.Json;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Home;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Hub settings: embedded defaults, then the home's config (<c>HOME/config.json</c>, read by
    /// <see cref="NodeHome"/>: nodeName, kind, allocationBytes, port) and <c>HOME/hub.json</c> (httpPort, httpBind,
    /// interface, peers, syncIntervalSeconds, onlineWindowSeconds, sessionIdleSeconds, pushOrphanGraceSeconds, mdns, meshHops, relayBufferBytes,
    /// bluetooth, bluetoothBus, wifiDirect), then command-line overrides.
    /// Unknown keys are ignored.
    /// </summary>
    public sealed class HubSettings
    {
        public const int DefaultPort = 43216;
        public const int DefaultHttpPort = 43217;
        public const int DefaultSyncIntervalSeconds = 30;
        public const int DefaultOnlineWindowSeconds = 180;
        public const int DefaultSessionIdleSeconds = 60;
        public const int DefaultChangePollMilliseconds = 250;
        public const string HubFileName = "hub.json";

        public string Home { get; set; } = string.Empty;

        public string Name { get; set; } = Environment.MachineName;

        public DeviceKind Kind { get; set; } = DeviceKind.Hub;

        public long AllocationBytes { get; set; } = StorageAllocation.DefaultAllocationBytes(DeviceKind.Hub);

        public bool AllocationSet { get; set; }

        public int Port { get; set; } = DefaultPort;

        public int HttpPort { get; set; } = DefaultHttpPort;

        public IPAddress? Interface { get; set; }

        /// <summary>Where the HTTP host (/metrics, pages) listens: loopback unless told (hub.json httpBind, --http-bind).</summary>
        public IPAddress HttpBind { get; set; } = IPAddress.Loopback;

        public List<IPEndPoint> StaticPeers { get; } = new();

        public int SyncIntervalSeconds { get; set; } = DefaultSyncIntervalSeconds;

        /// <summary>How often the hub looks for store changes made by other processes (put, rm) to push them.</summary>
        public int ChangePollMilliseconds { get; set; } = DefaultChangePollMilliseconds;

        /// <summary>A sync session that moves nothing for this long is ended (Sync/SyncSessionOptions).</summary>
        public int SessionIdleSeconds { get; set; } = DefaultSessionIdleSeconds;

        /// <summary>Shards a peer pushed for a put that never committed are removed this long after (Push/PushedLedger).</summary>
        public int PushOrphanGraceSeconds { get; set; } = AetherEdge.HostNode.Push.PushOrphanOptions.DefaultGraceSeconds;

        /// <summary>A peer counts as online (in plans) this long after its last Hello.</summary>
        public int OnlineWindowSeconds { get; set; } = DefaultOnlineWindowSeconds;

        /// <summary>Hop limit of mesh packets this hub originates (router default 3, at most 7).</summary>
        public int MeshHopLimit { get; set; } = AetherEdge.Core.Routing.RoutingLimits.DefaultHopLimit;

        /// <summary>
        /// The relay budget (the "relay cache"): bytes this hub may hold in flight for tunnels it relays
        /// between other hubs (flow-control windows and pipes; nothing is stored). Bounds a relay's memory.
        /// </summary>
        public long RelayBufferBytes { get; set; } = AetherEdge.HostNode.Mesh.MeshTunnelOptions.DefaultRelayBytes;

        /// <summary>
        /// The BlueZ adapter the hub's BLE transport uses (hub.json <c>bluetooth</c>, <c>--bluetooth</c>): "hci0" by default,
        /// null when turned off ("off"). An absent bluetoothd or adapter is logged once and the hub runs without BLE.
        /// </summary>
        public string? BluetoothAdapter { get; set; } = AetherEdge.HostNode.Bluetooth.BleOptions.DefaultAdapter;

        /// <summary>
        /// Wi-Fi Direct (hub.json <c>wifiDirect</c>, <c>--wifi-direct</c>): "auto" (the Pi's p2p-dev-wlan0 socket when present),
        /// "off", an interface name in /run/wpa_supplicant or a control socket path.
        /// </summary>
        public string WifiDirect { get; set; } = AetherEdge.HostNode.WifiDirect.WifiDirectOptions.Auto;

        /// <summary>The D-Bus bus bluetoothd is on (hub.json <c>bluetoothBus</c>; default the system bus).</summary>
        public string BluetoothBus { get; set; } = AetherEdge.HostNode.Bluetooth.BluezAdapter.SystemBusAddress;

        /// <summary>Parses a --bluetooth / hub.json value: an adapter name (hciN) or "off"; null when neither.</summary>
        public static bool TryParseBluetooth(string text, out string? adapter)
        {
            adapter = null;
            if (string.Equals(text, AetherEdge.HostNode.Bluetooth.BleOptions.Off, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (text.Length is > 3 and <= 8 && text.StartsWith("hci", StringComparison.Ordinal) && text.Skip(3).All(char.IsAsciiDigit))
            {
                adapter = text;
                return true;
            }

            return false;
        }

        /// <summary>False disables mDNS advertising/browsing (static peers only).</summary>
        public bool Mdns { get; set; } = true;

        /// <summary>Reads the home's files over the defaults. Throws IOException naming a bad file.</summary>
        public static HubSettings Load(string home)
        {
            var s = new HubSettings { Home = home };
            NodeHome? node;
            try
            {
                node = NodeHome.TryOpen(home);
            }
            catch (HomeException e)
            {
                throw new IOException(e.Message);
            }

            if (node != null)
            {
                var config = node.Config;
                if (config.NodeName.Length > 0)
                {
                    s.Name = config.NodeName;
                }

                s.Kind = node.Kind;
                s.AllocationBytes = StorageAllocation.DefaultAllocationBytes(node.Kind);
                if (config.AllocationBytes > 0)
                {
                    s.AllocationBytes = config.AllocationBytes;
                    s.AllocationSet = true;
                }

                if (config.Port is > 0 and <= 65535)
                {
                    s.Port = config.Port;
                }
            }

            string hub = Path.Combine(home, HubFileName);
            if (File.Exists(hub))
            {
                using var doc = Parse(hub);
                var root = doc.RootElement;
                if (root.TryGetProperty("httpPort", out var hp) && hp.TryGetInt32(out int h) && h is >= 0 and <= 65535)
                {
                    s.HttpPort = h;
                }

                if (root.TryGetProperty("httpBind", out var hb) && hb.ValueKind == JsonValueKind.String)
                {
                    s.HttpBind = IPAddress.TryParse(hb.GetString(), out var ip) ? ip : throw new IOException(hub + ": httpBind is not an IP address");
                }

                if (root.TryGetProperty("interface", out var itf) && itf.ValueKind == JsonValueKind.String)
                {
                    s.Interface = IPAddress.TryParse(itf.GetString(), out var ip) ? ip : throw new IOException(hub + ": interface is not an IP address");
                }

                if (root.TryGetProperty("syncIntervalSeconds", out var si) && si.TryGetInt32(out int sec) && sec > 0)
                {
                    s.SyncIntervalSeconds = sec;
                }

                if (root.TryGetProperty("sessionIdleSeconds", out var sid) && sid.TryGetInt32(out int idle))
                {
                    s.SessionIdleSeconds = idle is >= 2 and <= 3600 ? idle : throw new IOException(hub + ": sessionIdleSeconds must be 2..3600");
                }

                if (root.TryGetProperty("pushOrphanGraceSeconds", out var pog) && pog.TryGetInt32(out int grace))
                {
                    s.PushOrphanGraceSeconds = grace is >= 1 and <= 86400 * 30 ? grace : throw new IOException(hub + ": pushOrphanGraceSeconds must be 1..2592000");
                }

                if (root.TryGetProperty("onlineWindowSeconds", out var ow) && ow.TryGetInt32(out int win) && win > 0)
                {
                    s.OnlineWindowSeconds = win;
                }

                if (root.TryGetProperty("meshHops", out var mh) && mh.TryGetInt32(out int hops))
                {
                    s.MeshHopLimit = hops is >= 1 and <= AetherEdge.Core.Routing.RoutingLimits.MaxHopLimit
                        ? hops
                        : throw new IOException(hub + ": meshHops must be 1.." + AetherEdge.Core.Routing.RoutingLimits.MaxHopLimit);
                }

                if (root.TryGetProperty("relayBufferBytes", out var rb) && rb.TryGetInt64(out long relay))
                {
                    s.RelayBufferBytes = relay > 0 ? relay : throw new IOException(hub + ": relayBufferBytes must be more than 0");
                }

                if (root.TryGetProperty("bluetooth", out var bt))
                {
                    s.BluetoothAdapter = bt.ValueKind == JsonValueKind.String && TryParseBluetooth(bt.GetString()!, out string? adapter)
                        ? adapter
                        : throw new IOException(hub + ": bluetooth must be an adapter name (hci0) or \"off\"");
                }

                if (root.TryGetProperty("wifiDirect", out var wd))
                {
                    s.WifiDirect = wd.ValueKind == JsonValueKind.String && AetherEdge.HostNode.WifiDirect.WifiDirectOptions.IsValidSetting(wd.GetString()!)
                        ? wd.GetString()!
                        : throw new IOException(hub + ": wifiDirect must be auto, off, an interface name or a control socket path");
                }

                if (root.TryGetProperty("bluetoothBus", out var bb) && bb.ValueKind == JsonValueKind.String && bb.GetString()!.Length > 0)
                {
                    s.BluetoothBus = bb.GetString()!;
                }

                if (root.TryGetProperty("mdns", out var md) && (md.ValueKind == JsonValueKind.False || md.ValueKind == JsonValueKind.True))
                {
                    s.Mdns = md.GetBoolean();
                }

                if (root.TryGetProperty("peers", out var peers) && peers.ValueKind == JsonValueKind.Array)
                {
                    foreach (var p in peers.EnumerateArray())
                    {
                        if (p.ValueKind != JsonValueKind.String || !IPEndPoint.TryParse(p.GetString()!, out var ep) || ep.Port == 0)
                        {
                            throw new IOException(hub + ": peers must be \"IP:PORT\" strings");
                        }

                        s.StaticPeers.Add(ep);
                    }
                }
            }

            return s;
        }

        private static JsonDocument Parse(string path)
        {
            try
            {
                return JsonDocument.Parse(File.ReadAllText(path));
            }
            catch (JsonException e)
            {
                throw new IOException(path + " is not valid JSON (" + e.Message + ")");
            }
        }
    }
}
