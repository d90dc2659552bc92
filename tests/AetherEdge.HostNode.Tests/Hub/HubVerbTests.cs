using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>Runs real `aether hub` daemons in-process on loopback ports and checks sync, trust and metrics.</summary>
    public sealed class HubVerbTests : IDisposable
    {
        private readonly HubRuns _runs = new("aesy-hub-");

        public void Dispose() => _runs.Dispose();

        private static int FreePort() => LoopbackKit.FreePort();

        private string Home(string name) => _runs.Home(name);

        private string Id(string name) => _runs.Id(name);

        private string Status(string name) => _runs.Status(name);

        private Task<int> StartHub(params string[] args) => _runs.Start(TimeSpan.FromSeconds(90), args);

        private static Task<bool> Eventually(Func<bool> condition, int seconds = 30) => HubRuns.Eventually(condition, seconds);

        private static async Task<string> Get(int port, string path, string host = "x")
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var s = tcp.GetStream();
            await s.WriteAsync(System.Text.Encoding.ASCII.GetBytes("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n"));
            return await new StreamReader(s).ReadToEndAsync();
        }

        [Fact]
        public async Task Hub_TwoTrustedAndOneStranger_ShardsFollowPlanStrangerGetsNothingMetricsShowIt()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("a"), "--name", "a").Code);
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("b"), "--name", "b", "--kind", "laptop").Code);
            Assert.Equal(0, CliRunner.Run("trust", "add", Id("b"), "--home", Home("a")).Code);
            Assert.Equal(0, CliRunner.Run("trust", "add", Id("a"), "--home", Home("b")).Code);
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("stranger"), "--name", "stranger").Code);
            Id("stranger");
            string file = Path.Combine(_runs.Root, "file.bin");
            var content = new byte[700_000];
            new Random(3).NextBytes(content);
            File.WriteAllBytes(file, content);
            var put = CliRunner.Run("put", file, "--home", Home("a"), "--json");
            Assert.Equal(0, put.Code);
            int portA = FreePort();
            int httpA = FreePort();
            int httpB = FreePort();
            _ = StartHub("hub", "--home", Home("a"), "--port", portA.ToString(), "--http-port", httpA.ToString(), "--interface", "127.0.0.1", "--no-mdns", "--sync-interval", "1");
            _ = StartHub("hub", "--home", Home("b"), "--port", FreePort().ToString(), "--http-port", httpB.ToString(), "--interface", "127.0.0.1", "--no-mdns", "--sync-interval", "1", "--peers", "127.0.0.1:" + portA);
            _ = StartHub("hub", "--home", Home("stranger"), "--port", FreePort().ToString(), "--http-port", "0", "--interface", "127.0.0.1", "--no-mdns", "--sync-interval", "1", "--peers", "127.0.0.1:" + portA);

            Assert.True(await Eventually(() => Status("b").Contains("(1 files)")), "trusted hub never received the manifest and its shards: " + Status("b") + _runs.Logs);
            // The stranger keeps dialling (its own backoff paces it), so the count only has to be non-zero; it read
            // "1 or 2" before and missed when the trusted hub's wait above outlasted the stranger's third dial.
            Assert.True(await Eventually(() => Regex.IsMatch(Get(httpA, "/metrics").Result, "\nmesh_handshakes_refused_total [1-9]")), "no refusal counted at A");
            Assert.Contains("shards      0", Status("stranger"));
            string metrics = await Get(httpB, "/metrics");
            Assert.Contains("HTTP/1.1 200 OK", metrics);
            foreach (string name in new[]
            {
                "mesh_peers_discovered_total", "mesh_peers_connected", "mesh_sync_attempts_total", "mesh_sync_successes_total", "mesh_sync_latency_seconds",
                "mesh_bytes_transferred_total", "device_battery_percent", "device_battery_plugged_in", "device_wifi_connected",
                "device_storage_allocated_bytes", "device_storage_used_bytes", "device_storage_available_bytes",
                "sync_scheduled_total", "sync_skipped_battery_total", "sync_skipped_network_total", "sync_skipped_frequency_total",
            })
            {
                Assert.Contains("\n" + name, metrics);
            }

            Assert.Matches("mesh_bytes_transferred_total [1-9]", metrics);
            // The hub serves its dashboard at / (it answered 404 before there was one), and only to a
            // local name or an address: a foreign Host header is DNS rebinding.
            Assert.Contains("HTTP/1.1 200 OK", await Get(httpB, "/", "127.0.0.1:" + httpB));
            Assert.Contains("HTTP/1.1 421", await Get(httpB, "/", "attacker.example"));
        }

        [Fact]
        public async Task Hub_Cancelled_ExitsZeroWithinShutdownTimeout()
        {
            var stop = new CancellationTokenSource();
            var run = Task.Run(() => AetherCommand.Run(
                new[] { "hub", "--home", Home("x"), "--port", FreePort().ToString(), "--http-port", "0", "--interface", "127.0.0.1", "--no-mdns" },
                new CliContext(TextWriter.Null, TextWriter.Null, stop.Token)));
            await Task.Delay(1500);
            stop.Cancel();
            Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
            Assert.Equal(0, await run);
        }

        [Theory]
        [InlineData("--kind", "toaster", "--kind must be")]
        [InlineData("--allocation", "lots", "--allocation must be")]
        [InlineData("--peers", "nowhere", "--peers takes")]
        [InlineData("--interface", "eth0", "--interface must be")]
        public void Hub_BadOption_Exit2(string option, string value, string expected)
        {
            var (code, _, err) = CliRunner.Run("hub", "--home", Home("bad"), option, value);
            Assert.Equal(2, code);
            Assert.Contains(expected, err);
        }
    }
}
