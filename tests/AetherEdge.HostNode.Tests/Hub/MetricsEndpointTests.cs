using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Hub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.HostNode.Tests.Hub
{
    public class MetricsEndpointTests
    {
        [Fact]
        public void Render_DiscoveryCounters_ExportedWithHelpTypeAndProtocolLabels()
        {
            string home = Path.Combine(Path.GetTempPath(), "aether-metrics-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var hub = HubHost.Build(new HubSettings { Home = home, Name = "metrics-test" }, TextWriter.Null);
                var discovery = new DiscoveryMetrics();
                discovery.PeerDiscovered(DiscoveryMetrics.ProtocolMdns);
                discovery.PeerDiscovered(DiscoveryMetrics.ProtocolMdns);
                discovery.PeerLost(DiscoveryMetrics.ProtocolMdns);
                discovery.PacketReceived();
                discovery.PacketMalformed();
                discovery.NameConflict();
                discovery.LinkChange();

                string text = hub.Services.GetServices<IHostedService>().OfType<MetricsEndpoint>().Single().Render(discovery);

                Assert.Contains("aether_discovery_peers_discovered_total{protocol=\"mdns\"} 2\n", text);
                Assert.Contains("aether_discovery_peers_lost_total{protocol=\"mdns\"} 1\n", text);
                Assert.Contains("aether_mdns_packets_received_total 1\n", text);
                Assert.Contains("aether_mdns_packets_malformed_total 1\n", text);
                Assert.Contains("aether_mdns_name_conflicts_total 1\n", text);
                Assert.Contains("aether_mdns_link_changes_total 1\n", text);
                Assert.Contains("# TYPE aether_discovery_peers_lost_total counter\n", text);
                Assert.Contains("# HELP aether_mdns_link_changes_total ", text);

                // Every sample line belongs to a metric announced by a TYPE line (Prometheus text format).
                var typed = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
                var samples = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(' ', '{')[0]);
                Assert.All(samples, name => Assert.Contains(name, typed));
                Assert.Equal(typed.Count, text.Split('\n').Count(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)));
            }
            finally
            {
                if (Directory.Exists(home))
                {
                    Directory.Delete(home, recursive: true);
                }
            }
        }
    }
}
