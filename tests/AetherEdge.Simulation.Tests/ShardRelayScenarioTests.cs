using System.Security.Cryptography;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Relay;
using AetherEdge.Firmware.Beacon;
using Xunit.Abstractions;

namespace AetherEdge.Simulation.Tests
{
    /// <summary>phone → beacon → beacon → hub over simulated BLE connections, full stack.</summary>
    public class ShardRelayScenarioTests
    {
        private const uint Phone = 1;
        private const uint BeaconA = 2;
        private const uint BeaconB = 3;
        private const uint Hub = 4;
        private readonly ITestOutputHelper _output;

        public ShardRelayScenarioTests(ITestOutputHelper output) => _output = output;

        private sealed class Line
        {
            public readonly EventScheduler Clock = new();
            public readonly GattRouterNode Phone;
            public readonly BeaconNode BeaconA;
            public readonly BeaconNode BeaconB;
            public readonly GattRouterNode Hub;
            public readonly List<SimGattLink> Links = new();

            public Line(double loss)
            {
                Phone = new GattRouterNode(ShardRelayScenarioTests.Phone, 8192, 11);
                Hub = new GattRouterNode(ShardRelayScenarioTests.Hub, 8192, 44);
                BeaconA = new BeaconNode(new BeaconConfig(ShardRelayScenarioTests.BeaconA, 1 << 20), new SimulatedSdCard(), new SimRandom(22));
                BeaconB = new BeaconNode(new BeaconConfig(ShardRelayScenarioTests.BeaconB, 1 << 20), new SimulatedSdCard(), new SimRandom(33));
                // iPhone (MTU 185) → beacon; beacon ↔ beacon with DLE (247); beacon → Pi hub (517). 7.5 ms intervals, 1M PHY.
                Add(BleConnection.Connect(Clock, 100, ShardRelayScenarioTests.Phone, Phone.Links, ShardRelayScenarioTests.BeaconA, BeaconA.Links, 185, loss, 7500, 1_000_000));
                Add(BleConnection.Connect(Clock, 200, ShardRelayScenarioTests.BeaconA, BeaconA.Links, ShardRelayScenarioTests.BeaconB, BeaconB.Links, 247, loss, 7500, 1_000_000));
                Add(BleConnection.Connect(Clock, 300, ShardRelayScenarioTests.BeaconB, BeaconB.Links, ShardRelayScenarioTests.Hub, Hub.Links, 517, loss, 7500, 1_000_000));
            }

            public void Run(long ms, Func<bool> done) => Clock.RunUntil(Clock.NowMicroseconds + (ms * 1000), now =>
            {
                Phone.Step(now);
                BeaconA.Step(now);
                BeaconB.Step(now);
                Hub.Step(now);
            }, done);

            private void Add((SimGattLink, SimGattLink) pair)
            {
                Links.Add(pair.Item1);
                Links.Add(pair.Item2);
            }
        }

        private static (byte[] Shard, byte[] Id, byte[] Envelope) Shard(int length, int seed)
        {
            var shard = new byte[length];
            new Random(seed).NextBytes(shard);
            byte[] id = SHA256.HashData(shard);
            var envelope = new byte[ShardEnvelope.HeaderBytes + length];
            Assert.True(ShardEnvelope.TryWrite(id, shard, 0, length, envelope, 0, out _));
            return (shard, id, envelope);
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(0.05)]
        public void Shard_PhoneToHubThroughTwoBeacons_BytesAndHashEqual(double loss)
        {
            var line = new Line(loss);
            var (shard, id, envelope) = Shard(6000, 5);
            Assert.True(line.Phone.Router.TrySend(Hub, envelope, 0, envelope.Length, wantAck: true, bulk: true, line.Clock.MonotonicMilliseconds, out uint packetId));
            line.Run(60_000, () => line.Phone.Confirmed.Count > 0 || line.Phone.Failed.Count > 0);

            Assert.Equal(new[] { packetId }, line.Phone.Confirmed);
            byte[] received = Assert.Single(line.Hub.Delivered);
            int at = ShardEnvelope.Parse(received, 0, received.Length);
            byte[] got = received.AsSpan(at).ToArray();
            Assert.Equal(shard, got);
            Assert.Equal(id, received.AsSpan(1, 32).ToArray());
            Assert.Equal(id, SHA256.HashData(got));
            foreach (var beacon in new[] { line.BeaconA, line.BeaconB })
            {
                var copy = new byte[shard.Length];
                Assert.Equal(shard.Length, beacon.Cache.TryRead(id, 0, copy, 0));
                Assert.Equal(shard, copy);
            }

            long payload = line.Links.Sum(l => l.AttBytes);
            _output.WriteLine($"loss {loss:P0}: delivered at {line.Clock.MonotonicMilliseconds} ms, {line.Links.Sum(l => l.Frames)} ATT values, {payload} ATT bytes for a {shard.Length}-byte shard over 3 hops ({3.0 * shard.Length / payload:P1} useful)");
        }

