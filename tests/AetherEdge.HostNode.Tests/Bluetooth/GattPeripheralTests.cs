using AetherEdge.HostNode.Bluetooth;
using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    public class GattPeripheralTests : IClassFixture<BluezBus>
    {
        private static readonly byte[] s_metadata = { 0x01, 0x32, 0x64 };
        private readonly BluezBus _fixture;

        public GattPeripheralTests(BluezBus fixture)
        {
            _fixture = fixture;
        }

        private async Task<(BluezAdapter Adapter, GattPeripheral App, CollectingReceiver Receiver)> RegisterAsync()
        {
            BluezAdapter adapter = await _fixture.OpenAdapterAsync();
            var receiver = new CollectingReceiver();
            var app = new GattPeripheral(adapter, receiver, 0xFFFF, s_metadata, "aether-hub");
            await app.RegisterAsync();
            return (adapter, app, receiver);
        }

        [Fact]
        public async Task Register_WithSimulatedBluez_ExposesServiceCharacteristicAndAdvertisement()
        {
            (BluezAdapter adapter, GattPeripheral app, _) = await RegisterAsync();
            await using (adapter)
            await using (app)
            {
                SimulatedBluez bluez = _fixture.Bluez;
                Assert.Equal(adapter.UniqueName, bluez.AppOwner);
                Assert.Equal(GattPeripheral.AppPath, bluez.AppPath);
                var objects = bluez.AppObjects!;
                Assert.Equal(new[] { GattPeripheral.ServicePath, GattPeripheral.CharacteristicPath }, objects.Keys.Order());
                var service = objects[GattPeripheral.ServicePath][BluezNames.GattService];
                Assert.Equal(BluezNames.ShardServiceUuid, service["UUID"].GetString());
                Assert.True(service["Primary"].GetBool());
                var characteristic = objects[GattPeripheral.CharacteristicPath][BluezNames.GattCharacteristic];
                Assert.Equal(BluezNames.ShardCharacteristicUuid, characteristic["UUID"].GetString());
                Assert.Equal(GattPeripheral.ServicePath, characteristic["Service"].GetObjectPathAsString());
                Assert.Equal(new[] { "write", "write-without-response", "notify" }, characteristic["Flags"].GetArray<string>());

                var adv = bluez.AdvertisementProperties!;
                Assert.Equal("peripheral", adv["Type"].GetString());
                Assert.Equal("aether-hub", adv["LocalName"].GetString());
                Assert.Equal(new[] { BluezNames.ShardServiceUuid }, adv["ServiceUUIDs"].GetArray<string>());
                VariantValue manufacturer = adv["ManufacturerData"];
                // a{qv}: company id → variant holding ay
                Assert.Equal((VariantValueType.Dictionary, VariantValueType.UInt16, VariantValueType.Variant), (manufacturer.Type, manufacturer.KeyType, manufacturer.ValueType));
                Assert.Equal(s_metadata, manufacturer.GetDictionary<ushort, VariantValue>()[0xFFFF].GetArray<byte>());
            }
        }

        [Fact]
        public async Task WriteValue_FromBluez_DeliversBytesPeerAndMtu()
        {
            (BluezAdapter adapter, GattPeripheral app, CollectingReceiver receiver) = await RegisterAsync();
            await using (adapter)
            await using (app)
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
            (BluezAdapter adapter, GattPeripheral app, CollectingReceiver receiver) = await RegisterAsync();
            await using (adapter)
            await using (app)
            {
                var ex = await Assert.ThrowsAsync<DBusErrorReplyException>(() => _fixture.Bluez.WriteToAppAsync(GattPeripheral.CharacteristicPath, new byte[] { 9 }, 185, "request", offset: 4));
                Assert.Equal("org.bluez.Error.InvalidOffset", ex.ErrorName);
                Assert.Empty(receiver.Received);
            }
        }

        [Fact]
        public async Task WriteValue_FromAnyoneButBluetoothd_IsRefusedAndDeliversNothing()
        {
            (BluezAdapter adapter, GattPeripheral app, CollectingReceiver receiver) = await RegisterAsync();
            await using (adapter)
            await using (app)
            using (DBusConnection stranger = await _fixture.Bus.ConnectAsync())
            {
                var ex = await Assert.ThrowsAsync<DBusErrorReplyException>(() => BusMessages.CallAsync(stranger, adapter.UniqueName, GattPeripheral.CharacteristicPath,
                    BluezNames.GattCharacteristic, "WriteValue", TimeSpan.FromSeconds(5), "aya{sv}", (ref MessageWriter w) =>
                    {
                        w.WriteArray(new byte[] { 6, 6, 6 });
                        w.WriteDictionary(new Dictionary<string, VariantValue>());
                    }));
                Assert.Equal(BusMessages.AccessDenied, ex.ErrorName);
                var acquire = await Assert.ThrowsAsync<DBusErrorReplyException>(() => BusMessages.CallAsync(stranger, adapter.UniqueName, GattPeripheral.CharacteristicPath,
                    BluezNames.GattCharacteristic, "AcquireWrite", TimeSpan.FromSeconds(5), "a{sv}", (ref MessageWriter w) => w.WriteDictionary(new Dictionary<string, VariantValue>())));
                Assert.Equal(BusMessages.AccessDenied, acquire.ErrorName);

                // reading the (public) properties stays open, e.g. for busctl
                VariantValue uuid = await BusMessages.GetPropertyAsync(stranger, adapter.UniqueName, GattPeripheral.CharacteristicPath, BluezNames.GattCharacteristic, "UUID", TimeSpan.FromSeconds(5));
                Assert.Equal(BluezNames.ShardCharacteristicUuid, uuid.GetString());
                Assert.Empty(receiver.Received);
            }
        }

        [Fact]
        public async Task AcquireWrite_PacketsThroughFd_ArriveOnePerValue()
        {
            (BluezAdapter adapter, GattPeripheral app, CollectingReceiver receiver) = await RegisterAsync();
            await using (adapter)
            await using (app)
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
            (BluezAdapter adapter, GattPeripheral app, _) = await RegisterAsync();
            await using (adapter)
            await using (app)
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
