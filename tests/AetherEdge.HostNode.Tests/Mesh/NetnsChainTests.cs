using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Tests.Bluetooth;
using AetherEdge.HostNode.Tests.Sync;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// Three real hubs in a chain of network namespaces, A – B – C, where A cannot reach C: only B pairs with
    /// each, the hubs find their neighbours by mDNS, B's membership statements make A and C trust each other,
    /// a file put on A ends with C holding its planned shards (synced end to end through B's relay) and is
    /// rebuilt on C, a file put on C is rebuilt on A, and `aether trust remove` on A reaches B. The file put on A is
    /// six times B's relay buffer: B's buffer in use never passes its limit while relaying, and B keeps none of it
    /// beyond its own plan.
    /// </summary>
    [Collection(NetnsMeshKit.Collection)]
    public sealed class NetnsChainTests : NetnsMeshKit
    {
        private static readonly TimeSpan s_meshTimeout = TimeSpan.FromSeconds(90);

        protected override DeviceKind KindOf(int node) => DeviceKind.Hub;

        [SkippableFact]
        public void Chain_AandCMeetOnlyThroughB_TrustPlacementGetAndRemovalTravel()
        {
            Skip.IfNot(NetnsLab.IsRoot, "needs root for network namespaces (CI runs as root)");
            for (int i = 0; i < 3; i++)
            {
                var init = CliRunner.Run("init", "--home", Home(i), "--name", "node" + i, "--kind", "hub", "--allocation", "2GB");
                Assert.True(init.Code == 0, init.Err);
            }

            using var lab = new NetnsChainLab();
            Assert.NotEqual(0, lab.Exec(0, StepTimeout, "ping", "-c", "1", "-W", "1", lab.LinkB(2)).Code);
            Pair(lab, show: 0, join: 1, lab.LinkA(0), lab.LinkA(1));
            Pair(lab, show: 1, join: 2, lab.LinkB(1), lab.LinkB(2));
            string a = IdOf(0), b = IdOf(1), c = IdOf(2);
            Assert.DoesNotContain(c, Trusted(0));
            Assert.DoesNotContain(a, Trusted(2));

            // No addresses typed: each hub finds its neighbours by mDNS on its own links.
            lab.StartAether(0, Log("hub0"), "hub", "--home", Home(0), "--interface", lab.LinkA(0), "--sync-interval", "1");
            lab.StartAether(1, Log("hub1"), "hub", "--home", Home(1), "--sync-interval", "1", "--relay-buffer", "4MB");
            lab.StartAether(2, Log("hub2"), "hub", "--home", Home(2), "--interface", lab.LinkB(2), "--sync-interval", "1");

            // B introduced them: A and C trust each other although they never met.
            Assert.True(WaitFor(() => Trusted(0).Contains(c) && Trusted(2).Contains(a), s_meshTimeout), "no introduction: " + Logs());

            // A put on A of 24 MiB, six times B's relay buffer: C ends with exactly its planned shards, although only
            // B's relay connects them; B's buffer is sampled all along.
            using var relay = new RelaySampler(lab);
            var (file1, shards1, bytes1, k1) = Put(0, "a.bin", 11, 24 << 20);
            int[] all = { 0, 1, 2 };
            Assert.True(WaitFor(() => Settled(all, 0, shards1, bytes1, k1) && Held(2).Overlaps(shards1), s_meshTimeout), "C never got its planned shards: " + Logs());
            var (peak, limit, samples, relayedBytes) = relay.Stop();
            Console.WriteLine($"chain: B's relay buffer peak {peak} of {limit} bytes over {samples} samples; relayed {relayedBytes} bytes");
            Assert.Equal(4_000_000, limit);
            Assert.True(samples >= 3, "B's metrics were not sampled during the transfer");
            Assert.InRange(peak, 0, limit);
            var plan1 = HolderAwarePlan(all, all.ToDictionary(i => i, Held), shards1, bytes1, k1);
            Assert.True(Held(1).Intersect(shards1).ToHashSet().SetEquals(plan1[1]), "B keeps A's shards beyond its plan");
            long pulledByC = Held(2).Intersect(shards1).Count() * bytes1;
            Assert.True(relayedBytes >= pulledByC, $"B relayed {relayedBytes} bytes, C pulled {pulledByC}");
            Get(lab, 2, file1, lab.LinkB(1), "a.bin");

            // And back: a put on C is rebuilt on A.
            var (file2, shards2, bytes2, k2) = Put(2, "c.bin", 12);
            Assert.True(WaitFor(() => Held(0).Overlaps(shards2) && Held(1).Overlaps(shards2), s_meshTimeout), "A never got C's shards: " + Logs());
            Get(lab, 0, file2, lab.LinkA(1), "c.bin");

            // B relayed (and counted) what crossed it.
            var metrics = lab.Exec(1, StepTimeout, "curl", "-s", "http://127.0.0.1:43217/metrics");
            var relayed = Regex.Match(metrics.Output, @"^mesh_relayed_bytes_total (\S+)$", RegexOptions.Multiline);
            Assert.True(relayed.Success && double.Parse(relayed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > bytes1, metrics.Output);
            Assert.Matches(@"mesh_transport_peers\{transport=""lan""\} 2", metrics.Output);

            // A removal made on A reaches B, which then drops its link to C.
            var remove = CliRunner.Run("trust", "remove", c, "--home", Home(0));
            Assert.True(remove.Code == 0, remove.Err);
            Assert.True(WaitFor(() => !Trusted(1).Contains(c), s_meshTimeout), "removal never reached B: " + Logs());
            Assert.True(WaitFor(() => Read(Log("hub1")).Contains("no longer trusted"), s_meshTimeout), Read(Log("hub1")));
            Assert.Contains(a, Trusted(1));
        }

        /// <summary>
        /// The field kit end to end: phone (simulated, shared-core GATT) → beacon → beacon (simulated radio, firmware
        /// logic) → hub A (BlueZ layer to the simulated bluetoothd on a private dbus-daemon) → hub B (namespace link) →
        /// hub C (another link A cannot reach). C holds one shard of a 2+1 file, the phone the other two: the phone
        /// hands them to A sealed, A keeps the one its plan gives it and relays the others sealed to their planned
        /// hubs, and `aether get` on A rebuilds the file. The phone was paired with A only.
        /// </summary>
        [SkippableFact]
        public async Task FieldKit_PhoneShardsThroughBeaconsEndAtTheirPlannedHubs_FilePutOnCIsRebuiltOnA()
        {
            Skip.IfNot(NetnsLab.IsRoot, "needs root for network namespaces (CI runs as root)");
            for (int i = 0; i < 3; i++)
            {
                var init = CliRunner.Run("init", "--home", Home(i), "--name", "node" + i, "--kind", "hub", "--allocation", "2GB");
                Assert.True(init.Code == 0, init.Err);
            }

            using var bus = new PrivateBus();
            using var radio = new SimulatedRadio();
            using var b1 = new SimulatedBeacon(0x0B000011);
            using var b2 = new SimulatedBeacon(0x0B000012);
            (SimulatedBluez bluez, _) = await b2.ServeAsync(bus.Address);
            using var bluezOwner = bluez;
            radio.Connect(b1, b2);
            await using var phone = new SimulatedPhone(Path.Combine(Root, "phone"));
            phone.Connect(b1, radio);
            Assert.Equal(0, CliRunner.Run("trust", "add", phone.Identity.DeviceId.Text, "--name", "phone", "--home", Home(0)).Code);
            File.WriteAllText(Path.Combine(Home(0), HubSettings.HubFileName), "{\"bluetoothBus\":\"" + bus.Address + "\"}");

            using var lab = new NetnsChainLab();
            Pair(lab, show: 0, join: 1, lab.LinkA(0), lab.LinkA(1));
            Pair(lab, show: 1, join: 2, lab.LinkB(1), lab.LinkB(2));
            string a = IdOf(0), c = IdOf(2);
            phone.Trust(a);

            // Put after pairing (the kit's user key), then C keeps one shard and the phone the other two.
            string original = Path.Combine(Root, "field.bin");
            File.WriteAllBytes(original, RandomNumberGenerator.GetBytes(40_000));
            var put = CliRunner.Run("put", original, "--home", Home(2), "--json", "--data-shards", "2", "--parity-shards", "1");
            Assert.True(put.Code == 0, put.Err);
            string fileId = Regex.Match(put.Out, "\"fileId\":\"([0-9a-f]+)\"").Groups[1].Value;
            var phoneShards = new List<(string Id, byte[] Bytes)>();
            string[] fieldShards;
            long fieldShardBytes;
            using (var store = ShardStore.Open(Home(2), Allocation(2)))
            {
                fieldShards = ShardManifest.ReadUnverified(store.TryGetManifest(fileId)!)!.ShardIds;
                fieldShardBytes = store.LengthOf(fieldShards[0]);
                foreach (string id in fieldShards.Skip(1))
                {
                    phoneShards.Add((id, File.ReadAllBytes(store.PathOf(id))));
                    Assert.True(store.DeleteShard(id));
                }
            }

            lab.StartAether(0, Log("hub0"), "hub", "--home", Home(0), "--interface", lab.LinkA(0), "--sync-interval", "1");
            lab.StartAether(1, Log("hub1"), "hub", "--home", Home(1), "--sync-interval", "1");
            lab.StartAether(2, Log("hub2"), "hub", "--home", Home(2), "--interface", lab.LinkB(2), "--sync-interval", "1");

            // Introductions travel (A and C, and the phone to B and C); the manifest reaches A through B.
            Assert.True(WaitFor(() => Trusted(0).Contains(c) && Trusted(2).Contains(a) && Trusted(2).Contains(phone.Identity.DeviceId.Text), s_meshTimeout), "no introduction: " + Logs());
            uint hubA = MeshAddress.Of(ParseId(a));
            Assert.True(WaitFor(() => phone.Keys.Knows(hubA), s_meshTimeout), "the phone never heard A through the beacons: " + Logs());
            // A heard the phone's record too (three links away: beacon, beacon, phone), so it holds the pair key.
            Assert.True(WaitFor(() => lab.Exec(0, StepTimeout, "curl", "-s", "http://127.0.0.1:43217/metrics").Output.Contains("mesh_known_devices{hops=\"3\"} 1"), s_meshTimeout), "A never heard the phone: " + Logs());
            Assert.True(WaitFor(() => CliRunner.Run("status", "--home", Home(0)).Out.Contains("(1 files)"), s_meshTimeout), "A never got C's manifest: " + Logs());

            foreach (var (id, bytes) in phoneShards)
            {
                Assert.True(phone.Sender.TryEnqueue(new ShardJob(hubA, id, Convert.FromHexString(id), bytes, Relayed: false)));
            }

            // A's receipts: kept there (sent) or passed on to the planned hub (handed on).
            Assert.True(WaitFor(() => phone.Sender[MeshShardSender.Sent] + phone.Sender[MeshShardSender.HandedOn] == phoneShards.Count, s_meshTimeout), "the phone's shards never reached A: " + Logs());
            Assert.True(WaitFor(() => phoneShards.All(s => Held(0).Contains(s.Id) || Held(1).Contains(s.Id) || Held(2).Contains(s.Id)), s_meshTimeout),
                "the phone's shards were not kept: " + string.Join("\n", Enumerable.Range(0, 3).Select(i => "hub" + i + ":\n" + string.Join("\n",
                    lab.Exec(i, StepTimeout, "curl", "-s", "http://127.0.0.1:43217/metrics").Output.Split('\n').Where(l => l.StartsWith("mesh_shard", StringComparison.Ordinal) || l.StartsWith("mesh_sealed", StringComparison.Ordinal))))));
            // Each shard ends at the hub the planner names for the three hubs (the phone, allocation 0, takes none),
            // computed here with the hubs' own planner from what each holds; a copy held for handoff is pruned.
            int[] hubs = { 0, 1, 2 };
            Assert.True(WaitFor(() => Settled(hubs, null, fieldShards, fieldShardBytes, 2), s_meshTimeout),
                "the shards did not settle where the planner puts them: " + string.Join("; ", hubs.Select(i => "hub" + i + " " + string.Join(",", Held(i).Select(h => h[..8])))) +
                string.Concat(hubs.Select(i => "\nhub" + i + "'s view:\n" + lab.RunAether(i, StepTimeout, "status", "--mesh", "--home", Home(i)).Output + string.Join("\n",
                    lab.Exec(i, StepTimeout, "curl", "-s", "http://127.0.0.1:43217/metrics").Output.Split('\n').Where(l => l.StartsWith("mesh_", StringComparison.Ordinal) || l.StartsWith("aether_sync", StringComparison.Ordinal))))) + Logs());
            string metricsA = lab.Exec(0, StepTimeout, "curl", "-s", "http://127.0.0.1:43217/metrics").Output;
            Assert.Matches(@"mesh_shard_reassembly_total\{result=""assembled""\} 2", metricsA);
            Assert.Matches(@"mesh_transport_peers\{transport=""ble""\} 1", metricsA);
            Assert.Matches(@"mesh_far_peers_skipped_total\{reason=""ble_only""\} [1-9]", metricsA); // the phone: no tunnel tried
            Assert.DoesNotMatch(@"mesh_shard_envelopes_total\{result=""(no_manifest|bad_hash|relay_refused)""\} [1-9]", metricsA);

            // A relayed what its plan gives B or C; they stored it (relayed pieces arrive over the LAN links).
            if (Regex.IsMatch(metricsA, @"mesh_shard_envelopes_total\{result=""relayed""\} [1-9]"))
            {
                Assert.True(WaitFor(() => Enumerable.Range(1, 2).Any(i => Regex.IsMatch(lab.Exec(i, StepTimeout, "curl", "-s", "http://127.0.0.1:43217/metrics").Output, @"mesh_shard_envelopes_total\{result=""(stored|already_held|held_for_handoff)""\} [1-9]")), s_meshTimeout), Logs());
            }

            Get(lab, 0, fileId, lab.LinkA(1), "field.bin");
        }

        /// <summary>Samples B's relay metrics every 200 ms on a thread of its own until stopped.</summary>
        private sealed class RelaySampler : IDisposable
        {
            private readonly NetnsChainLab _lab;
            private readonly Thread _thread;
            private volatile bool _running = true;
            private double _peak;
            private double _limit;
            private double _relayed;
            private int _samples;

            public RelaySampler(NetnsChainLab lab)
            {
                _lab = lab;
                _thread = new Thread(Sample) { IsBackground = true, Name = "relay-sampler" };
                _thread.Start();
            }

            /// <summary>Peak buffer in use, the limit, samples taken, relayed bytes at the end.</summary>
            public (long Peak, long Limit, int Samples, long Relayed) Stop()
            {
                _running = false;
                _thread.Join();
                SampleOnce();
                return ((long)_peak, (long)_limit, _samples, (long)_relayed);
            }

            public void Dispose()
            {
                _running = false;
                _thread.Join();
            }

            private void Sample()
            {
                while (_running)
                {
                    SampleOnce();
                    Thread.Sleep(200);
                }
            }

            private void SampleOnce()
            {
                string text = _lab.Exec(1, StepTimeout, "curl", "-s", "http://127.0.0.1:43217/metrics").Output;
                if (Value(text, "mesh_relay_buffer_limit_bytes") is not { } limit)
                {
                    return;
                }

                _limit = limit;
                _peak = Math.Max(_peak, Value(text, "mesh_relay_buffer_bytes") ?? 0);
                _relayed = Value(text, "mesh_relayed_bytes_total") ?? 0;
                _samples++;
            }

            private static double? Value(string metrics, string name)
            {
                var m = Regex.Match(metrics, "^" + name + @" (\S+)$", RegexOptions.Multiline);
                return m.Success ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            }
        }

        private static HostNode.Identity.DeviceId ParseId(string text)
        {
            Assert.True(HostNode.Identity.DeviceId.TryParse(text, out var id, out string error), error);
            return id;
        }

        private HashSet<string> Trusted(int i) =>
            CliRunner.Run("trust", "list", "--home", Home(i)).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToHashSet();

        private string Logs() => "\nA: " + Read(Log("hub0")) + "\nB: " + Read(Log("hub1")) + "\nC: " + Read(Log("hub2"));

        private (string FileId, string[] Shards, long ShardBytes, int K) Put(int node, string name, int seed, int size = 3_000_000)
        {
            string path = Path.Combine(Root, name);
            var data = new byte[size];
            new Random(seed).NextBytes(data);
            File.WriteAllBytes(path, data);
            var put = CliRunner.Run("put", path, "--home", Home(node), "--json");
            Assert.True(put.Code == 0, put.Err);
            string fileId = Regex.Match(put.Out, "\"fileId\":\"([0-9a-f]+)\"").Groups[1].Value;
            using var store = ShardStore.Open(Home(node), Allocation(node));
            var layout = ShardManifest.ReadUnverified(store.TryGetManifest(fileId)!)!;
            return (fileId, layout.ShardIds, store.LengthOf(layout.ShardIds[0]), layout.DataShards);
        }

        private void Get(NetnsChainLab lab, int node, string fileId, string neighbour, string original)
        {
            string output = Path.Combine(Root, "got-" + node + "-" + original);
            var get = lab.RunAether(node, StepTimeout, "get", fileId, "-o", output, "--home", Home(node), "--peers", neighbour + ":43216");
            Assert.True(get.Code == 0, get.Output);
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(Path.Combine(Root, original))), SHA256.HashData(File.ReadAllBytes(output)));
        }

        private void Pair(NetnsChainLab lab, int show, int join, string showAddress, string joinAddress)
        {
            string log = Log("pair-" + show + "-" + join);
            var shower = lab.StartAether(show, log, "pair", "--home", Home(show), "--name", "node" + show, "--interface", showAddress, "--timeout", "60");
            Match m = Match.Empty;
            Assert.True(WaitFor(() => (m = Regex.Match(Read(log), @"--code (\d{6})")).Success, StepTimeout), "no pairing code: " + Read(log));
            var (code, output) = lab.RunAether(join, StepTimeout, "pair", "--home", Home(join), "--name", "node" + join, "--code", m.Groups[1].Value, "--interface", joinAddress);
            Assert.True(code == 0, "join failed: " + output);
            Assert.True(shower.WaitForExit(30_000), "showing side did not finish");
            Assert.Equal(0, shower.ExitCode);
        }
    }
}
