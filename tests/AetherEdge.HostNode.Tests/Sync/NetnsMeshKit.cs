using System.Diagnostics;
using System.Text.RegularExpressions;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Power;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>Homes, pairing, hub processes and placement checks shared by the network-namespace mesh tests.</summary>
    public abstract class NetnsMeshKit : IDisposable
    {
        /// <summary>One lab at a time: NetnsLab names its namespaces after the process id.</summary>
        public const string Collection = NetnsCollection.Name;

        protected static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

        protected NetnsMeshKit()
        {
            Directory.CreateDirectory(Root);
        }

        protected string Root { get; } = Path.Combine(Path.GetTempPath(), "aesy-mesh-" + Guid.NewGuid().ToString("N"));

        /// <summary>The kind each node was initialised with (profiles must match what the hubs announce).</summary>
        protected abstract DeviceKind KindOf(int node);

        public void Dispose()
        {
            // AETHER_TEST_KEEP=1 keeps the homes and hub logs for a post-mortem.
            if (Directory.Exists(Root) && Environment.GetEnvironmentVariable("AETHER_TEST_KEEP") != "1")
            {
                Directory.Delete(Root, true);
            }
        }

        protected string Home(int i) => Path.Combine(Root, "home" + i);

        protected string Log(string name) => Path.Combine(Root, name + ".log");

        protected static string Read(string path)
        {
            using var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(fs).ReadToEnd();
        }

        protected static bool WaitFor(Func<bool> condition, TimeSpan timeout, int pollMs = 100)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < timeout)
            {
                if (condition())
                {
                    return true;
                }

                Thread.Sleep(pollMs);
            }

            return condition();
        }

        internal void Pair(NetnsLab lab, int show, int join)
        {
            string log = Log("pair-" + show + "-" + join);
            var shower = lab.StartAether(show, log, "pair", "--home", Home(show), "--name", "node" + show, "--interface", lab.Address(show), "--timeout", "60");
            Match m = Match.Empty;
            Assert.True(WaitFor(() => (m = Regex.Match(Read(log), @"--code (\d{6})")).Success, StepTimeout), "no pairing code: " + Read(log));
            // No address is typed: the joining node finds the one showing the code by mDNS (_aetherpair._tcp).
            var (code, output) = lab.RunAether(join, StepTimeout, "pair", "--home", Home(join), "--name", "node" + join, "--code", m.Groups[1].Value, "--interface", lab.Address(join));
            Assert.True(code == 0, "join failed: " + output);
            Assert.Contains("found node" + show + " waiting to pair at " + lab.Address(show) + ":43218", output);
            Assert.True(shower.WaitForExit(30_000), "showing side did not finish");
            Assert.Equal(0, shower.ExitCode);
        }

        internal Process StartHub(NetnsLab lab, int i, string log, params int[] peers) => StartHub(lab, i, log, Array.Empty<string>(), peers);

        internal Process StartHub(NetnsLab lab, int i, string log, string[] extra, params int[] peers)
        {
            // Without peers the hub finds the others by mDNS on the namespace LAN.
            var args = new List<string> { "hub", "--home", Home(i), "--interface", lab.Address(i), "--sync-interval", "1" };
            if (peers.Length > 0)
            {
                args.Add("--peers");
                args.Add(string.Join(',', peers.Select(p => lab.Address(p) + ":43216")));
            }

            args.AddRange(extra);
            return lab.StartAether(i, log, args.ToArray());
        }

        protected long Allocation(int i) => NodeHome.Open(Home(i)).AllocationBytes;

        // Reads the shard files, not the store: opening a ShardStore reconciles (and would delete a
        // running hub's temp files).
        protected HashSet<string> Held(int i)
        {
            string dir = Path.Combine(Home(i), ShardStore.ShardsFolder);
            return Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Where(ShardId.IsValid).Select(n => n!).ToHashSet()
                : new HashSet<string>();
        }

        protected string IdOf(int i) => CliRunner.Run("id", "--home", Home(i)).Out.Trim();

        /// <summary>The nodes' profiles as the hubs plan with them, sorted by ID.</summary>
        protected DeviceProfile[] Devices(int[] nodes)
        {
            var battery = BatterySourceChain.Create(new PowerOptions()).Read().Status;
            return nodes.Select(i => PlacementOracle.ForPlanning(LocalDevice.ProfileFor(IdOf(i), KindOf(i), Allocation(i), 0, battery, true)))
                .OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
        }

        /// <summary>
        /// The holder-aware plan the hubs compute from <paramref name="held"/> (what each node holds),
        /// per node. Same code as the hubs, so what this proves is that the real processes reached it.
        /// </summary>
        protected Dictionary<int, HashSet<string>> HolderAwarePlan(int[] nodes, Dictionary<int, HashSet<string>> held, string[] shardIds, long shardBytes, int k)
        {
            var devices = Devices(nodes);
            var nodeOf = nodes.ToDictionary(IdOf, i => i);
            var holders = shardIds.Select(s => Enumerable.Range(0, devices.Length).Where(d => held[nodeOf[devices[d].Id]].Contains(s)).ToArray()).ToArray();
            var assigned = HolderAwarePlacement.Plan(devices, shardBytes, k, holders).HolderIds();
            var result = nodes.ToDictionary(i => i, _ => new HashSet<string>());
            for (int s = 0; s < assigned.Length; s++)
            {
                if (assigned[s] != null)
                {
                    result[nodeOf[assigned[s]!]].Add(shardIds[s]);
                }
            }

            return result;
        }

        /// <summary>
        /// True when the mesh is at rest: every node except <paramref name="origin"/> (which keeps what
        /// it was put with) holds exactly what the plan computed from the current holdings assigns it.
        /// </summary>
        protected bool Settled(int[] nodes, int? origin, string[] shardIds, long shardBytes, int k)
        {
            var held = nodes.ToDictionary(i => i, Held);
            var plan = HolderAwarePlan(nodes, held, shardIds, shardBytes, k);
            return nodes.All(i => i == origin ? held[i].IsSupersetOf(plan[i]) : held[i].SetEquals(plan[i]));
        }

        /// <summary>
        /// What PlacementPlanner moves for a join given one holder per shard (a synced copy if any,
        /// else the origin): the bound a join must stay within.
        /// </summary>
        protected int PlannerMinimum(int[] nodes, Dictionary<int, HashSet<string>> held, int origin, string[] shardIds, long shardBytes, int k)
        {
            var devices = Devices(nodes);
            var idOf = nodes.ToDictionary(i => i, IdOf);
            var current = shardIds.Select(s => nodes.Where(i => i != origin && held[i].Contains(s)).Select(i => idOf[i]).FirstOrDefault()
                ?? (held[origin].Contains(s) ? idOf[origin] : null)).ToArray();
            var after = PlacementPlanner.Plan(devices, shardIds.Length, shardBytes, k, PlacementPlanner.DefaultTargetTolerance, current).HolderIds();
            return Enumerable.Range(0, after.Length).Count(s => after[s] != null && after[s] != current[s]);
        }
    }
}
