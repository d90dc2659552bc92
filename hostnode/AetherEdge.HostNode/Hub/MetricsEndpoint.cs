using System.Text;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Http;
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

        // Every counting part is resolved here so its collectors exist before the first scrape (a part nobody
        // resolved would be missing from the page, not shown as 0).
        public MetricsEndpoint(CollectorRegistry registry, IEnumerable<IMetricsSource> sources)
        {
            _registry = registry;
            _ = sources.Count();
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
