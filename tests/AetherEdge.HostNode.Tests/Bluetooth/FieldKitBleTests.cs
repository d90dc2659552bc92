using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AetherEdge.Core.Routing;
using AetherEdge.Core.Sealing;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// The BLE half of the field kit with a real `aether hub`: a simulated phone (shared-core GATT layer, its own
    /// identity) → beacon → beacon (simulated radio, the firmware's own logic) → hub A (its BlueZ layer talking to the
    /// simulated bluetoothd on a real private dbus-daemon). The phone brings the shards of a file that A cannot
    /// rebuild without them; they travel sealed in pieces, and A stores them only whole and verified. A beacon
    /// killed mid-transfer: the delivery resumes through the other beacon. A recorded write sent again, one
    /// recorded before the freshness window, and a stranger's write are refused at A and counted.
    /// </summary>
    public sealed class FieldKitBleTests : IDisposable
    {
        private const uint Beacon1 = 0x0B000001;
        private const uint Beacon2 = 0x0B000002;
        private const uint Beacon3 = 0x0B000003;
        private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(90);
        private readonly HubRuns _runs = new("aether-fieldkit-");

        [Fact]
        public async Task PhoneShards_ThroughTwoBeacons_StoredWholeAtTheHub_ResumeAfterABeaconDies_ReplaysAndStrangersRefused()
        {
            // Hub A holds one shard of a 2+1 file: it cannot rebuild the file; the phone holds the other two.
            string home = _runs.Home("a");
            Assert.Equal(0, CliRunner.Run("init", "--home", home, "--name", "hub-a", "--kind", "hub").Code);
            string original = Path.Combine(_runs.Root, "field.bin");
            File.WriteAllBytes(original, RandomNumberGenerator.GetBytes(40_000));
            var put = CliRunner.Run("put", original, "--home", home, "--json", "--data-shards", "2", "--parity-shards", "1");
            Assert.True(put.Code == 0, put.Err);
            string fileId = Regex.Match(put.Out, "\"fileId\":\"([0-9a-f]+)\"").Groups[1].Value;
            var phoneShards = new List<(string Id, byte[] Bytes)>();
            using (var store = ShardStore.Open(home, 1L << 30))
            {
                var layout = ShardManifest.ReadUnverified(store.TryGetManifest(fileId)!)!;
                foreach (string id in layout.ShardIds.Skip(1))
                {
                    phoneShards.Add((id, File.ReadAllBytes(store.PathOf(id))));
                    Assert.True(store.DeleteShard(id));
                }
            }

            using var bus = new PrivateBus();
            using var radio = new SimulatedRadio();
            using var b1 = new SimulatedBeacon(Beacon1);
            using var b2 = new SimulatedBeacon(Beacon2);
            using var b3 = new SimulatedBeacon(Beacon3);
            (SimulatedBluez bluez, _) = await b2.ServeAsync(bus.Address);
            using var bluezOwner = bluez;
            radio.Connect(b1, b2);
            radio.Connect(b3, b2, quality: 150);
            await using var phone = new SimulatedPhone(Path.Combine(_runs.Root, "phone"));
            await using var stranger = new SimulatedPhone(Path.Combine(_runs.Root, "stranger"));
            phone.Connect(b1, radio);
            phone.Connect(b3, radio, quality: 120);
            stranger.Connect(b1, radio);
            stranger.Connect(b3, radio);

            // The owner paired the phone with A; the stranger was never paired.
            Assert.Equal(0, CliRunner.Run("trust", "add", phone.Identity.DeviceId.Text, "--name", "phone", "--home", home).Code);
            string hubJson = Path.Combine(home, HubSettings.HubFileName);
            var settings = File.Exists(hubJson) ? JsonNode.Parse(File.ReadAllText(hubJson))!.AsObject() : new JsonObject();
            settings["bluetoothBus"] = bus.Address;
            File.WriteAllText(hubJson, settings.ToJsonString());
            int http = LoopbackKit.FreePort();
            _ = _runs.Start(TimeSpan.FromMinutes(5), "hub", "--home", home, "--port", LoopbackKit.FreePort().ToString(CultureInfo.InvariantCulture),
                "--http-port", http.ToString(CultureInfo.InvariantCulture), "--interface", "127.0.0.1", "--no-mdns", "--sync-interval", "1");
            string hubId = _runs.Id("a");
            uint hubNode = MeshAddress.Of(Parse(hubId));
            phone.Trust(hubId);
            stranger.Trust(hubId);

            // Each side learns the other's key from its signed knowledge record, relayed by the beacons.
            Assert.True(await HubRuns.Eventually(() => phone.Keys.Knows(hubNode) && stranger.Keys.Knows(hubNode), 90), "the phone never heard the hub: " + _runs.Logs);
            Assert.True(await HubRuns.Eventually(() => Metric(http, "mesh_knowledge_records_total", "result=\"accepted\"") >= 1, 60), "the hub never heard the phone: " + _runs.Logs);

            // The phone brings its shards; a beacon dies while the first one is on its way.
            foreach (var (id, bytes) in phoneShards)
            {
                Assert.True(phone.Sender.TryEnqueue(new ShardJob(hubNode, id, Convert.FromHexString(id), bytes, Relayed: false)));
            }

            Assert.True(await HubRuns.Eventually(() => phone.Sender.PiecesSent >= 3, 60), "no piece left the phone");
            var route = new TaskCompletionSource<uint>();
            phone.OnRouter(o => route.SetResult(o.RouteTo(hubNode)));
            uint via = await route.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(via == Beacon1 || via == Beacon3, "the phone has no route to the hub: " + MeshAddress.Format(via));
            var (dying, surviving) = via == Beacon1 ? (b1, b3) : (b3, b1);
            dying.Kill();
            Assert.True(phone.Sender[MeshShardSender.Sent] < phoneShards.Count, "everything arrived before the beacon died");
            long retransmissions = phone.Router.Retransmissions;
            long relaysBefore = Relays(surviving);
            await Task.Delay(1000);
            await phone.DisconnectAsync(dying); // the phone's supervision timeout
            await stranger.DisconnectAsync(dying);
            Assert.True(await HubRuns.Eventually(() => phone.Sender[MeshShardSender.Sent] == phoneShards.Count, 120),
                "the phone's shards were not all delivered: sent " + phone.Sender[MeshShardSender.Sent] + ", unreachable " + phone.Sender[MeshShardSender.Unreachable] + _runs.Logs);
            Assert.True(await HubRuns.Eventually(() => phoneShards.All(s => File.Exists(PathOf(home, s.Id))), 30), "A does not hold the phone's shards");

            // What was lost with the dead beacon was sent again, through the other one.
            Assert.True(phone.Router.Retransmissions > retransmissions || phone.Sender.PiecesFailed > 0, "nothing was lost with the beacon");
            Assert.True(Relays(surviving) > relaysBefore + 5, "the other beacon relayed nothing after the first died");
            Console.WriteLine($"field kit: via {MeshAddress.Format(via)}, retransmissions {phone.Router.Retransmissions - retransmissions}, pieces failed {phone.Sender.PiecesFailed}, relays by the other beacon {Relays(surviving) - relaysBefore}");
            foreach (var (id, bytes) in phoneShards)
            {
                Assert.Equal(bytes, File.ReadAllBytes(PathOf(home, id)));
            }

            Assert.True(Metric(http, "mesh_shard_envelopes_total", "result=\"stored\"") >= 1);
            Assert.True(Metric(http, "mesh_shard_reassembly_total", "result=\"assembled\"") >= phoneShards.Count);
            Assert.Equal(0, Metric(http, "mesh_shard_reassembly_total", "result=\"bad_hash\""));
            string got = Path.Combine(_runs.Root, "got.bin");
            var get = CliRunner.Run("get", fileId, "-o", got, "--home", home);
            Assert.True(get.Code == 0, get.Err);
            Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(got));

            // A recorded write, sent again: its nonce was seen. One recorded 3 minutes ago: outside the window.
            var probe = new byte[] { MeshPayloadKind.Probe, 1, 2, 3 };
            byte[] recorded = Seal(phone, hubNode, DateTimeOffset.UtcNow, probe);
            byte[] old = Seal(phone, hubNode, DateTimeOffset.UtcNow.AddMinutes(-3), probe);
            phone.OnRouter(o => o.Send(hubNode, recorded, 0, recorded.Length, reliable: false));
            Assert.True(await HubRuns.Eventually(() => Metric(http, "mesh_sealed_frames_total", "result=\"accepted\"") >= phoneShards.Count + 1, 30), "the first copy never arrived");
            phone.OnRouter(o => o.Send(hubNode, recorded, 0, recorded.Length, reliable: false));
            phone.OnRouter(o => o.Send(hubNode, old, 0, old.Length, reliable: false));
            byte[] strangers = Seal(stranger, hubNode, DateTimeOffset.UtcNow, probe);
            stranger.OnRouter(o => o.Send(hubNode, strangers, 0, strangers.Length, reliable: true));
            Assert.True(await HubRuns.Eventually(() => Metric(http, "mesh_sealed_frames_total", "result=\"replay\"") >= 1
                && Metric(http, "mesh_sealed_frames_total", "result=\"stale\"") >= 1
                && Metric(http, "mesh_sealed_frames_total", "result=\"stranger\"") >= 1, 30), Scrape(http));
            Assert.True(Metric(http, "mesh_transport_replays_refused_total", "transport=\"ble\"") >= 2, Scrape(http));
            Assert.True(Metric(http, "mesh_replays_refused_total", "") >= 2);

            // Pieces that do not hash to their id: the hub says so in a sealed receipt (no 20 s wait); the phone sends
            // the shard whole once more, hears bad_hash again and gives up, counted on both sides; nothing is stored.
            byte[] spoilt = RandomNumberGenerator.GetBytes(10_000);
            byte[] claimed = SHA256.HashData(RandomNumberGenerator.GetBytes(8));
            Assert.True(phone.Sender.TryEnqueue(new ShardJob(hubNode, Convert.ToHexStringLower(claimed), claimed, spoilt, Relayed: false)));
            Assert.True(await HubRuns.Eventually(() => phone.Sender[MeshShardSender.BadHash] == 1, 60),
                "no bad_hash receipt: no_receipt " + phone.Sender[MeshShardSender.NoReceipt] + "\n" + Scrape(http));
            Assert.Equal(1, phone.Sender.WholeResends);
            Assert.Equal(2, phone.Sender.ReceiptsReceivedOf(MeshShards.BadHash));
            Assert.Equal(0, phone.Sender[MeshShardSender.NoReceipt]);
            Assert.Equal(2, Metric(http, "mesh_shard_reassembly_total", "result=\"bad_hash\""));
            Assert.False(File.Exists(PathOf(home, Convert.ToHexStringLower(claimed))));
        }

        private static byte[] Seal(SimulatedPhone from, uint to, DateTimeOffset at, byte[] body)
        {
            var frame = new byte[SealedFrame.OverheadBytes + body.Length];
            int n = SealedFrame.Seal(from.Keys, from.NodeId, to, at.ToUnixTimeMilliseconds(), BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)), body, 0, body.Length, frame, 0);
            Assert.Equal(frame.Length, n);
            return frame;
        }

        private static long Relays(SimulatedBeacon beacon)
        {
            lock (beacon.Gate)
            {
                return beacon.Node.Router.RelaysQueued;
            }
        }

        private static DeviceId Parse(string text)
        {
            Assert.True(DeviceId.TryParse(text, out var id, out string error), error);
            return id;
        }

        private static string PathOf(string home, string id) => Path.Combine(home, ShardStore.ShardsFolder, id[..2], id.Substring(2, 2), id);

        internal static string Scrape(int port)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            try
            {
                return http.GetStringAsync("http://127.0.0.1:" + port + "/metrics").GetAwaiter().GetResult();
            }
            catch (HttpRequestException)
            {
                return string.Empty;
            }
        }

        internal static double Metric(int port, string name, string labels)
        {
            string pattern = "^" + Regex.Escape(name) + (labels.Length > 0 ? @"\{[^}]*" + Regex.Escape(labels) + @"[^}]*\}" : "") + @" (\S+)$";
            var m = Regex.Match(Scrape(port), pattern, RegexOptions.Multiline);
            return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }

        public void Dispose() => _runs.Dispose();
    }
}
