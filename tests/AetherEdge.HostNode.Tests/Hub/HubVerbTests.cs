using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>Runs real `aether hub` daemons in-process on loopback ports and checks sync, trust and metrics.</summary>
    public sealed class HubVerbTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-hub-" + Guid.NewGuid().ToString("N"));
        private readonly List<(CancellationTokenSource Stop, Task<int> Run)> _hubs = new();
        private readonly List<TextWriter> _logs = new();

        private string Logs => string.Join("\n---\n", _logs.Select(l => l.ToString()));

        public void Dispose()
        {
            foreach (var h in _hubs)
            {
                h.Stop.Cancel();
            }

            foreach (var h in _hubs)
            {
                h.Run.Wait(TimeSpan.FromSeconds(30));
            }

            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, true);
            }
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private string Home(string name) => Path.Combine(_root, name);

        private string Id(string name) => CliRunner.Run("id", "--home", Home(name)).Out.Trim();

        private string Status(string name) => CliRunner.Run("status", "--home", Home(name)).Out;

        private Task<int> StartHub(params string[] args)
        {
            var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var log = TextWriter.Synchronized(new StringWriter());
            _logs.Add(log);
            var run = Task.Run(() => AetherCommand.Run(args, new CliContext(log, log, stop.Token)));
            _hubs.Add((stop, run));
            return run;
        }

        private static async Task<bool> Eventually(Func<bool> condition, int seconds = 30)
        {
            for (int i = 0; i < seconds * 10; i++)
            {
                if (condition())
                {
                    return true;
                }

                await Task.Delay(100);
            }

            return condition();
        }

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
            string file = Path.Combine(_root, "file.bin");
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

            Assert.True(await Eventually(() => Status("b").Contains("(1 files)")), "trusted hub never received the manifest and its shards: " + Status("b") + Logs + string.Join(",", _hubs.Select(h => h.Run.Status)));
            Assert.True(await Eventually(() => Get(httpA, "/metrics").Result.Contains("mesh_handshakes_refused_total 1") || Get(httpA, "/metrics").Result.Contains("mesh_handshakes_refused_total 2")));
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
