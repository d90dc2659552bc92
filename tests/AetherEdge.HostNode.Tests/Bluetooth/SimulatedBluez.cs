using System.Collections.Concurrent;
using System.Net.Sockets;
using AetherEdge.HostNode.Bluetooth;
using AetherEdge.HostNode.DBus;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// A simulation of bluetoothd on a real private bus (the build machine has no Bluetooth): owns
    /// "org.bluez", exports hci0 with GattManager1/LEAdvertisingManager1/Adapter1 and, once discovery
    /// starts, a fake peer device with our shard service. It drives registered apps the way bluetoothd does.
    /// </summary>
    public sealed class SimulatedBluez : IDisposable
    {
        public const string PeerPath = BluezNames.DefaultAdapterPath + "/dev_AA_BB_CC_DD_EE_01";
        public const string OtherPath = BluezNames.DefaultAdapterPath + "/dev_AA_BB_CC_DD_EE_02";
        public const string PeerCharacteristicPath = PeerPath + "/service0010/char0011";
        public const ushort PeerMtu = 185;
        public static readonly byte[] PeerManufacturerData = { 0x02, 0x40, 0x5A };

        private readonly DBusConnection _bus;
        private readonly List<DBusExportedObject> _devices = new();
        private bool _servicesResolved;
        private bool _connected;

        private SimulatedBluez(DBusConnection bus)
        {
            _bus = bus;
        }

        public string? AppOwner { get; private set; }

        public string? AppPath { get; private set; }

        /// <summary>The app's object tree as GetManagedObjects returned it during RegisterApplication.</summary>
        public Dictionary<object, object>? AppObjects { get; private set; }

        /// <summary>The advertisement's properties as read during RegisterAdvertisement.</summary>
        public Dictionary<object, object>? AdvertisementProperties { get; private set; }

        public Dictionary<object, object>? DiscoveryFilter { get; private set; }

        public bool Discovering { get; private set; }

        /// <summary>Values centrals wrote to the simulated peer's characteristic, with their options.</summary>
        public BlockingCollection<(byte[] Value, Dictionary<object, object> Options)> PeerWrites { get; } = new();

        public static async Task<SimulatedBluez> StartAsync(string address)
        {
            DBusConnection bus = await DBusConnection.ConnectAsync(address, TimeSpan.FromSeconds(5));
            var sim = new SimulatedBluez(bus);
            uint result = (uint)(await bus.CallAsync(DBusConnection.BusName, DBusConnection.BusPath, DBusConnection.BusInterface, "RequestName", "su", new object[] { BluezNames.Service, 4u })).Body[0];
            if (result != 1)
            {
                bus.Dispose();
                throw new InvalidOperationException("could not own org.bluez on the private bus (RequestName said " + result + ")");
            }

            sim.ExportAdapter();
            return sim;
        }

        private void ExportAdapter()
        {
            _bus.Export(new DBusExportedObject("/", isObjectManager: true));
            var hci0 = new DBusExportedObject(BluezNames.DefaultAdapterPath);
            hci0.AddInterface(BluezNames.GattManager)
                .Method("RegisterApplication", "oa{sv}", async call =>
                {
                    AppOwner = call.Sender;
                    AppPath = ((DBusObjectPath)call.Args[0]).Value;
                    DBusMessage objects = await _bus.CallAsync(AppOwner, AppPath, DBusConnection.ObjectManagerInterface, "GetManagedObjects", timeout: TimeSpan.FromSeconds(5));
                    AppObjects = (Dictionary<object, object>)objects.Body[0];
                    return DBusReply.Empty;
                })
                .Method("UnregisterApplication", "o", _ => Task.FromResult(DBusReply.Empty));
            hci0.AddInterface(BluezNames.AdvertisingManager)
                .Method("RegisterAdvertisement", "oa{sv}", async call =>
                {
                    DBusMessage props = await _bus.CallAsync(call.Sender, ((DBusObjectPath)call.Args[0]).Value, DBusConnection.PropertiesInterface, "GetAll", "s",
                        new object[] { BluezNames.Advertisement }, TimeSpan.FromSeconds(5));
                    AdvertisementProperties = (Dictionary<object, object>)props.Body[0];
                    return DBusReply.Empty;
                })
                .Method("UnregisterAdvertisement", "o", _ => Task.FromResult(DBusReply.Empty));
            hci0.AddInterface(BluezNames.Adapter)
                .Property("Address", () => DBusVariant.Of("00:11:22:33:44:55"))
                .Property("Discovering", () => DBusVariant.Of(Discovering))
                .Method("SetDiscoveryFilter", "a{sv}", call =>
                {
                    DiscoveryFilter = (Dictionary<object, object>)call.Args[0];
                    return Task.FromResult(DBusReply.Empty);
                })
                .Method("StartDiscovery", "", call =>
                {
                    Discovering = true;
                    _ = Task.Run(AnnounceDevices);
                    return Task.FromResult(DBusReply.Empty);
                })
                .Method("StopDiscovery", "", _ =>
                {
                    Discovering = false;
                    return Task.FromResult(DBusReply.Empty);
                });
            _bus.Export(hci0);
        }

        private void AnnounceDevices()
        {
            lock (_devices)
            {
                if (_devices.Count == 0)
                {
                    CreateDevices();
                }

                foreach (DBusExportedObject device in _devices)
                {
                    // bluetoothd re-announces cached devices when a new discovery session sees them again
                    _bus.EmitSignal("/", DBusConnection.ObjectManagerInterface, "InterfacesAdded", "oa{sa{sv}}",
                        new object[] { new DBusObjectPath(device.Path), device.InterfacesAndProperties() });
                }
            }

            _bus.EmitPropertiesChanged(PeerPath, BluezNames.Device, new Dictionary<object, object> { ["RSSI"] = DBusVariant.Of((short)-55) });
        }

        private void CreateDevices()
        {
            var other = new DBusExportedObject(OtherPath);
            other.AddInterface(BluezNames.Device)
                .Property("Address", () => DBusVariant.Of("AA:BB:CC:DD:EE:02"))
                .Property("UUIDs", () => DBusVariant.Of(new[] { "0000180f-0000-1000-8000-00805f9b34fb" }))
                .Property("RSSI", () => DBusVariant.Of((short)-40));
            Announce(other);

            var peer = new DBusExportedObject(PeerPath);
            peer.AddInterface(BluezNames.Device)
                .Property("Address", () => DBusVariant.Of("AA:BB:CC:DD:EE:01"))
                .Property("Name", () => DBusVariant.Of("aether-beacon"))
                .Property("UUIDs", () => DBusVariant.Of(new[] { BluezNames.ShardServiceUuid.ToUpperInvariant() }))
                .Property("RSSI", () => DBusVariant.Of((short)-61))
                .Property("ManufacturerData", () => new DBusVariant("a{qv}", new Dictionary<object, object> { [(ushort)0xFFFF] = DBusVariant.Of(PeerManufacturerData) }))
                .Property("Connected", () => DBusVariant.Of(_connected))
                .Property("ServicesResolved", () => DBusVariant.Of(_servicesResolved))
                .Method("Connect", "", call =>
                {
                    _connected = true;
                    // bluetoothd answers Connect, then resolves services a moment later.
                    _ = Task.Run(async () =>
                    {
                        await Task.Delay(50);
                        if (!_servicesResolved)
                        {
                            ExportPeerGatt();
                        }

                        _servicesResolved = true;
                        _bus.EmitPropertiesChanged(PeerPath, BluezNames.Device, new Dictionary<object, object> { ["ServicesResolved"] = DBusVariant.Of(true) });
                    });
                    return Task.FromResult(DBusReply.Empty);
                })
                .Method("Disconnect", "", _ =>
                {
                    _connected = false;
                    return Task.FromResult(DBusReply.Empty);
                });
            Announce(peer);
        }

        private void Announce(DBusExportedObject device)
        {
            _bus.Export(device);
            _devices.Add(device);
        }

        private void ExportPeerGatt()
        {
            var service = new DBusExportedObject(PeerPath + "/service0010");
            service.AddInterface(BluezNames.GattService)
                .Property("UUID", () => DBusVariant.Of(BluezNames.ShardServiceUuid))
                .Property("Device", () => DBusVariant.Of(new DBusObjectPath(PeerPath)))
                .Property("Primary", () => DBusVariant.Of(true));
            _bus.Export(service);
            var characteristic = new DBusExportedObject(PeerCharacteristicPath);
            characteristic.AddInterface(BluezNames.GattCharacteristic)
                .Property("UUID", () => DBusVariant.Of(BluezNames.ShardCharacteristicUuid))
                .Property("Service", () => DBusVariant.Of(new DBusObjectPath(service.Path)))
                .Property("Flags", () => DBusVariant.Of(new[] { "write", "write-without-response", "notify" }))
                .Property("MTU", () => DBusVariant.Of(PeerMtu))
                .Method("WriteValue", "aya{sv}", call =>
                {
                    PeerWrites.Add(((byte[])call.Args[0], (Dictionary<object, object>)call.Args[1]));
                    return Task.FromResult(DBusReply.Empty);
                })
                .Method("StartNotify", "", _ => Task.FromResult(DBusReply.Empty))
                .Method("StopNotify", "", _ => Task.FromResult(DBusReply.Empty));
            _bus.Export(characteristic);
        }

        /// <summary>Emits a notification from the simulated peer, as bluetoothd does for a remote characteristic.</summary>
        public void NotifyFromPeer(byte[] value) =>
            _bus.EmitPropertiesChanged(PeerCharacteristicPath, BluezNames.GattCharacteristic, new Dictionary<object, object> { ["Value"] = DBusVariant.Of(value) });

        /// <summary>What bluetoothd does when a remote central writes to the app's characteristic.</summary>
        public Task WriteToAppAsync(string characteristicPath, byte[] value, ushort mtu, string type) =>
            _bus.CallAsync(AppOwner, characteristicPath, BluezNames.GattCharacteristic, "WriteValue", "aya{sv}", new object[]
            {
                value,
                new Dictionary<object, object>
                {
                    ["mtu"] = DBusVariant.Of(mtu),
                    ["type"] = DBusVariant.Of(type),
                    ["device"] = DBusVariant.Of(new DBusObjectPath(PeerPath)),
                },
            }, TimeSpan.FromSeconds(5));

        /// <summary>AcquireWrite on the app's characteristic: returns the SEQPACKET socket and the MTU.</summary>
        public async Task<(Socket Socket, ushort Mtu)> AcquireWriteAsync(string characteristicPath, ushort mtu)
        {
            DBusMessage reply = await _bus.CallAsync(AppOwner, characteristicPath, BluezNames.GattCharacteristic, "AcquireWrite", "a{sv}", new object[]
            {
                new Dictionary<object, object> { ["mtu"] = DBusVariant.Of(mtu), ["device"] = DBusVariant.Of(new DBusObjectPath(PeerPath)) },
            }, TimeSpan.FromSeconds(5));
            return (new Socket(new SafeSocketHandle(((DBusUnixFd)reply.Body[0]).Fd, true)), (ushort)reply.Body[1]);
        }

        /// <summary>StartNotify on the app's characteristic; values notified afterwards land in the returned queue.</summary>
        public async Task<BlockingCollection<byte[]>> StartNotifyAsync(string characteristicPath)
        {
            var values = new BlockingCollection<byte[]>();
            await _bus.SubscribeAsync(new DBusMatchRule(Sender: AppOwner, Path: characteristicPath, Interface: DBusConnection.PropertiesInterface, Member: "PropertiesChanged"), m =>
            {
                if (((Dictionary<object, object>)m.Body[1]).TryGetValue("Value", out object? v))
                {
                    values.Add((byte[])((DBusVariant)v).Value);
                }
            });
            await _bus.CallAsync(AppOwner, characteristicPath, BluezNames.GattCharacteristic, "StartNotify", timeout: TimeSpan.FromSeconds(5));
            return values;
        }

        public void Dispose() => _bus.Dispose();
    }
}
