using System.Collections.Concurrent;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Bluetooth;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Sync;
using AetherEdge.Simulation;
using Microsoft.Extensions.Logging.Abstractions;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// The hub's BLE transport against a real private dbus-daemon with a simulated bluetoothd whose one peer is
    /// a simulated beacon running the firmware's logic (no radios here).
    /// </summary>
    public class BleMeshServiceTests
    {
        private const uint HubId = 0x0A000001;
        private const uint BeaconId = 0x0B000001;
        private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(20);

        [Fact]
        public async Task Hub_FindsTheBeaconByItsMetadata_RouterRunsOverTheGattLink_UnsealedPayloadsRefused()
        {
            using var bus = new PrivateBus();
            using var beacon = new SimulatedBeacon(BeaconId);
            (SimulatedBluez bluez, uint port) = await beacon.ServeAsync(bus.Address);
            using var bluezOwner = bluez;
            await using var hub = await HubNode.StartAsync(bus.Address);

            // The link is attached under the node id the beacon advertises.
            IMeshLink link = await Until(() => hub.Links.Snapshot().FirstOrDefault(), "no BLE link attached");
            Assert.Equal(MeshLinkKind.Ble, link.Kind);
            Assert.Equal(BeaconId, link.Neighbour);
            BleBeacon seen = await Until(() => hub.Service.Seen.FirstOrDefault(b => b.Connected), "the beacon is not shown as connected");
            Assert.Single(hub.Service.Seen);
            Assert.Equal(DeviceKind.Beacon, seen.Kind);
            Assert.Equal(BeaconId, seen.NodeId);
            Assert.True(seen.Connected);

            // The hub's greeting names it on the beacon's side.
            await Until(() => Locked(beacon, () => beacon.Node.Links.IdentityOf(port) == HubId), "the beacon never learnt the hub's node id");

            // Beacon → hub: its own probe is not sealed by a trusted device, so the BLE link refuses it (seed threat 3).
            var probe = new byte[] { MeshPayloadKind.Probe, 9, 8, 7 };
            Locked(beacon, () => beacon.Node.Router.TrySend(HubId, probe, 0, probe.Length, false, false, 0, out _));
            await Until(() => hub.Service.Counters[BleCounters.Unsealed] >= 1, "the beacon's unsealed probe was not refused");
            Assert.Empty(hub.Probes.Received);

            // Hub → beacon: a reliable probe is acknowledged by the beacon's router.
            hub.Probes.Outgoing.Enqueue((BeaconId, new byte[] { MeshPayloadKind.Probe, 1, 2 }));
            await Until(() => hub.Router.Snapshot.Confirmed >= 1, "the hub's probe was never acknowledged");

            Assert.True(hub.Links.Counters(MeshLinkKind.Ble).PacketsIn >= 1);
            Assert.True(hub.Service.Counters.ValuesSent > 0);
        }

        [Fact]
        public async Task Hub_DecodesTheBeaconsFuelGaugeReading_FromItsAdvertisement()
        {
            using var bus = new PrivateBus();
            var gauge = new SimulatedFuelGauge();
            gauge.SetCharge(25, rateLsb: -12); // discharging, under the 30 % beacon rule
            using var beacon = new SimulatedBeacon(BeaconId, gauge: gauge);
            (SimulatedBluez bluez, _) = await beacon.ServeAsync(bus.Address);
            using var bluezOwner = bluez;
            await using var hub = await HubNode.StartAsync(bus.Address);

            BleBeacon seen = await Until(() => hub.Service.Seen.FirstOrDefault(), "the beacon was never recognised");
            Assert.Equal((25, false, false, false), (seen.BatteryPercent, seen.PluggedIn, seen.AcceptsBulk, seen.NoBattery));
        }

        [Fact]
        public async Task NoBluetoothd_ServiceSaysSoAndKeepsRunning()
        {
            using var bus = new PrivateBus(); // nobody owns org.bluez on it
            await using var hub = await HubNode.StartAsync(bus.Address);
            string state = await Until(() => hub.Service.State.StartsWith("unavailable", StringComparison.Ordinal) ? hub.Service.State : null, "no unavailable state");
            Assert.Contains("bluetoothd is not running", state);
            Assert.False(hub.Service.ExecuteTask!.IsCompleted);
            Assert.Equal(0, hub.Links.Count);
        }

        [Fact]
        public async Task Off_ServiceDoesNotTouchDBus()
        {
            var links = new MeshLinks();
            var service = new BleMeshService(new BleOptions(null, "unix:path=/nonexistent", HubId, DeviceKind.Hub, 1 << 30, "hub"), links, TimeProvider.System, NullLogger<BleMeshService>.Instance);
            await service.StartAsync(CancellationToken.None);
            await service.ExecuteTask!;
            Assert.Equal("off", service.State);
            await service.StopAsync(CancellationToken.None);
        }

        [Theory]
        [InlineData("hci0", true, "hci0")]
        [InlineData("hci12", true, "hci12")]
        [InlineData("off", true, null)]
        [InlineData("OFF", true, null)]
        [InlineData("wlan0", false, null)]
        [InlineData("hci", false, null)]
        [InlineData("hci0x", false, null)]
        public void BluetoothSetting_AdapterOrOff(string text, bool ok, string? adapter)
        {
            Assert.Equal(ok, HubSettings.TryParseBluetooth(text, out string? parsed));
            Assert.Equal(adapter, parsed);
        }

        internal static async Task<T> Until<T>(Func<T?> probe, string what)
            where T : class
        {
            var deadline = DateTime.UtcNow + s_patience;
            while (true)
            {
                if (probe() is T value)
                {
                    return value;
                }

                Assert.True(DateTime.UtcNow < deadline, what);
                await Task.Delay(20);
            }
        }

        internal static async Task<T> UntilSome<T>(Func<T?> probe, string what)
            where T : struct
        {
            var deadline = DateTime.UtcNow + s_patience;
            while (true)
            {
                if (probe() is T value)
                {
                    return value;
                }

                Assert.True(DateTime.UtcNow < deadline, what);
                await Task.Delay(20);
            }
        }

        internal static Task Until(Func<bool> condition, string what) => UntilSome(() => condition() ? true : default(bool?), what);

        private static T Locked<T>(SimulatedBeacon beacon, Func<T> read)
        {
            lock (beacon.Gate)
            {
                return read();
            }
        }

        /// <summary>The hub's mesh parts as <c>aether hub</c> composes them, with a probe application.</summary>
        internal sealed class HubNode : IAsyncDisposable
        {
            private HubNode(MeshLinks links, BleMeshService service, MeshRouterService router, ProbeApp probes)
            {
                Links = links;
                Service = service;
                Router = router;
                Probes = probes;
            }

            public MeshLinks Links { get; }

            public BleMeshService Service { get; }

            public MeshRouterService Router { get; }

            public ProbeApp Probes { get; }

            public static async Task<HubNode> StartAsync(string busAddress, uint nodeId = HubId)
            {
                var links = new MeshLinks();
                var probes = new ProbeApp();
                var node = new MeshNode(new MeshNodeOptions(nodeId), CryptoRandom.Instance, new IMeshPayloadHandler[] { probes });
                var router = new MeshRouterService(node, links, TimeProvider.System, NullLogger<MeshRouterService>.Instance);
                var options = new BleOptions("hci0", busAddress, nodeId, DeviceKind.Hub, 1L << 30, "aether test") { RetryInterval = TimeSpan.FromSeconds(1) };
                var service = new BleMeshService(options, links, TimeProvider.System, NullLogger<BleMeshService>.Instance);
                await router.StartAsync(CancellationToken.None);
                await service.StartAsync(CancellationToken.None);
                return new HubNode(links, service, router, probes);
            }

            public async ValueTask DisposeAsync()
            {
                await Service.StopAsync(CancellationToken.None);
                await Router.StopAsync(CancellationToken.None);
                Service.Dispose();
                Router.Dispose();
            }
        }

        /// <summary>Probes received (any thread may read), and probes to send reliably on the router thread.</summary>
        internal sealed class ProbeApp : IMeshPayloadHandler
        {
            public BlockingCollection<(uint Source, byte[] Body)> Received { get; } = new();

            public ConcurrentQueue<(uint Destination, byte[] Body)> Outgoing { get; } = new();

            public byte Kind => MeshPayloadKind.Probe;

            public void OnDelivered(in MeshDelivery delivery, IMeshOutbox outbox) =>
                Received.Add((delivery.Source, delivery.Buffer.AsSpan(delivery.Offset, delivery.Length).ToArray()));

            public void OnNeighbourUp(uint neighbour, IMeshOutbox outbox)
            {
            }

            public void OnStep(IMeshOutbox outbox)
            {
                while (Outgoing.TryPeek(out var next) && outbox.Send(next.Destination, next.Body, 0, next.Body.Length, reliable: true))
                {
                    Outgoing.TryDequeue(out _);
                }
            }
        }
    }
}
