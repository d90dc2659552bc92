using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static AetherEdge.HostNode.Tests.WifiDirect.WifiDirectLab;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// BENCHMARK (tests/bench/wifi-direct.sh runs it; skipped unless WFD_BENCH_MIB is set): two real hubs in two
    /// namespaces, paired, over (1) a Wi-Fi Direct group of the SIMULATED wpa_supplicant (find 1 s, formation 1.5 s:
    /// <see cref="SimulatedAir"/>) and (2) a plain veth pair with mDNS, both set up at once so the runs alternate:
    /// WFD_BENCH_RUNS puts (default 3) of a WFD_BENCH_MIB file on each, group first on odd runs and veth first on even
    /// ones, medians reported; raw TCP on both links after. Each put runs inside A's namespace, so it is handed to A's
    /// hub and streamed to its planned holders while it encodes (the product path). Figures: seconds from starting the
    /// hubs to B's first shard (a 3 MiB file put before), and B's new shard bytes / time from the start of the put to
    /// B's last shard; the goal's ratio is of file size / that time (the same file on both links; B's share of it
    /// differs with the random device IDs). Results go to WFD_BENCH_OUT (or the test output); WFD_BENCH_DIAG names a file for both hubs'
    /// logs and metrics. Measures only; asserts only that the syncs finished.
    /// </summary>
    [Collection(NetnsCollection.Name)]
    public sealed class WifiDirectBenchmark
    {
        private const int RawPort = 45999;

        [SkippableFact]
        public void GroupLink_VersusPlainVeth_VersusRawTcp_FirstShardAndThroughput()
        {
            string? mibText = Environment.GetEnvironmentVariable("WFD_BENCH_MIB");
            Skip.If(string.IsNullOrEmpty(mibText), "benchmark: run tests/bench/wifi-direct.sh");
            Skip.IfNot(AetherEdge.HostNode.Tests.Sync.NetnsLab.IsRoot, "needs root for network namespaces");
            int mib = int.Parse(mibText!, CultureInfo.InvariantCulture);
            int runs = int.TryParse(Environment.GetEnvironmentVariable("WFD_BENCH_RUNS"), out int r) && r > 0 ? r : 3;
            using var group = new Setup("bg", wifiDirect: true);
            using var veth = new Setup("bv", wifiDirect: false);
            for (int i = 0; i < runs; i++)
            {
                foreach (var s in i % 2 == 0 ? new[] { group, veth } : new[] { veth, group })
                {
                    s.Measure(mib, i);
                }
            }

            var report = new StringBuilder();
            report.Append(CultureInfo.InvariantCulture, $"{runs} puts of {mib} MiB on each link, alternating; medians (all runs in brackets)\n");
            report.Append("| link | hubs start → B's first shard (s) | B's share of a put (MiB) | put start → B's last shard (s) | file MiB/s | B's MiB/s | raw TCP MiB/s on the link |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            foreach (var (name, s) in new[] { ("Wi-Fi Direct group (simulated: bridge + veth)", group), ("plain veth + mDNS", veth) })
            {
                double raw = s.RawTcp();
                report.Append(CultureInfo.InvariantCulture, $"| {name} | {s.FirstShard:F1} | {Median(s.Bytes) / 1048576.0:F1} | {Median(s.Seconds):F2} ({string.Join(", ", s.Seconds.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}) | {mib / Median(s.Seconds):F1} | {Median(s.Rates):F1} | {raw:F0} |\n");
                s.Diagnose();
            }

            // The same file on both links; B's share differs with the random device IDs (placement), so the ratio is of
            // the put's file throughput (file size / put start → B's last shard), not of B's bytes.
            double ratio = Median(veth.Seconds) / Median(group.Seconds);
            report.Append(CultureInfo.InvariantCulture, $"group/veth file throughput (medians) = {ratio:F2}x (goal >= 0.9x)\n");
            string? output = Environment.GetEnvironmentVariable("WFD_BENCH_OUT");
            if (output != null)
            {
                File.AppendAllText(output, report.ToString());
            }

            Console.WriteLine(report);
        }

        private static double Median(List<double> xs)
        {
            var sorted = xs.OrderBy(x => x).ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        private static double Median(List<long> xs) => Median(xs.Select(x => (double)x).ToList());

        /// <summary>One lab with both hubs running and B's first shard in; then puts to measure.</summary>
        private sealed class Setup : IDisposable
        {
            private readonly WifiDirectLab _lab;
            private readonly Device _a, _b;
            private readonly bool _wifiDirect;
            private readonly string _bAddress = "10.77.0.2";

            public Setup(string name, bool wifiDirect)
            {
                _wifiDirect = wifiDirect;
                _lab = new WifiDirectLab(name);
                _a = _lab.Add("a");
                _b = _lab.Add("b");
                _lab.Pair(_a, _b);
                if (!wifiDirect)
                {
                    string tag = "wfdv" + (Environment.ProcessId % 10000);
                    NetnsNodes.Check("ip", "link", "add", tag + "a", "type", "veth", "peer", "name", tag + "b");
                    NetnsNodes.Check("ip", "link", "set", tag + "a", "netns", _a.Namespace);
                    NetnsNodes.Check("ip", "link", "set", tag + "b", "netns", _b.Namespace);
                    string aDev = tag + "a";
                    if (Environment.GetEnvironmentVariable("WFD_BENCH_VETH_BRIDGE") == "1")
                    {
                        // Experiment: A's end inside a bridge, as the simulated group owner's.
                        NetnsNodes.Check("ip", "-n", _a.Namespace, "link", "add", "wfdbr", "type", "bridge");
                        NetnsNodes.Check("ip", "-n", _a.Namespace, "link", "set", tag + "a", "master", "wfdbr");
                        NetnsNodes.Check("ip", "-n", _a.Namespace, "link", "set", "wfdbr", "up");
                        aDev = "wfdbr";
                    }

                    NetnsNodes.Check("ip", "-n", _a.Namespace, "addr", "add", "10.77.0.1/24", "dev", aDev);
                    NetnsNodes.Check("ip", "-n", _b.Namespace, "addr", "add", "10.77.0.2/24", "dev", tag + "b");
                    NetnsNodes.Check("ip", "-n", _a.Namespace, "link", "set", tag + "a", "up");
                    NetnsNodes.Check("ip", "-n", _b.Namespace, "link", "set", tag + "b", "up");
                }

                _lab.Put(_a, "first", 3, 0);
                var started = Stopwatch.StartNew();
                Start(_a);
                Start(_b);
                Assert.True(Wait(() => ShardFiles(_b.Home).Count > 0, 180), _lab.Diagnosis(_a, _b));
                FirstShard = started.Elapsed.TotalSeconds;
                Assert.True(Settled(_b.Home, 120), _lab.Diagnosis(_a, _b));
                if (wifiDirect)
                {
                    _bAddress = Regex.Match(NetnsNodes.Exec(_b.Namespace, TimeSpan.FromSeconds(20), new[] { "ip", "-4", "-o", "addr", "show", SimulatedAir.GroupInterface }).Output, @"inet (\S+)/").Groups[1].Value;
                }
            }

            public double FirstShard { get; }

            public List<long> Bytes { get; } = new();

            public List<double> Seconds { get; } = new();

            public List<double> Rates { get; } = new();

            /// <summary>One put of <paramref name="mib"/> MiB on A while both hubs run; B's new shards and the time to its last.</summary>
            public void Measure(int mib, int run)
            {
                var before = new HashSet<string>(ShardFiles(_b.Home).Select(f => f.FullName));
                var putStart = _lab.Put(_a, "big" + run, mib, run + 1);
                Assert.True(Wait(() => ShardFiles(_b.Home).Count > before.Count, 300), _lab.Diagnosis(_a, _b));
                Assert.True(Settled(_b.Home, 600), _lab.Diagnosis(_a, _b));
                var fresh = ShardFiles(_b.Home).Where(f => !before.Contains(f.FullName)).ToList();
                long bytes = fresh.Sum(f => f.Length);
                double seconds = (fresh.Max(f => f.LastWriteTimeUtc) - putStart).TotalSeconds;
                Bytes.Add(bytes);
                Seconds.Add(seconds);
                Rates.Add(bytes / 1048576.0 / seconds);
            }

            public double RawTcp() => WifiDirectBenchmark.RawTcp(_a, _b, _bAddress, Bytes.Count > 0 ? Bytes.Max() : 64L << 20);

            public void Diagnose()
            {
                string? diag = Environment.GetEnvironmentVariable("WFD_BENCH_DIAG");
                if (diag == null)
                {
                    return;
                }

                var lines = new StringBuilder();
                foreach (var d in new[] { _a, _b })
                {
                    lines.Append("== ").Append(_wifiDirect ? "group " : "veth ").Append(d.Name).Append(" metrics\n");
                    lines.AppendJoin('\n', Metrics(d).Split('\n').Where(l => !l.StartsWith('#') && Regex.IsMatch(l, "push|bytes|sync|peers")));
                    lines.Append("\n== log\n").Append(Read(d.Log)).Append('\n');
                }

                File.AppendAllText(diag, lines.ToString());
            }

            private void Start(Device d)
            {
                if (_wifiDirect)
                {
                    _lab.StartHub(d);
                }
                else
                {
                    _lab.StartHubWith(d, "--wifi-direct", "off");
                }
            }

            public void Dispose() => _lab.Dispose();
        }

        // No new shard for 5 s (sync interval 1 s: several rounds found nothing more to fetch).
        private static bool Settled(string home, int seconds)
        {
            int count = -1;
            var still = Stopwatch.StartNew();
            return Wait(
                () =>
                {
                    int now = ShardFiles(home).Count;
                    if (now != count)
                    {
                        count = now;
                        still.Restart();
                    }

                    return now > 0 && still.Elapsed > TimeSpan.FromSeconds(5);
                },
                seconds);
        }

        // The same byte count as B's shards, A to B over the same link, plain TCP (python3 sender and receiver).
        private static double RawTcp(Device a, Device b, string bAddress, long bytes)
        {
            const string Receiver = "import socket,sys,time\ns=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind((sys.argv[1],int(sys.argv[2])));s.listen(1);print('ready',flush=True)\nc,_=s.accept();t=time.time();n=0\nwhile True:\n d=c.recv(1<<20)\n if not d: break\n n+=len(d)\nprint(n,time.time()-t,flush=True)\n";
            const string Sender = "import socket,sys\nc=socket.create_connection((sys.argv[1],int(sys.argv[2])));b=bytes(1<<20);n=int(sys.argv[3])\nwhile n>0:\n k=min(n,len(b));c.sendall(b[:k]);n-=k\nc.close()\n";
            var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string x in new[] { "netns", "exec", b.Namespace, "/usr/bin/python3", "-c", Receiver, bAddress, RawPort.ToString(CultureInfo.InvariantCulture) })
            {
                psi.ArgumentList.Add(x);
            }

            using var receiver = Process.Start(psi)!;
            Assert.Equal("ready", receiver.StandardOutput.ReadLine());
            var sent = NetnsNodes.Exec(a.Namespace, TimeSpan.FromSeconds(120), new[] { "/usr/bin/python3", "-c", Sender, bAddress, RawPort.ToString(CultureInfo.InvariantCulture), bytes.ToString(CultureInfo.InvariantCulture) });
            Assert.True(sent.Code == 0, sent.Output);
            string[] got = receiver.StandardOutput.ReadLine()!.Split(' ');
            receiver.WaitForExit(10_000);
            return long.Parse(got[0], CultureInfo.InvariantCulture) / 1048576.0 / double.Parse(got[1], CultureInfo.InvariantCulture);
        }
    }
}
