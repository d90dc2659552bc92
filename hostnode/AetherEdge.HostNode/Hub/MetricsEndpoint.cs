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
    /// in one process never share one). Every metric is declared by the part that counts it; the table of
    /// names (and the seed's names they replace) is in Hub/README.md.
    /// </summary>
    public sealed class MetricsEndpoint : IHttpEndpoints
    {
        private readonly CollectorRegistry _registry;

        // The counting parts are taken so their collectors exist before the first scrape (a part nobody
        // resolved would be missing from the page, not shown as 0).
        public MetricsEndpoint(
            CollectorRegistry registry,
            SyncMetrics sync,
            DiscoveryMetrics discovery,
            MeshMetrics mesh,
            LocalStatus local,
            ShardRepairs repairs,
            HubScheduler scheduler,
            StageMetrics stages,
            AetherEdge.HostNode.WifiDirect.WifiDirectMetrics wifiDirect,
            AetherEdge.HostNode.Bluetooth.BleMetrics ble)
        {
            _registry = registry;
        }

        public void Map(IEndpointRouteBuilder routes) => routes.MapMetrics("/metrics", _registry);

        /// <summary>The exposition text, as a scrape would get it.</summary>
        public string Render()
        {
            using var buffer = new MemoryStream();
            _registry.CollectAndExportAsTextAsync(buffer).GetAwaiter().GetResult();
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }
}
