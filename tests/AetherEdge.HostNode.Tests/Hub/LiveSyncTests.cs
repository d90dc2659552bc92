using System.Diagnostics;
using System.Text.Json;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Verbs;
using Xunit.Abstractions;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>
    /// Two `aether hub` processes' worth of hubs (in-process, real TLS on loopback, --sync-interval 3600 so no
    /// scheduled round can move anything during the test) and the CLI in between, as a user runs them.
    /// </summary>
    public sealed class LiveSyncTests : IDisposable
    {
        private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(45);
        private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(5) };

        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-live-" + Guid.NewGuid().ToString("N"));
        private readonly ITestOutputHelper _out;

        public LiveSyncTests(ITestOutputHelper output)
        {
            _out = output;
        }

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, true);
            }
        }

        private string Home(string name) => Path.Combine(_root, name);

        [Fact]
        public async Task PutWhileHubsRun_ReachesPeerWithoutWaitingForTheSyncInterval()
        {
            await using var kit = await TwoHubsAsync();
            string fileId = Put("a", "field-notes.bin", 300_000, 1);
            var watch = Stopwatch.StartNew();
            await WaitUntilAsync(() => Listed("b").Contains(fileId), "b lists the file put on a");
            _out.WriteLine("put on a -> listed on b: " + watch.ElapsedMilliseconds + " ms (sync interval 3600 s)");
            Assert.True(await kit.MetricAsync(0, "sync_local_changes_total") >= 1);
        }

        [Fact]
        public async Task RmWhileHubsRun_PeerDropsTheFileAndItsShards_NeitherPullsItBack()
        {
            await using var kit = await TwoHubsAsync();
            string fileId = Put("a", "doomed.bin", 2_000_000, 2);
            await WaitUntilAsync(() => Listed("b").Contains(fileId), "b lists the file put on a");
            await WaitUntilMetricAsync(kit, 1, "device_storage_used_bytes", v => v > 0, "b holds its planned shards");

            var rm = CliRunner.Run("rm", fileId, "--home", Home("a"));
            Assert.True(rm.Code == 0, rm.Out + rm.Err);
            var watch = Stopwatch.StartNew();
            await WaitUntilAsync(() => !Listed("b").Contains(fileId), "b no longer lists the file removed on a");
            _out.WriteLine("rm on a -> gone from b: " + watch.ElapsedMilliseconds + " ms (sync interval 3600 s)");
            await WaitUntilMetricAsync(kit, 1, "device_storage_used_bytes", v => v == 0, "b's space comes back");

            // Another change on a pushes again: b's inventory no longer offers the file and a's tombstone stops a pull.
            string other = Put("a", "other.bin", 100_000, 3);
            await WaitUntilAsync(() => Listed("b").Contains(other), "b lists the next file");
            Assert.DoesNotContain(fileId, Listed("a"));
            Assert.DoesNotContain(fileId, Listed("b"));
        }

        private static async Task WaitUntilMetricAsync(HubPair kit, int hub, string name, Func<double, bool> condition, string what)
        {
            var until = DateTime.UtcNow + s_bound;
            while (!condition(await kit.MetricAsync(hub, name)))
            {
                Assert.True(DateTime.UtcNow < until, "timed out waiting until " + what);
                await Task.Delay(100);
            }
        }

        private string Put(string home, string name, int size, int seed)
        {
            Directory.CreateDirectory(Home("in"));
            string input = Path.Combine(Home("in"), name);
            var bytes = new byte[size];
            new Random(seed).NextBytes(bytes);
            File.WriteAllBytes(input, bytes);
            // --no-hub: a put in its own process, which the hub notices by the store's data_version (the hub's
            // own streaming put is StreamingPutTests').
            var put = CliRunner.Run("put", input, "--home", Home(home), "--no-hub", "--json");
            Assert.True(put.Code == 0, put.Err);
            using var doc = JsonDocument.Parse(put.Out);
            return doc.RootElement.GetProperty("fileId").GetString()!;
        }

        private List<string> Listed(string home)
        {
            var ls = CliRunner.Run("ls", "--home", Home(home), "--json");
            Assert.True(ls.Code == 0, ls.Err);
            using var doc = JsonDocument.Parse(ls.Out);
            return doc.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("fileId").GetString()!).ToList();
        }

        private static async Task WaitUntilAsync(Func<bool> condition, string what)
        {
            var until = DateTime.UtcNow + s_bound;
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < until, "timed out waiting until " + what);
                await Task.Delay(100);
            }
        }

        /// <summary>Two paired desktops, each hub dialling the other by --peers, both past their first round.</summary>
        private async Task<HubPair> TwoHubsAsync()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("a"), "--kind", "desktop", "--allocation", "1GB").Code);
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("b"), "--kind", "desktop", "--allocation", "1GB").Code);
            await LoopbackKit.PairAsync(Home("a"), Home("b"));
            int[] sync = { LoopbackKit.FreePort(), LoopbackKit.FreePort() };
            int[] http = { LoopbackKit.FreePort(), LoopbackKit.FreePort() };
            var pair = new HubPair(http);
            for (int i = 0; i < 2; i++)
            {
                string[] args =
                {
                    "hub", "--home", Home(i == 0 ? "a" : "b"), "--port", sync[i].ToString(), "--http-port", http[i].ToString(),
                    "--interface", "127.0.0.1", "--no-mdns", "--peers", "127.0.0.1:" + sync[1 - i], "--sync-interval", "3600",
                };
                pair.Hubs.Add(Task.Run(() => AetherCommand.Run(args, new CliContext(TextWriter.Null, TextWriter.Null, pair.Stop.Token))));

                // b starts once a answers: a's first round finds b absent, b's first round syncs with a (no crossing
                // dials, so both start pulling after their first round).
                int hub = i;
                var until = DateTime.UtcNow + s_bound;
                while (await pair.MetricAsync(hub, "mesh_sync_attempts_total") < 0)
                {
                    Assert.True(DateTime.UtcNow < until, "hub " + hub + " never answered");
                    await Task.Delay(100);
                }
            }

            for (int i = 0; i < 2; i++)
            {
                int hub = i;
                var until = DateTime.UtcNow + s_bound;
                while (await pair.MetricAsync(hub, "mesh_sync_successes_total") < 1)
                {
                    Assert.True(DateTime.UtcNow < until, "hub " + hub + " never completed its first round");
                    await Task.Delay(100);
                }
            }

            return pair;
        }

        private sealed class HubPair : IAsyncDisposable
        {
            private readonly int[] _http;

            public HubPair(int[] http)
            {
                _http = http;
            }

            public CancellationTokenSource Stop { get; } = new();

            public List<Task<int>> Hubs { get; } = new();

            /// <summary>A metric's value from hub <paramref name="hub"/>'s /metrics, or -1 while it does not answer.</summary>
            public async Task<double> MetricAsync(int hub, string name)
            {
                try
                {
                    string text = await s_http.GetStringAsync("http://127.0.0.1:" + _http[hub] + "/metrics");
                    foreach (string line in text.Split('\n'))
                    {
                        if (line.StartsWith(name + " ", StringComparison.Ordinal))
                        {
                            return double.Parse(line.AsSpan(name.Length + 1), System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }

                    return 0;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return -1;
                }
            }

            public async ValueTask DisposeAsync()
            {
                Stop.Cancel();
                foreach (var hub in Hubs)
                {
                    Assert.Equal(0, await hub);
                }

                Stop.Dispose();
            }
        }
    }
}
