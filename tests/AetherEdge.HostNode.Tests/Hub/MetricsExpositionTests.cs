using System.Net;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>
    /// Two real `aether hub` daemons on loopback sync two files; B's /metrics, read over HTTP and parsed by the
    /// Prometheus client's parser, carries every metric under its conventional name and type, with values the
    /// syncs explain.
    /// </summary>
    public sealed class MetricsExpositionTests : IDisposable
    {
        private readonly HubRuns _runs = new("aether-expo-");

        public void Dispose() => _runs.Dispose();

        private static int FreePort() => LoopbackKit.FreePort();

        private string Home(string name) => _runs.Home(name);

        private string Id(string name) => _runs.Id(name);

        private string Status(string name) => _runs.Status(name);

        private void StartHub(params string[] args) => _runs.Start(TimeSpan.FromSeconds(120), args);

        private static Task<bool> Eventually(Func<bool> condition, int seconds = 45) => HubRuns.Eventually(condition, seconds);

        private void Put(string name, int seed)
        {
            string file = Path.Combine(_runs.Root, name);
            var content = new byte[300_000];
            new Random(seed).NextBytes(content);
            File.WriteAllBytes(file, content);
            var put = CliRunner.Run("put", file, "--home", Home("a"));
            Assert.True(put.Code == 0, put.Err);
        }

        [Fact]
        public async Task LiveHub_AfterRealSyncs_ExpositionParsesWithConventionalNamesTypesAndValues()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("a"), "--name", "a").Code);
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("b"), "--name", "b", "--kind", "laptop").Code);
            Assert.Equal(0, CliRunner.Run("trust", "add", Id("b"), "--home", Home("a")).Code);
            Assert.Equal(0, CliRunner.Run("trust", "add", Id("a"), "--home", Home("b")).Code);
            Put("one.bin", 1);
            int portA = FreePort();
            int httpB = FreePort();
            StartHub("hub", "--home", Home("a"), "--port", portA.ToString(), "--http-port", "0", "--interface", "127.0.0.1", "--no-mdns", "--sync-interval", "1");
            StartHub("hub", "--home", Home("b"), "--port", FreePort().ToString(), "--http-port", httpB.ToString(), "--interface", "127.0.0.1", "--no-mdns", "--sync-interval", "1", "--peers", "127.0.0.1:" + portA);
            Assert.True(await Eventually(() => Status("b").Contains("(1 files)")), Status("b"));

            // A second use of the kit: the prediction made at the first is scored.
            Put("two.bin", 2);
            Assert.True(await Eventually(() => Status("b").Contains("(2 files)")), Status("b"));

            using var http = new HttpClient();
            var response = await http.GetAsync("http://127.0.0.1:" + httpB + "/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString());
            var m = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

            // Sessions come and go; values are compared on a scrape between two of them.
            for (int i = 0; i < 100 && !(m.Value("mesh_peers_connected") == 0 && m.Value("mesh_sync_successes_total") == m.Value("mesh_sync_latency_seconds_count", "protocol=tls")); i++)
            {
                await Task.Delay(200);
                m = PrometheusText.Parse(await http.GetStringAsync("http://127.0.0.1:" + httpB + "/metrics"));
            }

            var expected = new Dictionary<string, string>
            {
                ["mesh_peers_discovered"] = "counter",
                ["mesh_peers_lost"] = "counter",
                ["mesh_peers_connected"] = "gauge",
                ["mesh_sync_attempts"] = "counter",
                ["mesh_sync_successes"] = "counter",
                ["mesh_sync_latency_seconds"] = "histogram",
                ["mesh_bytes_transferred"] = "counter",
                ["mesh_handshakes_refused"] = "counter",
                ["device_battery_percent"] = "gauge",
                ["device_battery_plugged_in"] = "gauge",
                ["device_wifi_connected"] = "gauge",
                ["device_storage_allocated_bytes"] = "gauge",
                ["device_storage_used_bytes"] = "gauge",
                ["device_storage_available_bytes"] = "gauge",
                ["sync_scheduled"] = "counter",
                ["sync_skipped_battery"] = "counter",
                ["sync_skipped_network"] = "counter",
                ["sync_skipped_frequency"] = "counter",
                ["sync_adaptive_predictions"] = "counter",
                ["aether_shards_repaired"] = "counter",
                ["aether_mdns_packets_received"] = "counter",
                ["mesh_router_transmissions"] = "counter",
                ["mesh_relay_tunnels"] = "gauge",
            };
            foreach (var (name, type) in expected)
            {
                Assert.True(m.Types.TryGetValue(name, out var got) && got == type, name + ": " + (got ?? "missing"));
            }

            // Counters carry _total on their samples; the seed's non-conventional names are gone (as samples:
            // the client names a counter family without _total).
            Assert.True(m.Has("mesh_sync_attempts_total") && m.Has("sync_scheduled_total") && m.Has("mesh_bytes_transferred_total"));
            foreach (string gone in new[] { "mesh_sync_success_rate", "mesh_sync_latency_ms", "sync_scheduled_count", "sync_skipped_battery", "mesh_handshakes_refused", "aether_discovery_peers_discovered_total" })
            {
                Assert.False(m.Has(gone), gone);
            }

            // Values after two files arrived.
            double attempts = m.Value("mesh_sync_attempts_total");
            double successes = m.Value("mesh_sync_successes_total");
            Assert.True(successes >= 2 && attempts >= successes, attempts + " attempts, " + successes + " successes");
            Assert.Equal(successes, m.Value("mesh_sync_latency_seconds_count", "protocol=tls"));
            Assert.True(m.Value("mesh_sync_latency_seconds_sum", "protocol=tls") > 0);
            Assert.Equal(successes, m.Value("mesh_sync_latency_seconds_bucket", "protocol=tls", "le=+Inf"));
            Assert.True(m.Value("mesh_bytes_transferred_total") >= 2 * 300_000 / 10, "bytes " + m.Value("mesh_bytes_transferred_total"));
            Assert.Equal(1, m.Value("mesh_peers_discovered_total", "protocol=static"));
            Assert.Equal(0, m.Value("mesh_peers_discovered_total", "protocol=mdns"));
            Assert.True(m.Value("sync_scheduled_total") >= 1);
            Assert.True(m.Value("sync_adaptive_predictions_total", "outcome=hit") + m.Value("sync_adaptive_predictions_total", "outcome=miss") >= 1);
            Assert.True(m.Value("device_storage_used_bytes") > 0);
            Assert.Equal(m.Value("device_storage_allocated_bytes") - m.Value("device_storage_used_bytes"), m.Value("device_storage_available_bytes"));
            Assert.Equal(0, m.Value("mesh_handshakes_refused_total"));
            Assert.True(m.Value("aether_stage_bytes_total", "stage=sync.receive") > 0);
            Assert.True(m.Value("aether_stage_calls_total", "stage=sync.hash") > 0);

            // B's mesh link to A (its --peers address) is a counted dial too, apart from the sync rounds' dials. The
            // link is kept up beside the rounds (first try after 2 s, backing off after a failure), so it is waited for.
            Assert.Equal("counter", m.Types.GetValueOrDefault("aether_mesh_dials"));
            for (int i = 0; i < 300 && m.Value("aether_mesh_dials_total", "result=ok") < 1; i++)
            {
                await Task.Delay(200);
                m = PrometheusText.Parse(await http.GetStringAsync("http://127.0.0.1:" + httpB + "/metrics"));
            }

            Assert.True(m.Value("aether_mesh_dials_total", "result=ok") >= 1, "B never counted a mesh link dial to A");
            Assert.Equal(0, m.Value("aether_mesh_dials_total", "result=refused"));
        }
    }
}
