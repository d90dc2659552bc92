using System.CommandLine;
using System.Net;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether hub</c>: the long-running node daemon (sync, metrics; systemd-ready).</summary>
    public sealed class HubVerb : Command
    {
        private readonly SharedOptions _shared;
        private readonly Option<string?> _name = CliOptions.Text("--name", "this node's name (default: config.json's, else the host name)", "NAME");
        private readonly Option<int?> _port = CliOptions.OptionalInt("--port", "TCP port for sync (default " + HubSettings.DefaultPort + ")", 1, 65535);
        private readonly Option<int?> _httpPort = CliOptions.OptionalInt(
            "--http-port", "HTTP port for /metrics (default " + HubSettings.DefaultHttpPort + "; 0: any free port)", 0, 65535);

        private readonly Option<IPAddress?> _httpBind = CliOptions.Address(
            "--http-bind", "address the HTTP port listens on (default 127.0.0.1; 0.0.0.0: every interface, e.g. for a scraper on another device)");

        private readonly Option<int?> _syncInterval = CliOptions.OptionalInt(
            "--sync-interval", "seconds between sync rounds (default " + HubSettings.DefaultSyncIntervalSeconds + ")", 1, 86400);

        private readonly Option<int?> _onlineWindow = CliOptions.OptionalInt(
            "--online-window", "seconds unheard after which a peer leaves the placement plans (default " + HubSettings.DefaultOnlineWindowSeconds + ")", 1, 86400);

        private readonly Option<int?> _meshHops = CliOptions.OptionalInt(
            "--mesh-hops", "hop limit of mesh packets this hub sends: relays after it (default " + AetherEdge.Core.Routing.RoutingLimits.DefaultHopLimit + ")", 1, AetherEdge.Core.Routing.RoutingLimits.MaxHopLimit);

        private readonly Option<long?> _relayBuffer = CliOptions.OptionalSize(
            "--relay-buffer", "bytes this hub may hold in flight while relaying between other hubs (default 16MB; bounds its relay memory)");

        private readonly Option<int?> _sessionIdle = CliOptions.OptionalInt(
            "--session-idle", "seconds a sync session may make no progress before it is ended (default " + HubSettings.DefaultSessionIdleSeconds + "; keep-alives every quarter of it)", 2, 3600);

        private readonly Option<string?> _bluetooth = CliOptions.Text(
            "--bluetooth", "BlueZ adapter for BLE beacons and phones (default hci0), or off; without bluetoothd the hub runs on its other links", "hci0|off");

        private readonly Option<string?> _wifiDirect = CliOptions.Text(
            "--wifi-direct", "Wi-Fi Direct through wpa_supplicant: auto (default: /run/wpa_supplicant/p2p-dev-wlan0 when present), off, an interface or a control socket path; kit devices with no shared network find each other by P2P service discovery, form a (persistent) group only with trusted devices and sync over it (TCP 43217); laptops join when plugged in or above 50 %, phones when plugged in; a group owner outside the trust circle is left and avoided for 30 min; radio peers show in `aether peers`, counters in /metrics (wifi_direct_*)", "auto|off|IFACE|PATH");

        private readonly Option<bool> _noMdns = CliOptions.Flag("--no-mdns", "neither advertise nor browse on the LAN (use --peers)");

        public HubVerb(SharedOptions shared, CliContext context)
            : base("hub", "run the node daemon: sync with trusted peers, serve metrics\n" +
                "Runs until SIGINT/SIGTERM. Settings come from embedded defaults, then HOME/config.json and\n" +
                "HOME/hub.json, then these options; a home never initialised is initialised with them.\n" +
                "Only devices in the trust circle (aether trust/pair) can connect. Metrics:\n" +
                "http://127.0.0.1:HTTP-PORT/metrics (Prometheus text; --http-bind to serve beyond this device). A peer unheard of for --online-window\n" +
                "seconds leaves the placement plans (its shards are re-placed or rebuilt).")
        {
            _shared = shared;
            Add(shared.Home);
            Add(_name);
            Add(shared.Kind);
            Add(shared.Allocation);
            Add(_port);
            Add(_httpPort);
            Add(_httpBind);
            Add(shared.Interface);
            Add(shared.Peers);
            Add(_syncInterval);
            Add(_onlineWindow);
            Add(_meshHops);
            Add(_relayBuffer);
            Add(_sessionIdle);
            Add(_bluetooth);
            Add(_wifiDirect);
            Add(_noMdns);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            string path = _shared.HomePath(parse);
            StoreVerbSupport.RefuseFileAsHome(path);
            StoreVerbSupport.EnsureWritable(path);
            string home = HomeDirectory.Ensure(path);
            var settings = HubSettings.Load(home);
            if (parse.GetValue(_name) is string name)
            {
                settings.Name = name.Trim();
            }

            if (parse.GetValue(_shared.Kind) is DeviceKind kind)
            {
                settings.Kind = kind;
                if (!settings.AllocationSet)
                {
                    settings.AllocationBytes = StorageAllocation.DefaultAllocationBytes(kind);
                }
            }

            settings.AllocationBytes = parse.GetValue(_shared.Allocation) ?? settings.AllocationBytes;
            if (settings.AllocationBytes <= 0)
            {
                throw new UsageException("--allocation must be more than 0 bytes");
            }

            settings.Port = parse.GetValue(_port) ?? settings.Port;
            settings.HttpPort = parse.GetValue(_httpPort) ?? settings.HttpPort;
            settings.HttpBind = parse.GetValue(_httpBind) ?? settings.HttpBind;
            settings.SyncIntervalSeconds = parse.GetValue(_syncInterval) ?? settings.SyncIntervalSeconds;
            settings.OnlineWindowSeconds = parse.GetValue(_onlineWindow) ?? settings.OnlineWindowSeconds;
            settings.MeshHopLimit = parse.GetValue(_meshHops) ?? settings.MeshHopLimit;
            settings.SessionIdleSeconds = parse.GetValue(_sessionIdle) ?? settings.SessionIdleSeconds;
            settings.RelayBufferBytes = parse.GetValue(_relayBuffer) ?? settings.RelayBufferBytes;
            if (settings.RelayBufferBytes <= 0)
            {
                throw new UsageException("--relay-buffer must be more than 0 bytes");
            }

            settings.Interface = parse.GetValue(_shared.Interface) ?? settings.Interface;
            settings.StaticPeers.AddRange(parse.GetValue(_shared.Peers) ?? Array.Empty<IPEndPoint>());
            if (parse.GetValue(_wifiDirect) is string wd)
            {
                settings.WifiDirect = AetherEdge.HostNode.WifiDirect.WifiDirectOptions.IsValidSetting(wd.Trim())
                    ? wd.Trim()
                    : throw new UsageException("--wifi-direct must be auto, off, an interface name or a control socket path");
            }

            if (parse.GetValue(_bluetooth) is string bt)
            {
                settings.BluetoothAdapter = HubSettings.TryParseBluetooth(bt.Trim(), out string? adapter)
                    ? adapter
                    : throw new UsageException("--bluetooth must be an adapter name (hci0) or off");
            }

            if (parse.GetValue(_noMdns))
            {
                settings.Mdns = false;
            }

            try
            {
                return HubHost.Run(settings, context.Out, context.Error, context.Cancellation);
            }
            catch (AetherEdge.HostNode.Home.HomeException e)
            {
                throw new UsageException(e.Message);
            }
        }
    }
}
