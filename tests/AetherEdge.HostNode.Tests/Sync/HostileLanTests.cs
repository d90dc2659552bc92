using System.Diagnostics;
using System.Text.RegularExpressions;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using Xunit.Abstractions;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>
    /// Two trusted hubs and an outsider on their link, all real processes in network namespaces. The outsider
    /// (Discovery/interop/hostile_lan.py) announces 2,000 spoofed <c>_aetherlight._tcp</c> instances (no
    /// fingerprint, a stranger's, the hubs' own fingerprints copied and pointed at a tarpit, at closed ports,
    /// at each hub's own sync and metrics ports, at loopback and at off-link addresses), runs the tarpit, and
    /// holds idle and garbage connections on both sync ports. The hubs must keep syncing: a put made during the
    /// attack reaches the other hub within a generous bound of the same put's time without attack, no spoofed
    /// off-link or own address is dialled, the tarpit gets at most a handful of dials, and every refusal is
    /// counted on /metrics. (The seed's hub: 60,418 dials in 20 s, sync stopped for 130 s.)
    /// </summary>
    [Collection(NetnsMeshKit.Collection)]
    public sealed class HostileLanTests : NetnsMeshKit
    {
        private const int TarpitPort = 7000;
        private readonly ITestOutputHelper _output;

        public HostileLanTests(ITestOutputHelper output)
        {
            _output = output;
        }

        protected override DeviceKind KindOf(int node) => DeviceKind.Hub;

        [SkippableFact]
        public void HostileLan_SpoofedAnnouncementsTarpitAndGarbage_TrustedHubsKeepTheirPace()
        {
            Skip.IfNot(NetnsLab.IsRoot, "needs root for network namespaces (CI runs as root)");
            Skip.IfNot(File.Exists("/usr/bin/python3"), "needs /usr/bin/python3 for the attacker");
            for (int i = 0; i < 3; i++)
            {
                var init = CliRunner.Run("init", "--home", Home(i), "--name", "node" + i, "--kind", "hub", "--allocation", "2GB");
                Assert.True(init.Code == 0, init.Err);
            }

            using var lab = new NetnsLab(3);
            Pair(lab, 0, 1);
            StartHub(lab, 0, Log("hub0"));
            StartHub(lab, 1, Log("hub1"));

            // Without attack: a put on hub 0 reaches hub 1's planned shards.
            var watch = Stopwatch.StartNew();
            var (_, planned1) = PutAndPlan("calm.bin", 1);
            Assert.True(WaitFor(() => Held(1).IsSupersetOf(planned1), StepTimeout), "no sync without attack: " + Read(Log("hub1")));
            var calm = watch.Elapsed;

            // The attack runs until the end of the test.
            string state = Path.Combine(Root, "attacker.state");
            var attacker = StartAttacker(lab, state, TimeSpan.FromSeconds(240));
            try
            {
                Assert.True(WaitFor(() => Counter(Read(state), "announced") >= 2000, StepTimeout), "attacker did not announce: " + Read(state));
                int hub1LogAtAttack = Read(Log("hub1")).Length;

                watch.Restart();
                var (_, planned2) = PutAndPlan("attacked.bin", 2);
                var bound = TimeSpan.FromSeconds(Math.Max(60, calm.TotalSeconds * 10));
                Assert.True(WaitFor(() => Held(1).IsSupersetOf(planned2), bound),
                    "sync under attack did not finish within " + bound.TotalSeconds + " s (" + calm.TotalSeconds.ToString("F1") + " s without): " + Read(Log("hub1")).Substring(hub1LogAtAttack));

                var attacked = watch.Elapsed;

                // Let discovery see the whole flood a while longer, then read what the hubs counted.
                Thread.Sleep(5000);
                string attack = Read(state);
                _output.WriteLine("put to peer: " + calm.TotalSeconds.ToString("F1") + " s without attack, " + attacked.TotalSeconds.ToString("F1") + " s under attack; attacker: " + attack.Trim());
                for (int i = 0; i < 2; i++)
                {
                    var (code, metrics) = lab.Exec(i, TimeSpan.FromSeconds(20), "curl", "-s", "http://127.0.0.1:43217/metrics");
                    Assert.True(code == 0, "metrics of hub " + i + ": " + metrics);
                    foreach (string reason in new[] { "no_fingerprint", "untrusted", "off_link", "own_address" })
                    {
                        Assert.True(Refused(metrics, reason) > 0, "hub " + i + " counted no " + reason + " refusals:\n" + metrics);
                    }

                    long failedDials = new[] { "refused", "unreachable", "timeout", "failed" }.Sum(r => Dials(metrics, r));
                    _output.WriteLine("hub " + i + ": " + string.Join(", ", new[] { "no_fingerprint", "untrusted", "off_link", "own_address", "table_full" }.Select(r => r + " " + Refused(metrics, r)))
                        + "; dials ok " + Dials(metrics, "ok") + ", failed " + failedDials);
                    Assert.True(failedDials <= 50, "hub " + i + " made " + failedDials + " failed dials:\n" + metrics);

                    string log = Read(Log("hub" + i));
                    Assert.DoesNotContain("sync dial to 203.0.113.", log);
                    Assert.DoesNotContain("sync dial to 10.99.", log);
                    Assert.DoesNotContain("sync dial to 127.0.0.1", log);
                    Assert.DoesNotContain("The operation was canceled", log);
                }

                Assert.True(Counter(attack, "tarpit") <= 20, "the hubs dialled the tarpit " + Counter(attack, "tarpit") + " times: " + attack);
                Assert.True(Counter(attack, "garbage") >= 50, "the garbage connections did not run: " + attack);
            }
            finally
            {
                lab.Kill(attacker);
            }
        }

        /// <summary>Puts a fresh file of <paramref name="megabytes"/> MB on hub 0; its id and the shards the plan gives hub 1.</summary>
        private (string FileId, HashSet<string> Planned1) PutAndPlan(string fileName, int megabytes)
        {
            string file = Path.Combine(Root, fileName);
            var bytes = new byte[megabytes << 20];
            new Random(fileName.Length + megabytes).NextBytes(bytes);
            File.WriteAllBytes(file, bytes);
            var put = CliRunner.Run("put", file, "--home", Home(0), "--json");
            Assert.True(put.Code == 0, put.Err);
            string fileId = Regex.Match(put.Out, "\"fileId\":\"([0-9a-f]+)\"").Groups[1].Value;
            using var store = ShardStore.Open(Home(0), Allocation(0));
            var layout = ShardManifest.ReadUnverified(store.TryGetManifest(fileId)!)!;
            var devices = Devices(new[] { 0, 1 });
            var holders = PlacementPlanner.Plan(devices, layout.ShardIds.Length, store.LengthOf(layout.ShardIds[0]), layout.DataShards).HolderIds();
            string id1 = IdOf(1);
            var planned = Enumerable.Range(0, holders.Length).Where(s => holders[s] == id1).Select(s => layout.ShardIds[s]).ToHashSet();
            Assert.NotEmpty(planned);
            return (fileId, planned);
        }

        private Process StartAttacker(NetnsLab lab, string state, TimeSpan duration)
        {
            var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[]
            {
                "netns", "exec", lab.Node(2), "/usr/bin/python3", Path.Combine(AetherEdge.HostNode.Tests.Discovery.NetnsLab.ScriptDir, "hostile_lan.py"),
                lab.Address(2), ((int)duration.TotalSeconds).ToString(), state, TarpitPort.ToString(),
                lab.Address(0), IdOf(0), lab.Address(1), IdOf(1), IdOf(2), "43216", "43217",
            })
            {
                psi.ArgumentList.Add(a);
            }

            var p = Process.Start(psi)!;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    File.AppendAllText(Log("attacker"), e.Data + "\n");
                }
            };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }

        private static long Counter(string state, string name)
        {
            var m = Regex.Match(state, name + @"=(\d+)");
            return m.Success ? long.Parse(m.Groups[1].Value) : -1;
        }

        private static long Refused(string metrics, string reason) => Sample(metrics, "aether_discovery_suggestions_refused_total{reason=\"" + reason + "\"}");

        private static long Dials(string metrics, string result) => Sample(metrics, "aether_sync_dials_total{result=\"" + result + "\"}");

        private static long Sample(string metrics, string series)
        {
            var m = Regex.Match(metrics, Regex.Escape(series) + @" (\d+)");
            return m.Success ? long.Parse(m.Groups[1].Value) : -1;
        }
    }
}
