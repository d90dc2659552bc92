using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace AetherEdge.HostNode.Tests.Hub
{
    public sealed class MetricsEndpointTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aether-metrics-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }

        [Fact]
        public void Render_DiscoveryCounters_ExportedWithHelpTypeAndProtocolLabels()
        {
            using var hub = HubHost.Build(new HubSettings { Home = Path.Combine(_root, "a"), Name = "metrics-test" }, TextWriter.Null);
            var discovery = hub.Services.GetRequiredService<DiscoveryMetrics>();
            discovery.PeerDiscovered(DiscoveryMetrics.ProtocolMdns);
            discovery.PeerDiscovered(DiscoveryMetrics.ProtocolMdns);
            discovery.PeerLost(DiscoveryMetrics.ProtocolMdns);
            discovery.PacketReceived();
            discovery.PacketMalformed();
            discovery.NameConflict();
            discovery.LinkChange();

            string text = hub.Services.GetRequiredService<MetricsEndpoint>().Render();

            Assert.Contains("mesh_peers_discovered_total{protocol=\"mdns\"} 2\n", text);
            Assert.Contains("mesh_peers_lost_total{protocol=\"mdns\"} 1\n", text);
            Assert.Contains("aether_mdns_packets_received_total 1\n", text);
            Assert.Contains("aether_mdns_packets_malformed_total 1\n", text);
            Assert.Contains("aether_mdns_name_conflicts_total 1\n", text);
            Assert.Contains("aether_mdns_link_changes_total 1\n", text);
            Assert.Contains("# TYPE mesh_peers_lost_total counter\n", text);
            Assert.Contains("# HELP aether_mdns_link_changes_total ", text);

            // Every sample line belongs to a metric announced by a TYPE line (histograms add _bucket, _sum, _count).
            var typed = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
            var samples = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(' ', '{')[0]);
            Assert.All(samples, name => Assert.True(
                typed.Contains(name) || new[] { "_bucket", "_sum", "_count" }.Any(s => name.EndsWith(s, StringComparison.Ordinal) && typed.Contains(name[..^s.Length])), name));
            Assert.Equal(typed.Count, text.Split('\n').Count(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)));
        }

        [Fact]
        public void TwoHubsInOneProcess_EachHasItsOwnRegistry()
        {
            using var a = HubHost.Build(new HubSettings { Home = Path.Combine(_root, "a"), Name = "a" }, TextWriter.Null);
            using var b = HubHost.Build(new HubSettings { Home = Path.Combine(_root, "b"), Name = "b" }, TextWriter.Null);
            a.Services.GetRequiredService<DiscoveryMetrics>().PacketMalformed();
            a.Services.GetRequiredService<SyncNode>().Metrics.Attempt();

            Assert.Contains("aether_mdns_packets_malformed_total 1\n", a.Services.GetRequiredService<MetricsEndpoint>().Render());
            Assert.Contains("mesh_sync_attempts_total 1\n", a.Services.GetRequiredService<MetricsEndpoint>().Render());
            string other = b.Services.GetRequiredService<MetricsEndpoint>().Render();
            Assert.Contains("aether_mdns_packets_malformed_total 0\n", other);
            Assert.Contains("mesh_sync_attempts_total 0\n", other);
            Assert.NotSame(a.Services.GetRequiredService<SyncMetrics>(), b.Services.GetRequiredService<SyncMetrics>());
        }
    }
}
