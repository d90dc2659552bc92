using System.Diagnostics;
using System.Text.Json;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Tests.Storage;
using Xunit.Abstractions;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>
    /// Issue 13's streaming put with real processes: two `aether hub` processes paired on loopback
    /// (--sync-interval 3600, so only the put's own push moves anything) and `aether put` beside hub a, which
    /// hands the put to it. The hub streams the shards the plan gives b to b while encoding and keeps only its own.
    /// </summary>
    [Trait("Category", "Slow")]
    public sealed class StreamingPutTests : IDisposable
    {
        private const int OrphanGraceSeconds = 1;

        private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(90);
        private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(5) };

        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-stream-" + Guid.NewGuid().ToString("N"));
        private readonly ITestOutputHelper _out;
        private readonly int[] _sync = { LoopbackKit.FreePort(), LoopbackKit.FreePort() };
        private readonly int[] _httpPort = { LoopbackKit.FreePort(), LoopbackKit.FreePort() };
        private readonly Process?[] _hubs = new Process?[2];

        public StreamingPutTests(ITestOutputHelper output)
        {
            _out = output;
            Directory.CreateDirectory(_root);
        }

        public void Dispose()
        {
            for (int i = 0; i < 2; i++)
            {
                Kill(i);
            }

            Directory.Delete(_root, true);
        }

        private string Home(int hub) => Path.Combine(_root, hub == 0 ? "a" : "b");

        [Fact]
        public async Task PutBesideRunningHub_OriginStoresOnlyItsPlannedShards_PeerGetsTheRestAndRebuildsAlone()
        {
            await PairedHubsAsync();
            string input = WriteFile("notes.bin", 3_000_000, 1);
            long shardBytes = new ShardLayout(3_000_000, ShardLimits.DefaultSegmentBytes, 5, 10).ShardBytes;

            var put = CliRunner.Run("put", input, "--home", Home(0), "--data-shards", "5", "--parity-shards", "5", "--json");
            Assert.True(put.Code == 0, put.Err);
            string id = JsonDocument.Parse(put.Out).RootElement.GetProperty("fileId").GetString()!;

            await UntilAsync(() => Listed(1).Contains(id), "b lists the file put on a");
            double a = await MetricAsync(0, "device_storage_used_bytes");
            double b = await MetricAsync(1, "device_storage_used_bytes");
            _out.WriteLine("a holds " + a + " B, b holds " + b + " B of shards of " + shardBytes + " B each");
            Assert.Equal(10 * shardBytes, a + b);
            Assert.True(b >= 5 * shardBytes, "b alone must hold k shards");
            Assert.True(a < 10 * shardBytes, "a wrote every shard: nothing was streamed");
            Assert.Equal(b, await MetricAsync(1, "aether_push_bytes_received_total"));
            Assert.Equal(b, await MetricAsync(0, "aether_push_bytes_sent_total"));

            // Without a: b alone rebuilds it.
            Kill(0);
            string back = Path.Combine(_root, "back.bin");
            var get = CliRunner.Run("get", id, "--home", Home(1), "-o", back);
            Assert.True(get.Code == 0, get.Err);
            Assert.True(TempStore.SameContent(input, back));
        }

        [Fact]
        public async Task PutThatFitsThePlanButNotEveryShardHere_Succeeds_TheQuotaReservesOnlyThePlannedLocalShards()
        {
            // 100 MB here (a desktop's least): the 10 shards of 60 MB at k=5 m=5 (about 120 MB) do not fit, the plan's share here does.
            await PairedHubsAsync(allocationA: "100MB");
            const int Size = 60_000_000;
            string input = WriteFile("fits-plan.bin", Size, 4);
            long shardBytes = new ShardLayout(Size, ShardLimits.DefaultSegmentBytes, 5, 10).ShardBytes;
            Assert.True(10 * shardBytes > 100_000_000);

            var put = CliRunner.Run("put", input, "--home", Home(0), "--data-shards", "5", "--parity-shards", "5", "--json");

            Assert.True(put.Code == 0, put.Err);
            string id = JsonDocument.Parse(put.Out).RootElement.GetProperty("fileId").GetString()!;
            await UntilAsync(() => Listed(1).Contains(id), "b lists the file put on a");
            Assert.True(await MetricAsync(1, "aether_push_bytes_received_total") >= 5 * shardBytes);
        }

        /// <summary>
        /// Shards b acknowledged for a put whose origin was killed before committing are orphans: b removes them once
        /// the grace has passed and a session with the restarted origin proved the manifest never existed. A folder put
        /// of a small file and a big one: the small file's shards are acknowledged early, its commit waits for the group.
        /// </summary>
        [Fact]
        public async Task OriginKilledAfterPeerAcknowledgedShards_PeerRemovesTheOrphansAfterTheGrace()
        {
            await PairedHubsAsync(orphanGraceB: OrphanGraceSeconds);
            string dir = Path.Combine(_root, "folder");
            Directory.CreateDirectory(dir);
            File.Move(WriteFile("a-small.bin", 1 << 20, 5), Path.Combine(dir, "a-small.bin"));
            // b acknowledges its first shards ~1.8 s after the put starts (verb start-up, the small file); the big file
            // keeps the group's commit waiting well past that even on an idle machine (at 256 MiB it committed first, once).
            File.Move(WriteFile("big.bin", 1 << 30, 6), Path.Combine(dir, "big.bin"));

            double stored;
            Stopwatch killed;
            using (var put = Start(false, "put", dir, "--home", Home(0), "--data-shards", "5", "--parity-shards", "5", "--json"))
            {
                var clock = Stopwatch.StartNew();
                while ((stored = await MetricAsync(1, "aether_push_shards_stored_total")) < 1 && !put.HasExited)
                {
                    Assert.True(clock.Elapsed < s_bound, "b stored nothing pushed");
                    await Task.Delay(5);
                }

                bool exitedFirst = put.HasExited;
                Kill(0);
                killed = Stopwatch.StartNew();
                _out.WriteLine("kill at " + clock.ElapsedMilliseconds + " ms, put exited before: " + exitedFirst + ", stored " + stored);
                Assert.True(put.WaitForExit(s_bound), "put did not end after its hub died");
            }

            var onA = Listed(0);
            stored = await MetricAsync(1, "aether_push_shards_stored_total");
            _out.WriteLine("b acknowledged " + stored + " pushed shards; a committed " + onA.Count + " file(s)");
            Assert.True(onA.Count == 0, "the kill came after the commit: nothing was orphaned (the put ran too fast to test this)");

            // a comes back only after b's grace, so its first session with b proves the manifest never existed.
            var wait = TimeSpan.FromSeconds(OrphanGraceSeconds * 2) - killed.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            Assert.True(await MetricAsync(1, "device_storage_used_bytes") > 0);
            StartHub(0);
            await UntilAsync(async () => await MetricAsync(1, "device_storage_used_bytes") == 0, "b removed the orphaned pushed shards");
            Assert.Equal(stored, await MetricAsync(1, "aether_push_orphans_removed_total"));
            Assert.Empty(Listed(1));
        }

        [Fact]
        public async Task NoHubOption_StoresEveryShardInTheVerbsProcess()
        {
            await PairedHubsAsync();
            string input = WriteFile("local.bin", 1_000_000, 2);
            long shardBytes = new ShardLayout(1_000_000, ShardLimits.DefaultSegmentBytes, 5, 10).ShardBytes;

            var put = CliRunner.Run("put", input, "--home", Home(0), "--data-shards", "5", "--parity-shards", "5", "--no-hub", "--json");

            Assert.True(put.Code == 0, put.Err);
            await UntilAsync(async () => await MetricAsync(0, "device_storage_used_bytes") == 10 * shardBytes, "a counts all ten shards it wrote");
            Assert.Equal(0, await MetricAsync(0, "aether_hub_puts_total"));
        }

        /// <summary>
        /// Step 2 of the issue: the origin hub is killed (SIGKILL) while it streams a put. The manifest is committed only
        /// after every streamed shard is acknowledged, so the file is absent everywhere (no manifest names shards nobody
        /// has) or, had the kill come after the commit, complete and readable on b. The put says so in one line, and a
        /// put again after a restart completes.
        /// </summary>
        [Fact]
        public async Task OriginHubKilledMidPut_FileIsAbsentOnBothOrReadableOnPeer_AndAPutAgainCompletes()
        {
            await PairedHubsAsync();
            const int Size = 256 << 20;
            string input = WriteFile("big.bin", Size, 3);
            string bTemp = Path.Combine(Home(1), ShardStore.ShardsFolder, ShardStore.TempFolder);

            using (var put = Start(false, "put", input, "--home", Home(0), "--data-shards", "5", "--parity-shards", "5", "--json"))
            {
                var clock = Stopwatch.StartNew();
                while (TempBytes(bTemp) < (4 << 20) && !put.HasExited)
                {
                    Assert.True(clock.Elapsed < s_bound, "nothing was streamed to b");
                    Thread.Sleep(2);
                }

                Kill(0);
                Assert.True(put.WaitForExit(s_bound), "put did not end after its hub died");
                string err = put.StandardError.ReadToEnd();
                _out.WriteLine("put exit " + put.ExitCode + ": " + err.Trim());
                if (put.ExitCode != 0)
                {
                    Assert.Equal(1, put.ExitCode);
                    Assert.Single(err.Trim().Split('\n'));
                    Assert.Contains("stopped during the put", err);
                }
            }

            // b never keeps a half-received shard, and lists the file only if a committed it.
            await UntilAsync(() => TempBytes(bTemp) == 0, "b dropped the half-received shards");
            var onB = Listed(1);
            var onA = Listed(0);
            _out.WriteLine("after the kill: " + onA.Count + " file(s) on a, " + onB.Count + " on b");
            // Killed after its commit but before its push round, a has the manifest and b not yet: b gets it once a is back.
            Assert.Subset(onA.ToHashSet(), onB.ToHashSet());
            foreach (string id in onB)
            {
                var get = CliRunner.Run("get", id, "--home", Home(1), "-o", Path.Combine(_root, "got.bin"));
                Assert.True(get.Code == 0, get.Err);
                Assert.True(TempStore.SameContent(input, Path.Combine(_root, "got.bin")));
            }

            // The origin comes back (its leftovers reconciled) and the same put goes through.
            StartHub(0);
            await UntilAsync(async () => await MetricAsync(0, "mesh_sync_successes_total") >= 1, "a is back");
            await UntilAsync(() => onA.All(Listed(1).Contains), "b lists every file a committed");
            var again = CliRunner.Run("put", input, "--home", Home(0), "--data-shards", "5", "--parity-shards", "5", "--json");
            Assert.True(again.Code == 0, again.Err);
            string fileId = JsonDocument.Parse(again.Out).RootElement.GetProperty("fileId").GetString()!;
            await UntilAsync(() => Listed(1).Contains(fileId), "b lists the file put again");
            Kill(0);
            var last = CliRunner.Run("get", fileId, "--home", Home(1), "-o", Path.Combine(_root, "again.bin"));
            Assert.True(last.Code == 0, last.Err);
            Assert.True(TempStore.SameContent(input, Path.Combine(_root, "again.bin")));
        }

        private async Task PairedHubsAsync(string allocationA = "2GB", int? orphanGraceB = null)
        {
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(0, CliRunner.Run("init", "--home", Home(i), "--kind", "desktop", "--allocation", i == 0 ? allocationA : "2GB").Code);
            }

            if (orphanGraceB is int grace)
            {
                File.WriteAllText(Path.Combine(Home(1), "hub.json"), "{\"pushOrphanGraceSeconds\": " + grace + "}");
            }

            await LoopbackKit.PairAsync(Home(0), Home(1));

            // b starts once a answers: a's first round finds b absent, b's first round syncs with a (no crossing dials).
            StartHub(0);
            await UntilAsync(async () => await MetricAsync(0, "mesh_sync_attempts_total") >= 0, "hub a answers");
            StartHub(1);

            for (int i = 0; i < 2; i++)
            {
                int hub = i;
                await UntilAsync(async () => await MetricAsync(hub, "mesh_sync_successes_total") >= 1, "hub " + hub + " completed a round");
            }
        }

        private void StartHub(int i)
        {
            _hubs[i] = Start(
                true,
                "hub", "--home", Home(i), "--port", _sync[i].ToString(), "--http-port", _httpPort[i].ToString(), "--interface", "127.0.0.1",
                "--no-mdns", "--peers", "127.0.0.1:" + _sync[1 - i], "--sync-interval", "3600");
        }

        private void Kill(int i)
        {
            if (_hubs[i] is { } p)
            {
                try
                {
                    p.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                p.WaitForExit();
                p.Dispose();
                _hubs[i] = null;
            }
        }

        private List<string> Listed(int hub)
        {
            var ls = CliRunner.Run("ls", "--home", Home(hub), "--json");
            Assert.True(ls.Code == 0, ls.Err);
            using var doc = JsonDocument.Parse(ls.Out);
            return doc.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("fileId").GetString()!).OrderBy(x => x, StringComparer.Ordinal).ToList();
        }

        /// <summary>A metric from hub <paramref name="hub"/>'s /metrics (0 when absent), or -1 while it does not answer.</summary>
        private async Task<double> MetricAsync(int hub, string name)
        {
            try
            {
                string text = await s_http.GetStringAsync("http://127.0.0.1:" + _httpPort[hub] + "/metrics");
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

        private static async Task UntilAsync(Func<bool> condition, string what) => await UntilAsync(() => Task.FromResult(condition()), what);

        private static async Task UntilAsync(Func<Task<bool>> condition, string what)
        {
            var until = DateTime.UtcNow + s_bound;
            while (!await condition())
            {
                Assert.True(DateTime.UtcNow < until, "timed out waiting until " + what);
                await Task.Delay(100);
            }
        }

        private static long TempBytes(string dir)
        {
            long sum = 0;
            if (Directory.Exists(dir))
            {
                foreach (var f in new DirectoryInfo(dir).EnumerateFiles())
                {
                    try
                    {
                        sum += f.Length;
                    }
                    catch (FileNotFoundException)
                    {
                    }
                }
            }

            return sum;
        }

        private static Process Start(bool drainErrors, params string[] args)
        {
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "aether.dll"));
            foreach (string a in args)
            {
                info.ArgumentList.Add(a);
            }

            var p = Process.Start(info)!;

            // Drain output so a chatty hub never blocks on a full pipe.
            p.OutputDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            if (drainErrors)
            {
                p.ErrorDataReceived += (_, _) => { };
                p.BeginErrorReadLine();
            }

            return p;
        }

        private string WriteFile(string name, int size, int seed)
        {
            string path = Path.Combine(_root, name);
            var rnd = new Random(seed);
            var buffer = new byte[1 << 20];
            using var fs = File.Create(path);
            for (int left = size; left > 0; left -= buffer.Length)
            {
                rnd.NextBytes(buffer);
                fs.Write(buffer, 0, Math.Min(left, buffer.Length));
            }

            return path;
        }
    }
}
