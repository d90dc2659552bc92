using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Repair;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using Xunit.Abstractions;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>
    /// Four real hubs in network namespaces: a fourth hub joining moves no more shards than the planner's
    /// minimum and the mesh stays put afterwards; then the origin and another holder are stopped and the
    /// two survivors rebuild (Reed-Solomon, without the user key) every shard the plan now assigns them,
    /// and a get on a survivor returns the file byte-identical.
    /// </summary>
    [Collection(NetnsMeshKit.Collection)]
    public sealed class NetnsRepairTests : NetnsMeshKit
    {
        private const int Nodes = 4;

        // k = 4 of n = 12: four equal hubs hold 3 each, so two survivors hold 6 >= k.
        private const int DataShards = 4;
        private const int ParityShards = 8;

        // Stopped peers leave the plans after this long (the default is minutes).
        private static readonly string[] s_hubOptions = { "--no-mdns", "--online-window", "5" };

        private readonly ITestOutputHelper _out;

        public NetnsRepairTests(ITestOutputHelper output)
        {
            _out = output;
        }

        protected override DeviceKind KindOf(int node) => DeviceKind.Hub;

        private string Metrics(NetnsLab lab, int node)
        {
            var (code, text) = lab.Exec(node, StepTimeout, "/usr/bin/python3", "-c",
                "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:43217/metrics').read().decode())");
            return code == 0 ? text : string.Empty;
        }

        private static long Counter(string metrics, string name)
        {
            var m = Regex.Match(metrics, "\n" + name + " ([0-9]+)");
            return m.Success ? long.Parse(m.Groups[1].Value) : -1;
        }

        /// <summary>For a failure message: each node's shard indexes against what the test's plan gives it.</summary>
        private string Holdings(int[] nodes, string[] shardIds, long shardBytes)
        {
            var held = nodes.ToDictionary(i => i, Held);
            var plan = HolderAwarePlan(nodes, held, shardIds, shardBytes, DataShards);
            string Indexes(IEnumerable<string> ids) => string.Join(",", ids.Select(id => Array.IndexOf(shardIds, id)).OrderBy(x => x));
            return string.Join("; ", nodes.Select(i => "node " + i + " holds [" + Indexes(held[i]) + "] planned [" + Indexes(plan[i]) + "]")) + "\n";
        }

        [SkippableFact]
        public void Mesh_FourthHubJoinsMovingTheMinimum_ThenTwoStoppedAndSurvivorsRebuildTheirShards()
        {
            Skip.IfNot(NetnsLab.IsRoot, "needs root for network namespaces (CI runs as root)");
            for (int i = 0; i < Nodes; i++)
            {
                var init = CliRunner.Run("init", "--home", Home(i), "--name", "node" + i, "--kind", "hub", "--allocation", "2GB");
                Assert.True(init.Code == 0, init.Err);
            }

            using var lab = new NetnsLab(Nodes);
            for (int a = 0; a < Nodes; a++)
            {
                for (int b = a + 1; b < Nodes; b++)
                {
                    Pair(lab, a, b);
                }
            }

            string file = Path.Combine(Root, "file.bin");
            File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(6_000_000));
            var put = CliRunner.Run("put", file, "--home", Home(0), "--data-shards", DataShards.ToString(), "--parity-shards", ParityShards.ToString(), "--json");
            Assert.True(put.Code == 0, put.Err);
            string fileId = Regex.Match(put.Out, "\"fileId\":\"([0-9a-f]+)\"").Groups[1].Value;
            string[] shardIds;
            long shardBytes;
            using (var store = ShardStore.Open(Home(0), Allocation(0)))
            {
                shardIds = ShardManifest.ReadUnverified(store.TryGetManifest(fileId)!)!.ShardIds;
                shardBytes = store.LengthOf(shardIds[0]);
            }

            int[] all = Enumerable.Range(0, Nodes).ToArray();
            int[] three = { 0, 1, 2 };
            var hubs = all.Select(i => i < 3 ? StartHub(lab, i, Log("hub" + i), s_hubOptions, all.Where(p => p != i).ToArray()) : null).ToArray();
            Assert.True(
                WaitFor(() => Settled(three, 0, shardIds, shardBytes, DataShards) && Held(1).Count > 0 && Held(2).Count > 0, StepTimeout),
                "three hubs never settled: " + string.Join(" ", three.Select(i => Held(i).Count)) + Read(Log("hub1")));

            // The fourth hub joins: what travels is at most the planner's minimum for what was held.
            var before = all.ToDictionary(i => i, Held);
            int minimum = PlannerMinimum(all, before, 0, shardIds, shardBytes, DataShards);
            // A session logs its items when it ends, a moment after it stored them: wait until hubs 1 and 2
            // have logged at least what they hold (+ the manifest) so no pre-join item is counted as the join's.
            int Logged(int i, int from = 0) => Regex.Matches(Read(Log("hub" + i)).Substring(from), @"received \d+ B \((\d+) items\)").Sum(x => int.Parse(x.Groups[1].Value));
            WaitFor(() => Logged(1) >= before[1].Count + 1 && Logged(2) >= before[2].Count + 1, TimeSpan.FromSeconds(10));
            var logAt = three.ToDictionary(i => i, i => Read(Log("hub" + i)).Length);
            hubs[3] = StartHub(lab, 3, Log("hub3"), s_hubOptions, 0, 1, 2);
            Assert.True(
                WaitFor(() => Held(3).Count > 0 && Settled(all, 0, shardIds, shardBytes, DataShards), StepTimeout),
                "four hubs never settled: " + string.Join(" ", all.Select(i => Held(i).Count)) + Read(Log("hub3")));
            int moved = all.Sum(i => Held(i).Except(before[i]).Count());
            _out.WriteLine("join of a 4th hub: " + moved + " shards moved, planner minimum " + minimum + "; held " + string.Join("/", all.Select(i => Held(i).Count)));
            Assert.InRange(moved, 1, minimum);

            // Counting every item any hub received since the join (detours included): the shards
            // that moved plus node 3's copy of the manifest.
            // A session logs when it ends, which may be a moment after its last item was stored.
            int Received() => all.Sum(i => Logged(i, i < 3 ? logAt[i] : 0));
            WaitFor(() => Received() >= moved + 1, TimeSpan.FromSeconds(10));
            _out.WriteLine("items received by all hubs since the join: " + Received());
            // What settled is exactly the minimum (above). In transit a hub may still pull a shard just before a
            // peer's inventory shows it elsewhere and drop it again (CI saw 1 and 4 such detours in runs where
            // most had none); the bound rules out a reshuffle: no more than one copy of each shard travels.
            Assert.InRange(Received(), moved + 1, shardIds.Length + 1);

            // At rest it stays at rest: a few more rounds move nothing.
            var settled = all.ToDictionary(i => i, Held);
            Thread.Sleep(3000);
            Assert.All(all, i => Assert.True(Held(i).SetEquals(settled[i]), "node " + i + " changed after settling (flapping)"));

            // Stop the origin and another holder: the survivors hold 6 of 12 shards; k = 4.
            lab.Kill(hubs[0]!);
            lab.Kill(hubs[1]!);
            int[] survivors = { 2, 3 };
            Assert.True(survivors.Sum(i => Held(i).Count) >= DataShards, "the survivors cannot rebuild anything: the test is set up wrong");
            Assert.True(survivors.Sum(i => Held(i).Count) < shardIds.Length, "the survivors already hold every shard: nothing to repair");
            var lostBefore = shardIds.Except(survivors.SelectMany(Held)).ToHashSet();
            // Each survivor notices the stopped hubs at its own moment, so for a while their plans differ and one may
            // still be rebuilding a shard the other already has: settled means the same complete, planned holdings
            // seen twice, seconds apart (each check runs `aether id` per node), with no repair in flight.
            string previous = "";
            bool SettledAndStill()
            {
                if (!Settled(survivors, null, shardIds, shardBytes, DataShards) || survivors.SelectMany(Held).ToHashSet().Count != shardIds.Length
                    || survivors.Any(i => Directory.Exists(Path.Combine(Home(i), RepairInputs.Folder)) && Directory.EnumerateFiles(Path.Combine(Home(i), RepairInputs.Folder)).Any()))
                {
                    previous = "";
                    return false;
                }

                string now = Holdings(survivors, shardIds, shardBytes);
                bool still = now == previous;
                previous = now;
                return still;
            }

            Assert.True(
                WaitFor(SettledAndStill, StepTimeout),
                "survivors did not rebuild their shards: " + Holdings(survivors, shardIds, shardBytes) +
                string.Concat(survivors.Select(i => "node " + i + "'s view:\n" + lab.RunAether(i, StepTimeout, "status", "--mesh", "--home", Home(i)).Output)) +
                Read(Log("hub2")) + Read(Log("hub3")));

            // Every shard the plan assigns a survivor is there, byte-identical (the store names a file by
            // its SHA-256, and the rebuilt ids are the manifest's own), and each survivor counted its repairs.
            string settledAt = Holdings(survivors, shardIds, shardBytes);
            var plan = HolderAwarePlan(survivors, survivors.ToDictionary(i => i, Held), shardIds, shardBytes, DataShards);
            foreach (int i in survivors)
            {
                Assert.True(
                    Held(i).SetEquals(plan[i]),
                    "node " + i + " left the plan after the survivors settled. Settled: " + settledAt + "now: " + Holdings(survivors, shardIds, shardBytes) +
                    string.Concat(survivors.Select(n => "node " + n + "'s view:\n" + lab.RunAether(n, StepTimeout, "status", "--mesh", "--home", Home(n)).Output)) +
                    Read(Log("hub2")) + Read(Log("hub3")));
                int rebuiltHere = plan[i].Intersect(lostBefore).Count();
                _out.WriteLine("node " + i + ": holds " + Held(i).Count + ", rebuilt " + rebuiltHere + " of the " + lostBefore.Count + " lost shards");
                Assert.True(WaitFor(() => Counter(Metrics(lab, i), "aether_shards_repaired_total") >= rebuiltHere, StepTimeout), Metrics(lab, i));
                using var fs = File.OpenRead(Path.Combine(Home(i), ShardStore.ShardsFolder, plan[i].First().Substring(0, 2), plan[i].First().Substring(2, 2), plan[i].First()));
                Assert.Equal(plan[i].First(), ShardId.Of(fs));
            }

            Assert.True(lostBefore.Count > 0);
            Assert.True(WaitFor(() => survivors.All(i => !Directory.EnumerateFiles(Path.Combine(Home(i), RepairInputs.Folder)).Any()), StepTimeout), "repair inputs were left behind");

            string output = Path.Combine(Root, "out.bin");
            var get = lab.RunAether(2, StepTimeout, "get", fileId, "-o", output, "--home", Home(2), "--peers", lab.Address(3) + ":43216");
            Assert.True(get.Code == 0, get.Output);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(output));
        }
    }
}
