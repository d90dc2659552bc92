using System.Diagnostics;
using System.Globalization;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.Benchmarks.Scale
{
    /// <summary>
    /// <c>scale-join [FILES ...]</c> (issue 17, change cost): a kit of two hubs holding FILES files of 10+5 shards as
    /// planned, then a third hub joins. Measures on an existing hub, with the hub's own <see cref="PlacementOracle"/>
    /// over an in-memory store (holders come from memory in the hub too; the manifests are parsed once, before):
    /// the time until every file has its new plan, how many shards that plan moves against the planner's minimum
    /// (the shards it gives the new hub: any other move is extra), and the joiner's first inventory exchange: a
    /// hub's whole inventory (FILES × 16 entries) through two <see cref="SyncSession"/>s and the real codec.
    /// </summary>
    public static class JoinScale
    {
        public static int Run(string[] args)
        {
            var sizes = args.Length > 1 ? args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 1000, 10_000, 100_000 };
            Console.WriteLine("| files | shards | re-plan after a join, wall / CPU s | planner runs | shards moved | planner's minimum (to the new hub) | whole inventory exchange (entries, wall / CPU s) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            foreach (int files in sizes)
            {
                Console.WriteLine(Measure(files));
            }

            return 0;
        }

        // CPU seconds of the process (all threads, the GC's too) beside the wall time: on a loaded machine the wall
        // time is mostly waiting for a core.
        private static string Measure(int files)
        {
            var rng = new Random(files);
            var manifests = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var layouts = new List<ShardManifest>(files);
            for (int f = 0; f < files; f++)
            {
                var fileId = new byte[ShardLimits.FileIdBytes];
                rng.NextBytes(fileId);
                var ids = new string[15];
                for (int s = 0; s < ids.Length; s++)
                {
                    var h = new byte[32];
                    rng.NextBytes(h);
                    ids[s] = Convert.ToHexStringLower(h);
                }

                var m = new ShardManifest(fileId, 256, ShardLimits.DefaultSegmentBytes, 10, 15, DateTimeOffset.UnixEpoch, new byte[ShardLimits.WrappedKeyBytes], ids);
                manifests[m.FileIdText] = m.Serialize(new byte[32]);
                layouts.Add(m);
            }

            var self = new LocalDevice(NewId(), "a", DeviceKind.Hub, 2L << 40);
            DeviceId b = NewId();
            DeviceId c = NewId();
            var held = new HashSet<string>(StringComparer.Ordinal);
            var store = new KitStore(manifests, held);

            // Settled kit: A (the origin) and B each hold what a plan over both gives them.
            var first = new PeerKnowledge(_ => true, PeerKnowledge.DefaultOnlineWindow);
            Hear(first, b);
            first.Inventory(b, Array.Empty<string>());
            held.UnionWith(layouts.SelectMany(l => l.ShardIds));
            var origin = new PlacementOracle(store, first, self);
            var onB = new List<string>();
            foreach (var l in layouts)
            {
                var assigned = origin.Assignment(l.FileIdText)!;
                for (int s = 0; s < assigned.Length; s++)
                {
                    if (assigned[s] == b.Text)
                    {
                        onB.Add(l.ShardIds[s]);
                        held.Remove(l.ShardIds[s]);
                    }
                }
            }

            var peers = new PeerKnowledge(_ => true, PeerKnowledge.DefaultOnlineWindow);
            Hear(peers, b);
            peers.Inventory(b, onB);
            var oracle = new PlacementOracle(store, peers, self);
            foreach (var l in layouts)
            {
                oracle.Assignment(l.FileIdText);
            }

            // C joins: heard, inventory empty. Every file is re-planned.
            var fileIds = layouts.Select(l => l.FileIdText).ToArray();
            Hear(peers, c);
            peers.Inventory(c, Array.Empty<string>());
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var paused = GC.GetTotalPauseDuration();
            long plannerRuns = oracle.PlannerRuns;
            long moved = 0;
            long toNew = 0;

            // As the hub's passes do: one reading of the online devices for the whole pass. Timed: the plans only.
            var plans = new string?[layouts.Count][];
            using (oracle.PlanEachFileOnce())
            {
                for (int f = 0; f < layouts.Count; f++)
                {
                    plans[f] = oracle.Assignment(fileIds[f])!;
                }
            }

            double replan = watch.Elapsed.TotalSeconds;
            double replanCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            double replanGc = (GC.GetTotalPauseDuration() - paused).TotalSeconds;
            plannerRuns = oracle.PlannerRuns - plannerRuns;
            for (int f = 0; f < layouts.Count; f++)
            {
                var assigned = plans[f];
                for (int s = 0; s < assigned.Length; s++)
                {
                    string id = layouts[f].ShardIds[s];
                    bool there = assigned[s] == self.Id.Text ? held.Contains(id) : assigned[s] == b.Text && peers.Holds(b, id);
                    moved += there || assigned[s] == null ? 0 : 1;
                    toNew += assigned[s] == c.Text ? 1 : 0;
                }
            }

            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var (entries, seconds) = Exchange(layouts);
            double exchangeCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            return string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2:0.00} / {3:0.00} (GC pauses {9:0.00}) | {10} | {4} | {5} | {6}, {7:0.00} / {8:0.00} |", files, files * 15, replan, replanCpu, moved, toNew, entries, seconds, exchangeCpu, replanGc, plannerRuns);
        }

        // A's whole inventory (manifests and shards) to a joiner that holds none of it, frame by frame through the codec.
        private static (long Entries, double Seconds) Exchange(List<ShardManifest> layouts)
        {
            var items = layouts.Select(l => new InventoryEntry(SyncItemKind.Manifest, l.FileIdText, 600))
                .Concat(layouts.SelectMany(l => l.ShardIds).Select(id => new InventoryEntry(SyncItemKind.Shard, id, 256))).ToArray();
            var host = new Joiner();
            var sender = new SyncSession(new InventoryOnly(items), new Joiner(), CryptoRandom.Instance, new ReplayWindow(), Hello("a"), SyncLimits.DefaultChunkBytes);
            var receiver = new SyncSession(new InventoryOnly(Array.Empty<InventoryEntry>()), host, CryptoRandom.Instance, new ReplayWindow(), Hello("c"), SyncLimits.DefaultChunkBytes);
            var watch = Stopwatch.StartNew();
            sender.Start();
            receiver.Start();
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            bool moving = true;
            while (moving)
            {
                moving = false;
                foreach (var (from, to) in new[] { (sender, receiver), (receiver, sender) })
                {
                    if (from.TryWriteNext(buffer, 0, buffer.Length, now, out int n))
                    {
                        SyncFrameCodec.TryRead(buffer, 0, n, out var frame);
                        to.Receive(frame!, now);
                        moving = true;
                    }
                }
            }

            if (receiver.State != SyncSessionState.Complete)
            {
                throw new InvalidOperationException("exchange ended " + receiver.State + ": " + receiver.FailureReason);
            }

            return (host.Entries, watch.Elapsed.TotalSeconds);
        }

        private static HelloFrame Hello(string name) => new(SyncLimits.ProtocolVersion, (int)DeviceKind.Hub, 2L << 40, 0, 100, HelloFrame.FlagAlwaysOn, name);

        private static void Hear(PeerKnowledge peers, DeviceId id) =>
            peers.Heard(id, LocalDevice.ProfileFor(id.Text, DeviceKind.Hub, 2L << 40, 0, BatteryStatus.Mains, true));

        private static DeviceId NewId() => DeviceId.FromPublicKeyInfo(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));

        /// <summary>Counts the entries it is told; wants nothing (the joiner's manifests come after).</summary>
        private sealed class Joiner : ISyncSessionHost
        {
            public long Entries { get; private set; }

            public void OnPeerHello(HelloFrame hello)
            {
            }

            public long HeldPeerInventoryVersion() => 0;

            public void OnPeerInventory(InventoryChanges part, bool first, bool final) => Entries += part.Count;

            public string[] ChooseWants() => Array.Empty<string>();

            public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes)
            {
            }

            public void OnItemServed(string id, AckStatus status)
            {
            }

            public void OnBytesReceived(long bytes)
            {
            }
        }
    }
}
