using AetherEdge.HostNode.Bluetooth;
using AetherEdge.HostNode.DBus;
using Xunit;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    public class GattPeripheralTests : IClassFixture<BluezBus>
    {
        private static readonly byte[] Metadata = { 0x01, 0x32, 0x64 };
        private readonly BluezBus _fixture;

        public GattPeripheralTests(BluezBus fixture)
        {
            _fixture = fixture;
        }

        private async Task<(DBusConnection Bus, GattPeripheral App, CollectingReceiver Receiver)> RegisterAsync()
        {
            DBusConnection bus = await _fixture.Bus.ConnectAsync();
            var receiver = new CollectingReceiver();
            var app = new GattPeripheral(bus, receiver, 0xFFFF, Metadata, "aether-hub");
            await app.RegisterAsync();
            return (bus, app, receiver);
        }

        [Fact]
        public async Task Register_WithSimulatedBluez_ExposesServiceCharacteristicAndAdvertisement()
        {
            (DBusConnection bus, GattPeripheral app, _) = await RegisterAsync();
            await using (app)
            using (bus)
            {
                SimulatedBluez bluez = _fixture.Bluez;
                Assert.Equal(bus.UniqueName, bluez.AppOwner);
                Assert.Equal(GattPeripheral.AppPath, bluez.AppPath);
                var objects = bluez.AppObjects!;
                var service = (Dictionary<object, object>)((Dictionary<object, object>)objects[new DBusObjectPath(GattPeripheral.ServicePath)])[BluezNames.GattService];
                Assert.Equal(DBusVariant.Of(BluezNames.ShardServiceUuid), service["UUID"]);
                Assert.Equal(DBusVariant.Of(true), service["Primary"]);
                var characteristic = (Dictionary<object, object>)((Dictionary<object, object>)objects[new DBusObjectPath(GattPeripheral.CharacteristicPath)])[BluezNames.GattCharacteristic];
                Assert.Equal(BluezNames.ShardCharacteristicUuid, ((DBusVariant)characteristic["UUID"]).Value);
                Assert.Equal(new DBusObjectPath(GattPeripheral.ServicePath), ((DBusVariant)characteristic["Service"]).Value);
                Assert.Equal(new object[] { "write", "write-without-response", "notify" }, (List<object>)((DBusVariant)characteristic["Flags"]).Value);

                var adv = bluez.AdvertisementProperties!;
                Assert.Equal(DBusVariant.Of("peripheral"), adv["Type"]);
                Assert.Equal(DBusVariant.Of("aether-hub"), adv["LocalName"]);
                Assert.Equal(new object[] { BluezNames.ShardServiceUuid }, (List<object>)((DBusVariant)adv["ServiceUUIDs"]).Value);
                var manufacturer = (DBusVariant)adv["ManufacturerData"];
                Assert.Equal("a{qv}", manufacturer.Signature);
                Assert.Equal(Metadata, (byte[])((DBusVariant)((Dictionary<object, object>)manufacturer.Value)[(ushort)0xFFFF]).Value);
            }
        }

        [Fact]
        public async Task WriteValue_FromBluez_DeliversBytesPeerAndMtu()
        {
            (DBusConnection bus, GattPeripheral app, CollectingReceiver receiver) = await RegisterAsync();
            await using (app)
            using (bus)
            {
                await _fixture.Bluez.WriteToAppAsync(GattPeripheral.CharacteristicPath, new byte[] { 1, 2, 3 }, 185, "command");
                (string peer, byte[] value, int mtu) = receiver.Next();
                Assert.Equal(SimulatedBluez.PeerPath, peer);
                Assert.Equal(new byte[] { 1, 2, 3 }, value);
                Assert.Equal(185, mtu);
                Assert.Equal(185, app.Mtu);
            }
        }

        [Fact]
        public async Task WriteValue_WithNonZeroOffset_RepliesInvalidOffset()
        {
            (DBusConnection bus, GattPeripheral app, CollectingReceiver receiver) = await RegisterAsync();
            await using (app)
            using (bus)
            {
                using DBusConnection bluetoothd = await _fixture.Bus.ConnectAsync();
                var ex = await Assert.ThrowsAsync<DBusErrorException>(() => bluetoothd.CallAsync(bus.UniqueName, GattPeripheral.CharacteristicPath, BluezNames.GattCharacteristic, "WriteValue", "aya{sv}",
                    new object[] { new byte[] { 9 }, new Dictionary<object, object> { ["offset"] = DBusVariant.Of((ushort)4) } }));
                Assert.Equal("org.bluez.Error.InvalidOffset", ex.ErrorName);
                Assert.Empty(receiver.Received);
            }
        }

        [Fact]
        public async Task AcquireWrite_PacketsThroughFd_ArriveOnePerValue()
        {
            (DBusConnection bus, GattPeripheral app, CollectingReceiver receiver) = await RegisterAsync();
            await using (app)
            using (bus)
            {
                (System.Net.Sockets.Socket socket, ushort mtu) = await _fixture.Bluez.AcquireWriteAsync(GattPeripheral.CharacteristicPath, 247);
                using (socket)
                {
                    Assert.Equal(247, mtu);
                    byte[] big = Enumerable.Range(0, 244).Select(i => (byte)i).ToArray();
                    socket.Send(big);
                    socket.Send(new byte[] { 0xEE });
                    (string peer, byte[] first, int firstMtu) = receiver.Next();
                    Assert.Equal(big, first);
                    Assert.Equal(247, firstMtu);
                    Assert.Equal(SimulatedBluez.PeerPath, peer);
                    Assert.Equal(new byte[] { 0xEE }, receiver.Next().Value);
                }
            }
        }

        [Fact]
        public async Task Notify_AfterStartNotify_ArrivesAsPropertiesChangedValue()
        {
            (DBusConnection bus, GattPeripheral app, _) = await RegisterAsync();
            await using (app)
            using (bus)
            {
                Assert.False(app.Notify(new byte[] { 1 }));
                var values = await _fixture.Bluez.StartNotifyAsync(GattPeripheral.CharacteristicPath);
                Assert.True(app.Notifying);
                Assert.True(app.Notify(new byte[] { 7, 8, 9 }));
                Assert.True(values.TryTake(out byte[]? got, TimeSpan.FromSeconds(5)));
                Assert.Equal(new byte[] { 7, 8, 9 }, got);
            }
        }
    }
}
