using System.Text;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Http;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Repair;
using AetherEdge.HostNode.Sync;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// <c>GET /metrics</c> on the hub's HTTP host: this hub's own registry in Prometheus text (several hubs
    /// in one process never share one). The counters are declared by the parts that count them
    /// (SyncMetrics, DiscoveryMetrics, MeshMetrics, ...); this publishes the hub's device and scheduler
    /// figures when scraped. Metric names and their seed names: Hub/README.md.
    /// </summary>
    public sealed class MetricsEndpoint : IHttpEndpoints
    {
        private readonly CollectorRegistry _registry;
        private readonly LocalStatus _local;
        private readonly ShardRepairs _repairs;
        private readonly HubScheduler _scheduler;
        private readonly Gauge _batteryPercent, _pluggedIn, _wifi, _allocated, _used, _available;
        private readonly Counter _repaired, _scheduled, _skippedBattery, _skippedNetwork, _skippedFrequency;

        // SyncMetrics, DiscoveryMetrics and MeshMetrics are taken so their collectors exist before the first scrape.
        public MetricsEndpoint(CollectorRegistry registry, LocalStatus local, ShardRepairs repairs, HubScheduler scheduler, SyncMetrics sync, DiscoveryMetrics discovery, MeshMetrics mesh, AetherEdge.HostNode.WifiDirect.WifiDirectMetrics wifiDirect,
            AetherEdge.HostNode.Bluetooth.BleMetrics ble)
        {
            _registry = registry;
            _local = local;
            _repairs = repairs;
            _scheduler = scheduler;
            var m = Metrics.WithCustomRegistry(registry);
            _repaired = m.CreateCounter("aether_shards_repaired_total", "Lost shards this node rebuilt from k others (Reed-Solomon, no user key).");
            _batteryPercent = m.CreateGauge("device_battery_percent", "Battery state of charge.");
            _pluggedIn = m.CreateGauge("device_battery_plugged_in", "1 when on external power.");
            _wifi = m.CreateGauge("device_wifi_connected", "1 when a Wi-Fi or LAN link is up.");
            _allocated = m.CreateGauge("device_storage_allocated_bytes", "Allocation set for shards.");
            _used = m.CreateGauge("device_storage_used_bytes", "Bytes of shards held.");
            _available = m.CreateGauge("device_storage_available_bytes", "Allocation left.");
            _scheduled = m.CreateCounter("sync_scheduled_total", "Sync rounds scheduled.");
            _skippedBattery = m.CreateCounter("sync_skipped_battery_total", "Sync rounds skipped for low battery.");
            _skippedNetwork = m.CreateCounter("sync_skipped_network_total", "Sync rounds skipped for network (cellular only).");
            _skippedFrequency = m.CreateCounter("sync_skipped_frequency_total", "Sync rounds skipped for rate limiting.");
            registry.AddBeforeCollectCallback(Publish);
        }

        public void Map(IEndpointRouteBuilder routes) => routes.MapMetrics("/metrics", _registry);

        /// <summary>The exposition text, as a scrape would get it.</summary>
        public string Render()
        {
            using var buffer = new MemoryStream();
            _registry.CollectAndExportAsTextAsync(buffer).GetAwaiter().GetResult();
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private void Publish()
        {
            var p = _local.Profile();
            _batteryPercent.Set(p.Battery.Percent);
            _pluggedIn.Set(p.Battery.PluggedIn ? 1 : 0);
            _wifi.Set(p.WifiConnected ? 1 : 0);
            _allocated.Set(p.AllocationBytes);
            _used.Set(p.UsedBytes);
            _available.Set(p.AvailableBytes);
            _repaired.IncTo(_repairs.RepairedTotal);
            var counts = _scheduler.Counts();
            _scheduled.IncTo(counts.Scheduled);
            _skippedBattery.IncTo(counts.SkippedBattery);
            _skippedNetwork.IncTo(counts.SkippedNetwork);
            _skippedFrequency.IncTo(counts.SkippedFrequency);
        }
    }
}
