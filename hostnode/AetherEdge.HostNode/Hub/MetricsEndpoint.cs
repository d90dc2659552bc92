using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Repair;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Prometheus text exposition at <c>http://127.0.0.1:HTTP-PORT/metrics</c> with the seed's metric
    /// names. A minimal HTTP/1.0 responder on loopback: GET /metrics → 200, anything else → 404.
    /// </summary>
    public sealed class MetricsEndpoint : BackgroundService
    {
        public const int MaxRequestBytes = 8192;

        private readonly HubSettings _settings;
        private readonly SyncNode _node;
        private readonly LocalStatus _local;
        private readonly PeerDirectory _directory;
        private readonly ShardRepairs _repairs;
        private readonly HubScheduler _scheduler;
        private readonly DiscoveryMetrics _discovery;
        private readonly MeshMetrics _mesh;
        private readonly DiscoveryGate _gate;
        private readonly PeerDialer _dialer;
        private readonly ILogger<MetricsEndpoint> _log;

        public MetricsEndpoint(
            HubSettings settings,
            SyncNode node,
            LocalStatus local,
            PeerDirectory directory,
            ShardRepairs repairs,
            HubScheduler scheduler,
            DiscoveryMetrics discovery,
            MeshMetrics mesh,
            DiscoveryGate gate,
            PeerDialer dialer,
            ILogger<MetricsEndpoint> log)
        {
            _settings = settings;
            _node = node;
            _local = local;
            _directory = directory;
            _repairs = repairs;
            _scheduler = scheduler;
            _discovery = discovery;
            _mesh = mesh;
            _gate = gate;
            _dialer = dialer;
            _log = log;
        }

        /// <summary>The bound port (useful when configured as 0).</summary>
        public int BoundPort { get; private set; }

        /// <summary>The exposition text.</summary>
        public string Render() => Render(_discovery);

        /// <summary>The exposition text with the mDNS counters of <paramref name="discovery"/>.</summary>
        public string Render(DiscoveryMetrics discovery)
        {
            var sb = new StringBuilder();
            var m = _node.Metrics;
            var p = _local.Profile();
            void Metric(string name, string type, string help, double value, string? labels = null)
            {
                sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
                sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
                sb.Append(name).Append(labels ?? string.Empty).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }

            sb.Append("# HELP mesh_peers_discovered Peers found, by protocol (static = configured).\n# TYPE mesh_peers_discovered counter\n");
            sb.Append("mesh_peers_discovered{protocol=\"mdns\"} ").Append(_directory.Discovered.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("mesh_peers_discovered{protocol=\"static\"} ").Append(_settings.StaticPeers.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            AppendDiscovery(sb, discovery);
            _gate.AppendTo(sb);
            _dialer.AppendTo(sb);
            Metric("mesh_peers_connected", "gauge", "Active authenticated sync connections.", m.Connected);
            Metric("mesh_sync_attempts", "counter", "Sync sessions started (success + failure).", m.Attempts);
            Metric("mesh_sync_success_rate", "gauge", "Fraction of sync sessions that completed.", m.SuccessRate);
            Metric("mesh_sync_latency_ms", "gauge", "Duration of the last completed sync session in milliseconds.", m.LastLatencyMilliseconds, "{protocol=\"tls\"}");
            Metric("mesh_bytes_transferred", "counter", "Shard and manifest bytes received from peers.", m.BytesTransferred);
            Metric("mesh_handshakes_refused", "counter", "TLS handshakes refused (peer not in the trust circle).", m.Rejected);
            sb.Append("# HELP aether_sync_frames_refused_total Sync frames refused by the replay window, by reason (clock_skew: timestamp outside the allowed skew; replay: nonce seen before or older than the replay floor).\n");
            sb.Append("# TYPE aether_sync_frames_refused_total counter\n");
            sb.Append("aether_sync_frames_refused_total{reason=\"clock_skew\"} ").Append(_node.SkewRefusals.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("aether_sync_frames_refused_total{reason=\"replay\"} ").Append(_node.ReplayRefusals.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("# HELP aether_sync_items_refused_total Items a peer offered that were not stored, by reason.\n");
            sb.Append("# TYPE aether_sync_items_refused_total counter\n");
            sb.Append("aether_sync_items_refused_total{reason=\"no_space\"} ").Append(m.ItemsRefusedNoSpace.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("aether_sync_items_refused_total{reason=\"bad_hash\"} ").Append(m.ItemsRefusedBadHash.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("aether_sync_items_refused_total{reason=\"store_error\"} ").Append(m.ItemsRefusedStoreError.ToString(CultureInfo.InvariantCulture)).Append('\n');
            Metric("aether_shards_repaired_total", "counter", "Lost shards this node rebuilt from k others (Reed-Solomon, no user key).", _repairs.RepairedTotal);
            Metric("device_battery_percent", "gauge", "Battery state of charge.", p.Battery.Percent);
            Metric("device_battery_plugged_in", "gauge", "1 when on external power.", p.Battery.PluggedIn ? 1 : 0);
            Metric("device_wifi_connected", "gauge", "1 when a Wi-Fi or LAN link is up.", p.WifiConnected ? 1 : 0);
            Metric("device_storage_allocated_bytes", "gauge", "Allocation set for shards.", p.AllocationBytes);
            Metric("device_storage_used_bytes", "gauge", "Bytes of shards held.", p.UsedBytes);
            Metric("device_storage_available_bytes", "gauge", "Allocation left.", p.AvailableBytes);
            var counts = _scheduler.Counts();
            Metric("sync_scheduled_count", "counter", "Sync rounds scheduled.", counts.Scheduled);
            Metric("sync_skipped_battery", "counter", "Sync rounds skipped for low battery.", counts.SkippedBattery);
            Metric("sync_skipped_network", "counter", "Sync rounds skipped for network (cellular only).", counts.SkippedNetwork);
            Metric("sync_skipped_frequency", "counter", "Sync rounds skipped for rate limiting.", counts.SkippedFrequency);
            _mesh.AppendTo(sb);
            return sb.ToString();
        }

        private static void AppendDiscovery(StringBuilder sb, DiscoveryMetrics discovery)
        {
            string? last = null;
            foreach (var (name, protocol, value) in discovery.Snapshot().OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                if (name != last)
                {
                    sb.Append("# HELP ").Append(name).Append(' ').Append(DiscoveryMetrics.Help(name)).Append('\n');
                    sb.Append("# TYPE ").Append(name).Append(" counter\n");
                    last = name;
                }

                sb.Append(name);
                if (protocol != null)
                {
                    sb.Append("{protocol=\"").Append(protocol).Append("\"}");
                }

                sb.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (_settings.HttpPort == 0 && !_settings.MetricsOnEphemeralPort)
            {
                return;
            }

            var listener = new TcpListener(IPAddress.Loopback, _settings.HttpPort);
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                _log.LogError("metrics endpoint disabled: cannot listen on 127.0.0.1:{Port}: {Error}", _settings.HttpPort, e.Message);
                return;
            }

            BoundPort = ((IPEndPoint)listener.LocalEndpoint).Port;
            _log.LogInformation("metrics at http://127.0.0.1:{Port}/metrics", BoundPort);
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(stoppingToken);
                    _ = Task.Run(() => ServeAsync(client, stoppingToken), CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            finally
            {
                listener.Stop();
            }
        }

        private async Task ServeAsync(TcpClient client, CancellationToken ct)
        {
            using (client)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    var stream = client.GetStream();
                    var buffer = new byte[MaxRequestBytes];
                    int used = 0;
                    while (used < buffer.Length)
                    {
                        int n = await stream.ReadAsync(buffer.AsMemory(used), timeout.Token);
                        if (n == 0)
                        {
                            break;
                        }

                        used += n;
                        if (Encoding.ASCII.GetString(buffer, 0, used).Contains("\r\n\r\n", StringComparison.Ordinal))
                        {
                            break;
                        }
                    }

                    string request = Encoding.ASCII.GetString(buffer, 0, used);
                    string firstLine = request.Split("\r\n")[0];
                    string[] parts = firstLine.Split(' ');
                    bool ok = parts.Length >= 2 && parts[0] == "GET" && (parts[1] == "/metrics" || parts[1].StartsWith("/metrics?", StringComparison.Ordinal));
                    string body = ok ? Render() : "not found; try /metrics\n";
                    string head = (ok ? "HTTP/1.0 200 OK" : "HTTP/1.0 404 Not Found") + "\r\n" +
                        (ok ? "Content-Type: text/plain; version=0.0.4; charset=utf-8" : "Content-Type: text/plain; charset=utf-8") + "\r\n" +
                        "Content-Length: " + Encoding.UTF8.GetByteCount(body) + "\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(head + body), timeout.Token);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                {
                }
            }
        }
    }
}
