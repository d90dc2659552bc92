using System.Collections.Concurrent;
using AetherEdge.HostNode.Bluetooth;
using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    public class BleCentralTests : IClassFixture<BluezBus>
    {
        private readonly BluezBus _fixture;

        public BleCentralTests(BluezBus fixture)
        {
            _fixture = fixture;
        }

        [Fact]
        public async Task Scan_ThenConnect_FindsOurPeerAndCarriesBytesBothWays()
        {
            await using BluezAdapter adapter = await _fixture.OpenAdapterAsync();
            await using var central = new BleCentral(adapter);
            var updates = new BlockingCollection<BleDevice>();
            central.DeviceUpdated += d => updates.Add(d);
            await central.StartScanAsync();

            var filter = _fixture.Bluez.DiscoveryFilter!;
            Assert.Equal("le", filter["Transport"].GetString());
            Assert.Equal(new[] { BluezNames.ShardServiceUuid }, filter["UUIDs"].GetArray<string>());
            Assert.True(_fixture.Bluez.Discovering);

            BleDevice? device = null;
            while (device?.Rssi != -55)
            {
                Assert.True(updates.TryTake(out device, TimeSpan.FromSeconds(5)), "no device update with the new RSSI");
            }

            Assert.Equal(SimulatedBluez.PeerPath, device.Path);
            Assert.Equal("AA:BB:CC:DD:EE:01", device.Address);
            Assert.Equal("aether-beacon", device.Name);
            Assert.Equal(SimulatedBluez.PeerManufacturerData, device.ManufacturerData[0xFFFF]);
            Assert.DoesNotContain(central.Devices, d => d.Path == SimulatedBluez.OtherPath);
            await central.StopScanAsync();
            Assert.False(_fixture.Bluez.Discovering);

            var receiver = new CollectingReceiver();
            await using IBleLink link = await central.ConnectAsync(device.Path, receiver, TimeSpan.FromSeconds(5));
            Assert.Equal(SimulatedBluez.PeerMtu, link.Mtu);

            await link.WriteAsync(new byte[] { 0xA1, 0xA2 });
            await link.WriteAsync(new byte[] { 0xB1 }, withResponse: true);
            Assert.True(_fixture.Bluez.PeerWrites.TryTake(out var first, TimeSpan.FromSeconds(5)));
            Assert.Equal(new byte[] { 0xA1, 0xA2 }, first.Value);
            Assert.Equal("command", first.Options["type"].GetString());
            Assert.True(_fixture.Bluez.PeerWrites.TryTake(out var second, TimeSpan.FromSeconds(5)));
            Assert.Equal(new byte[] { 0xB1 }, second.Value);
            Assert.Equal("request", second.Options["type"].GetString());

            await Assert.ThrowsAsync<ArgumentException>(() => link.WriteAsync(new byte[SimulatedBluez.PeerMtu - 2]));

            _fixture.Bluez.NotifyFromPeer(new byte[] { 5, 6 });
            (string peer, byte[] value, int mtu) = receiver.Next();
            Assert.Equal(SimulatedBluez.PeerPath, peer);
            Assert.Equal(new byte[] { 5, 6 }, value);
            Assert.Equal(SimulatedBluez.PeerMtu, mtu);
        }

        [Fact]
        public async Task Connect_DeviceWithoutOurCharacteristic_FailsWithDoesNotExist()
        {
            await using BluezAdapter adapter = await _fixture.OpenAdapterAsync();
            await using var central = new BleCentral(adapter);
            await central.StartScanAsync();
            // The unrelated device answers no Connect: the call fails with a D-Bus error, not a hang.
            var ex = await Assert.ThrowsAsync<DBusErrorReplyException>(() => central.ConnectAsync(SimulatedBluez.OtherPath, new CollectingReceiver(), TimeSpan.FromSeconds(2)));
            Assert.Equal("org.freedesktop.DBus.Error.UnknownMethod", ex.ErrorName);
        }

        [Fact]
        public async Task Scan_DevicesFloodingOrForgotten_StayBoundedAndAreDropped()
        {
            using var bus = new PrivateBus();
            using SimulatedBluez bluez = await SimulatedBluez.StartAsync(bus.Address);
            await using BluezAdapter adapter = await BluezAdapter.OpenAsync(bus.Address, callTimeout: TimeSpan.FromSeconds(5));
            await using var central = new BleCentral(adapter);
            await central.StartScanAsync();
            await Until(() => central.Devices.Any(d => d.Path == SimulatedBluez.PeerPath)); // discovery's own announcements are in

            for (int i = 0; i < BleCentral.MaxTrackedDevices + 50; i++)
            {
                bluez.AnnounceDevice(BluezNames.DefaultAdapterPath + "/dev_stranger_" + i, "10:00:00:00:" + (i / 256).ToString("X2") + ":" + (i % 256).ToString("X2"), "0000180f-0000-1000-8000-00805f9b34fb");
            }

            // past the bound, a device showing our service is still taken (signals from one sender arrive in order)
            const string late = BluezNames.DefaultAdapterPath + "/dev_AA_BB_CC_DD_EE_09";
            bluez.AnnounceDevice(late, "AA:BB:CC:DD:EE:09", BluezNames.ShardServiceUuid);
            await Until(() => central.Devices.Any(d => d.Path == late));
            Assert.Equal(BleCentral.MaxTrackedDevices + 1, central.TrackedDevices);

            bluez.RemoveDevice(late);
            await Until(() => central.Devices.All(d => d.Path != late));
            Assert.Equal(BleCentral.MaxTrackedDevices, central.TrackedDevices);
        }

        private static async Task Until(Func<bool> condition)
        {
            for (int i = 0; i < 100 && !condition(); i++)
            {
                await Task.Delay(50);
            }

            Assert.True(condition(), "condition not reached within 5 s");
        }
    }
}
