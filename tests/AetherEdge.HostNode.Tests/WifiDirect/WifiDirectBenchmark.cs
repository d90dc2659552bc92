using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static AetherEdge.HostNode.Tests.WifiDirect.WifiDirectLab;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// BENCHMARK (tests/bench/wifi-direct.sh runs it; skipped unless WFD_BENCH_MIB is set): two real hubs in two
    /// namespaces, paired, in one run over (1) a Wi-Fi Direct group of the SIMULATED wpa_supplicant (find 1 s,
    /// formation 1.5 s: <see cref="SimulatedAir"/>) and (2) a plain veth pair with mDNS, plus raw TCP on both links.
    /// Figures: seconds from starting the hubs to B's first shard (a 3 MiB file put before), and B's sync throughput
    /// for a WFD_BENCH_MIB file put while both run (B's new shard bytes / time from the start of the put, which streams
    /// shards to their holders while it encodes, to B's last shard). Results go to WFD_BENCH_OUT (or the test output). Measures only; asserts only that the syncs finished.
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
            var report = new StringBuilder();
            report.Append("| link | hubs start → B's first shard (s) | B's shards of the ").Append(mib).Append(" MiB file (MiB) | sync s | sync MiB/s | raw TCP MiB/s on the link |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
            var group = Run(mib, wifiDirect: true);
            var veth = Run(mib, wifiDirect: false);
            foreach (var (name, r) in new[] { ("Wi-Fi Direct group (simulated: bridge + veth)", group), ("plain veth + mDNS", veth) })
            {
                report.Append(CultureInfo.InvariantCulture, $"| {name} | {r.FirstShard:F1} | {r.Bytes / 1048576.0:F1} | {r.Seconds:F2} | {r.Bytes / 1048576.0 / r.Seconds:F1} | {r.RawMiBps:F0} |\n");
            }

            double ratio = (group.Bytes / group.Seconds) / (veth.Bytes / veth.Seconds);
            report.Append(CultureInfo.InvariantCulture, $"group/veth sync throughput = {ratio:F2}x (goal >= 0.9x)\n");
            string? output = Environment.GetEnvironmentVariable("WFD_BENCH_OUT");
            if (output != null)
            {
                File.AppendAllText(output, report.ToString());
            }

            Console.WriteLine(report);
        }

        private static Result Run(int mib, bool wifiDirect)
        {
            using var lab = new WifiDirectLab(wifiDirect ? "bg" : "bv");
            var a = lab.Add("a");
            var b = lab.Add("b");
            lab.Pair(a, b);
            string bAddress = "192.168.42.11";
            if (!wifiDirect)
            {
                string tag = "wfdv" + (Environment.ProcessId % 10000);
                NetnsNodes.Check("ip", "link", "add", tag + "a", "type", "veth", "peer", "name", tag + "b");
                NetnsNodes.Check("ip", "link", "set", tag + "a", "netns", a.Namespace);
                NetnsNodes.Check("ip", "link", "set", tag + "b", "netns", b.Namespace);
                NetnsNodes.Check("ip", "-n", a.Namespace, "addr", "add", "10.77.0.1/24", "dev", tag + "a");
                NetnsNodes.Check("ip", "-n", b.Namespace, "addr", "add", "10.77.0.2/24", "dev", tag + "b");
                NetnsNodes.Check("ip", "-n", a.Namespace, "link", "set", tag + "a", "up");
                NetnsNodes.Check("ip", "-n", b.Namespace, "link", "set", tag + "b", "up");
                bAddress = "10.77.0.2";
            }

            Put(lab, a, "first", 3);
            var started = Stopwatch.StartNew();
            Start(lab, a, wifiDirect);
            Start(lab, b, wifiDirect);
            Assert.True(Wait(() => Shards(b.Home).Count > 0, 180), lab.Diagnosis(a, b));
            double first = started.Elapsed.TotalSeconds;

            // Let the first file finish, then the measured put while both hubs run.
            Assert.True(Settled(b.Home, 120), lab.Diagnosis(a, b));
            var before = new HashSet<string>(Shards(b.Home).Select(f => f.FullName));
            // A put beside a running hub streams shards to their holders while it encodes: the clock starts with the put.
            var putStart = Put(lab, a, "big", mib);
            Assert.True(Wait(() => Shards(b.Home).Count > before.Count, 300), lab.Diagnosis(a, b));
            Assert.True(Settled(b.Home, 600), lab.Diagnosis(a, b));
            var fresh = Shards(b.Home).Where(f => !before.Contains(f.FullName)).ToList();
            long bytes = fresh.Sum(f => f.Length);
            double seconds = (fresh.Max(f => f.LastWriteTimeUtc) - putStart).TotalSeconds;
            if (wifiDirect)
            {
                bAddress = Regex.Match(NetnsNodes.Exec(b.Namespace, TimeSpan.FromSeconds(20), new[] { "ip", "-4", "-o", "addr", "show", SimulatedAir.GroupInterface }).Output, @"inet (\S+)/").Groups[1].Value;
            }

            return new Result(first, bytes, seconds, RawTcp(a, b, bAddress, bytes));
        }

        private static void Start(WifiDirectLab lab, Device d, bool wifiDirect)
        {
            if (wifiDirect)
            {
                lab.StartHub(d);
            }
            else
            {
                lab.StartHubWith(d, "--wifi-direct", "off");
            }
        }

        // Writes the file, then runs the put; returns when the put started (the file's writing is not timed).
        private static DateTime Put(WifiDirectLab lab, Device d, string name, int mib)
        {
            string file = Path.Combine(lab.Root, name + ".bin");
            var rng = new Random(mib);
            using (var f = File.Create(file))
            {
                var block = new byte[1 << 20];
                for (int i = 0; i < mib; i++)
                {
                    rng.NextBytes(block);
                    f.Write(block);
                }
            }

            var started = DateTime.UtcNow;
            var put = CliRunner.Run("put", file, "--home", d.Home);
            Assert.True(put.Code == 0, put.Err);
            File.Delete(file);
            return started;
        }

        private static List<FileInfo> Shards(string home)
        {
            var dir = new DirectoryInfo(Path.Combine(home, "shards"));
            return dir.Exists
                ? dir.EnumerateFiles("*", SearchOption.AllDirectories).Where(f => Regex.IsMatch(f.Name, "^[0-9a-f]{64}$")).ToList()
                : new List<FileInfo>();
        }

        // No new shard for 5 s (sync interval 1 s: several rounds found nothing more to fetch).
        private static bool Settled(string home, int seconds)
        {
            int count = -1;
            var still = Stopwatch.StartNew();
            return Wait(
                () =>
                {
                    int now = Shards(home).Count;
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

        private sealed record Result(double FirstShard, long Bytes, double Seconds, double RawMiBps);
    }
}