        [Fact]
        public void Shard_BeaconBatteryLow_BulkStopsControlPasses()
        {
            var line = new Line(0.0);
            line.BeaconA.UpdateBattery(new BatteryStatus(20, pluggedIn: false));
            var (_, _, envelope) = Shard(3000, 6);
            line.Phone.Router.TrySend(Hub, envelope, 0, envelope.Length, wantAck: true, bulk: true, 0, out uint bulkId);
            line.Phone.Router.TrySend(Hub, new byte[] { 9, 9, 9 }, 0, 3, wantAck: true, bulk: false, 0, out uint controlId);
            line.Run(60_000, () => line.Phone.Confirmed.Count + line.Phone.Failed.Count >= 2);

            Assert.Equal(new[] { controlId }, line.Phone.Confirmed);
            Assert.Equal(new[] { bulkId }, line.Phone.Failed);
            Assert.Equal(new byte[] { 9, 9, 9 }, Assert.Single(line.Hub.Delivered));
            Assert.True(line.BeaconA.Router.PolicyDrops > 0);
            Assert.Equal(0, line.BeaconA.ShardsCached);
            Assert.True(line.BeaconA.ShardsSkippedForBattery > 0);
        }

        [Fact]
        public void Advertisement_ReportsBeaconState()
        {
            var line = new Line(0.0);
            line.BeaconB.UpdateBattery(new BatteryStatus(25, pluggedIn: false));
            var buffer = new byte[31];
            Assert.True(line.BeaconB.TryWriteAdvertisement(buffer, 0, out int written));
            var ad = AetherEdge.Core.Gatt.BeaconAdvertisement.Parse(buffer, 0, written);
            Assert.Equal((DeviceKind.Beacon, BeaconB, 1L << 20, 25, false, false), (ad.Kind, ad.NodeId, ad.AllocationBytes, ad.BatteryPercent, ad.PluggedIn, ad.AcceptsBulk));
        }
    }
}

namespace AetherEdge.Simulation.Tests
{
    public class GattMeshLinksTests
    {
        [Fact]
        public void UnidentifiedCentral_Hello_RekeysConnectionToNodeId()
        {
            var clock = new EventScheduler();
            var phone = new GattRouterNode(77, 2048, 1);
            var beacon = new GattRouterNode(5, 2048, 2);
            var toBeacon = new SimGattLink(clock, 1, 185, 0, 7500, 1_000_000);
            var toPhone = new SimGattLink(clock, 2, 185, 0, 7500, 1_000_000);
            toBeacon.Deliver = (b, now) => beacon.Links.OnValue(0x80000001, b, 0, b.Length, now);
            toPhone.Deliver = (b, now) => phone.Links.OnValue(5, b, 0, b.Length, now);
            phone.Links.AddNeighbour(5, toBeacon, 100);
            beacon.Links.AddUnidentifiedNeighbour(0x80000001, toPhone, 100);
            Assert.True(phone.Router.TrySendHello(0));
            clock.RunUntil(2_000_000, now => { phone.Step(now); beacon.Step(now); });
            Assert.Equal(77u, beacon.Links.IdentityOf(0x80000001));
            Assert.NotNull(beacon.Links.EndpointOf(77));
            Assert.Equal(77u, beacon.Router.RouteTo(77, clock.MonotonicMilliseconds));
            Assert.Equal(0, beacon.Router.RelaysQueued);
            // later values on the connection still arrive under its temporary id
            phone.Router.TrySend(5, new byte[] { 4, 2 }, 0, 2, wantAck: true, bulk: false, clock.MonotonicMilliseconds, out _);
            clock.RunUntil(clock.NowMicroseconds + 2_000_000, now => { phone.Step(now); beacon.Step(now); });
            Assert.Equal(new byte[] { 4, 2 }, beacon.Delivered[^1]);
            Assert.Single(phone.Confirmed);
        }
    }
}
