using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>
    /// Real processes in network namespaces: three hubs pair over the LAN with one-time codes, find
    /// each other by mDNS, place a put file's shards per plan (moving the minimum when a hub joins),
    /// serve a get on another node, resume a transfer killed midway, re-place a removed node's shards
    /// (node 1 keeps what it had), and refuse an unpaired fourth node.
    /// </summary>
    [Collection(NetnsMeshKit.Collection)]
    public sealed class NetnsMeshTests : NetnsMeshKit
    {
        private static readonly (DeviceKind Kind, string Allocation)[] s_nodes =
        {
            (DeviceKind.Hub, "4GB"), (DeviceKind.Laptop, "2GB"), (DeviceKind.Mobile, "1GB"), (DeviceKind.Hub, "4GB"),
        };

        protected override DeviceKind KindOf(int node) => s_nodes[node].Kind;

        /// <summary>What the hubs must converge to, computed here with the same planner and profile rules.</summary>
        private Dictionary<int, HashSet<string>> Plan(int[] nodes, string[] shardIds, long shardBytes, int k)
        {
            var byId = nodes.ToDictionary(IdOf, i => i);
            var devices = Devices(nodes);
            var holders = PlacementPlanner.Plan(devices, shardIds.Length, shardBytes, k).HolderIds();
            var result = nodes.ToDictionary(i => i, _ => new HashSet<string>());
            for (int s = 0; s < holders.Length; s++)
            {
                if (holders[s] != null)
                {
                    result[byId[holders[s]!]].Add(shardIds[s]);
                }
            }

            return result;
        }

        [SkippableFact]
        public void Mesh_ThreeHubsPairPlaceGetResumeRemoveAndStrangerGetsNothing()
        {
            Skip.IfNot(NetnsLab.IsRoot, "needs root for network namespaces (CI runs as root)");
            for (int i = 0; i < 4; i++)
            {
                var init = CliRunner.Run("init", "--home", Home(i), "--name", "node" + i, "--kind", s_nodes[i].Kind.ToString().ToLowerInvariant(), "--allocation", s_nodes[i].Allocation);
                Assert.True(init.Code == 0, init.Err);
            }

            using var lab = new NetnsLab(4);
            Pair(lab, 0, 1);
            Pair(lab, 0, 2);
            Pair(lab, 1, 2);
            Assert.Equal(File.ReadAllBytes(Path.Combine(Home(0), "user.key")), File.ReadAllBytes(Path.Combine(Home(2), "user.key")));

            // 150 MB in 10+5 shards of 15 MB: big enough to interrupt.
            string file = Path.Combine(Root, "file.bin");
            using (var fs = File.Create(file))
            {
                var block = new byte[1 << 20];
                var rng = new Random(7);
                for (int b = 0; b < 150; b++)
                {
                    rng.NextBytes(block);
                    fs.Write(block);
                }
            }

            var put = CliRunner.Run("put", file, "--home", Home(0), "--json");
            Assert.True(put.Code == 0, put.Err);
            string fileId = Regex.Match(put.Out, "\"fileId\":\"([0-9a-f]+)\"").Groups[1].Value;
            string[] shardIds;
            long shardBytes;
            int k;
            using (var store = ShardStore.Open(Home(0), Allocation(0)))
            {
                var layout = ShardManifest.ReadUnverified(store.TryGetManifest(fileId)!)!;
                shardIds = layout.ShardIds;
                k = layout.DataShards;
                shardBytes = store.LengthOf(shardIds[0]);
            }

            var plan3 = Plan(new[] { 0, 1, 2 }, shardIds, shardBytes, k);
            Assert.NotEmpty(plan3[1]);
            StartHub(lab, 0, Log("hub0"));
            var hub1 = StartHub(lab, 1, Log("hub1"));

            // Kill node 1 mid-transfer, restart it: it resumes from the partial copy.
            string partialDir = Path.Combine(Home(1), "sync-partial");
            Assert.True(WaitFor(() => Directory.Exists(partialDir) && Directory.EnumerateFiles(partialDir).Any(f => new FileInfo(f).Length > 1_000_000), StepTimeout, 2), "transfer never started: " + Read(Log("hub1")));
            lab.Kill(hub1);
            var cut = Directory.EnumerateFiles(partialDir).Select(f => new FileInfo(f)).OrderByDescending(f => f.Length).First();
            string resumedId = cut.Name;
            long partial = cut.Length;
            Assert.False(Held(1).Contains(resumedId), "the interrupted shard is already complete; cannot test resume");
            int heldAtKill = Held(1).Count;
            var planTwo = Plan(new[] { 0, 1 }, shardIds, shardBytes, k);

            // Restart before node 2 exists, so the interrupted shard is still node 1's to pull.
            StartHub(lab, 1, Log("hub1-restart"));
            MatchCollection sessions = Regex.Matches(string.Empty, "x");
            Assert.True(
                WaitFor(
                    () => Held(1).IsSupersetOf(planTwo[1]) &&
                        (sessions = Regex.Matches(Read(Log("hub1-restart")), @"received (\d+) B \((\d+) items\)")).Sum(x => long.Parse(x.Groups[2].Value)) >= planTwo[1].Count - heldAtKill,
                    StepTimeout),
                "no resume: " + Read(Log("hub1-restart")));

            // Resumed, not restarted: the items pulled after the restart cost `partial` bytes less than whole shards.
            long receivedAfter = sessions.Sum(x => long.Parse(x.Groups[1].Value));
            long itemsAfter = sessions.Sum(x => long.Parse(x.Groups[2].Value));
            Assert.InRange(receivedAfter, 1, (itemsAfter * shardBytes) - partial + 100_000);

            var three = new[] { 0, 1, 2 };
            var before = three.ToDictionary(i => i, Held);
            int minimum = PlannerMinimum(three, before, 0, shardIds, shardBytes, k);
            StartHub(lab, 2, Log("hub2"));

            // Placement per plan from the current holders: nodes 1 and 2 hold exactly their assigned
            // shards, node 0 (origin) keeps all, and the join moved no more than the planner's minimum.
            Assert.True(
                WaitFor(() => Settled(three, 0, shardIds, shardBytes, k) && Held(2).Count > 0, StepTimeout),
                "not placed per plan: node1 " + Held(1).Count + " node2 " + Held(2).Count + "\n" + Read(Log("hub1-restart")) + Read(Log("hub2")));
            plan3 = HolderAwarePlan(three, three.ToDictionary(i => i, Held), shardIds, shardBytes, k);
            // The oracle tests hold plans to the exact minimum for consistent knowledge; here hubs learn of each
            // other through real sessions, and with the CPU starved (seen with 3 busy loops on 2 cores, 1 run in 4)
            // a hub can act on a plan made before a peer's inventory arrived: one shard of slack for that.
            Assert.InRange(three.Sum(i => Held(i).Except(before[i]).Count()), 1, minimum + 1);
            Assert.Equal(shardIds.Length, Held(0).Count);

            // Get on node 2 fetches what it lacks from peers over the LAN and returns the same bytes.
            string output = Path.Combine(Root, "out.bin");
            var get = lab.RunAether(2, StepTimeout, "get", fileId, "-o", output, "--home", Home(2), "--peers", lab.Address(0) + ":43216," + lab.Address(1) + ":43216");
            Assert.True(get.Code == 0, get.Output);
            using (var a = File.OpenRead(file))
            using (var b = File.OpenRead(output))
            {
                Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
            }

            // A stranger that knows every address but is in nobody's circle gets nothing.
            // Configured with every address and no mDNS: a well-behaved hub would not even dial devices
            // it does not trust, this one insists.
            lab.StartAether(3, Log("hub3"), "hub", "--home", Home(3), "--interface", lab.Address(3), "--sync-interval", "1", "--no-mdns",
                "--peers", string.Join(',', new[] { 0, 1, 2 }.Select(p => lab.Address(p) + ":43216")));
            Assert.True(WaitFor(() => Regex.Matches(Read(Log("hub0")), "refused connection").Count >= 2, StepTimeout), "no refusal logged: " + Read(Log("hub0")));
            Assert.Empty(Held(3));
            string partial3 = Path.Combine(Home(3), "sync-partial");
            Assert.True(!Directory.Exists(partial3) || !Directory.EnumerateFiles(partial3).Any());
            var (code, metrics) = lab.Exec(0, StepTimeout, "/usr/bin/python3", "-c",
                "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:43217/metrics').read().decode())");
            Assert.True(code == 0, metrics);
            Assert.Matches(@"mesh_handshakes_refused_total [1-9]", metrics);
            Assert.Matches(@"mesh_peers_discovered_total\{protocol=""mdns""\} ([2-9]|[1-9][0-9]+)", metrics);

            // Removing node 2 from the circle re-places its shards onto the remaining nodes.
            string id2 = IdOf(2);
            Assert.Equal(0, CliRunner.Run("trust", "remove", id2, "--home", Home(0)).Code);
            Assert.Equal(0, CliRunner.Run("trust", "remove", id2, "--home", Home(1)).Code);
            var plan2 = Plan(new[] { 0, 1 }, shardIds, shardBytes, k);
            Assert.True(plan2[1].Count > plan3[1].Count, "plan without node 2 gives node 1 nothing more");
            Assert.True(
                WaitFor(() => Settled(new[] { 0, 1 }, 0, shardIds, shardBytes, k) && Held(1).Count == plan2[1].Count, StepTimeout),
                "node 2's shards were not re-placed: " + Read(Log("hub1-restart")));
            Assert.Superset(plan3[1], Held(1));
        }
    }
}
