using System.Collections.Concurrent;
using System.Net.Sockets;
using AetherEdge.HostNode.Bluetooth;
using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// A simulation of bluetoothd on a real private bus (the build machine has no Bluetooth), on Tmds.DBus.Protocol
    /// like the layer it drives: owns "org.bluez", exports hci0 with GattManager1/LEAdvertisingManager1/Adapter1
    /// and, once discovery starts, a fake peer device with our shard service. It drives registered apps the way
    /// bluetoothd does.
    /// </summary>
    public sealed class SimulatedBluez : IDisposable
    {
        public const string PeerPath = BluezNames.DefaultAdapterPath + "/dev_AA_BB_CC_DD_EE_01";
        public const string OtherPath = BluezNames.DefaultAdapterPath + "/dev_AA_BB_CC_DD_EE_02";
        public const string PeerCharacteristicPath = PeerPath + "/service0010/char0011";
        public const string AdapterAddress = "00:11:22:33:44:55";
        public const ushort PeerMtu = 185;
        public static readonly byte[] PeerManufacturerData = { 0x02, 0x40, 0x5A };
        private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

        private readonly DBusConnection _bus;
        private readonly ObjectTree _tree;
        private readonly byte[] _peerManufacturerData;
        private readonly Action<byte[]>? _onPeerWrite;
        private volatile bool _servicesResolved;
        private volatile bool _connected;

        private SimulatedBluez(DBusConnection bus, byte[] peerManufacturerData, Action<byte[]>? onPeerWrite)
        {
            _bus = bus;
            _peerManufacturerData = peerManufacturerData;
            _onPeerWrite = onPeerWrite;
            _tree = new ObjectTree("/", new[] { "/" }, _ => true, OnCallAsync);
            _tree.Add(new ExportedObject(BluezNames.DefaultAdapterPath, new()
            {
                [BluezNames.GattManager] = () => new(),
                [BluezNames.AdvertisingManager] = () => new(),
                [BluezNames.Adapter] = () => new()
                {
                    ["Address"] = VariantValue.String(AdapterAddress),
                    ["Discovering"] = VariantValue.Bool(Discovering),
                },
            }));
        }

        public string? AppOwner { get; private set; }

        public string? AppPath { get; private set; }

        /// <summary>The app's object tree as GetManagedObjects returned it during RegisterApplication.</summary>
        public Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>>? AppObjects { get; private set; }

        /// <summary>The advertisement's properties as read during RegisterAdvertisement.</summary>
        public Dictionary<string, VariantValue>? AdvertisementProperties { get; private set; }

        public Dictionary<string, VariantValue>? DiscoveryFilter { get; private set; }

        public bool Discovering { get; private set; }

        /// <summary>Values centrals wrote to the simulated peer's characteristic, with their options.</summary>
        public BlockingCollection<(byte[] Value, Dictionary<string, VariantValue> Options)> PeerWrites { get; } = new();

        public string UniqueName => _bus.UniqueName ?? "";

        /// <param name="peerManufacturerData">what the simulated peer advertises under company 0xFFFF (default <see cref="PeerManufacturerData"/>).</param>
        /// <param name="onPeerWrite">where values written to the peer's characteristic go (default <see cref="PeerWrites"/>): the simulated radio.</param>
        public static async Task<SimulatedBluez> StartAsync(string address, byte[]? peerManufacturerData = null, Action<byte[]>? onPeerWrite = null)
        {
            var bus = new DBusConnection(address);
            try
            {
                await bus.ConnectAsync().AsTask().WaitAsync(s_timeout);
                var sim = new SimulatedBluez(bus, peerManufacturerData ?? PeerManufacturerData, onPeerWrite);
                bus.AddMethodHandler(sim._tree);
                await bus.RequestNameAsync(BluezNames.Service, RequestNameOptions.None);
                return sim;
            }
            catch
            {
                bus.Dispose();
                throw;
            }
        }

        private ValueTask OnCallAsync(MethodContext context, ExportedObject target)
        {
            string member = context.Request.MemberAsString ?? "";
            string sender = context.Request.SenderAsString ?? "";
            switch (target.Path, context.Request.InterfaceAsString, member)
            {
                case (BluezNames.DefaultAdapterPath, BluezNames.GattManager, "RegisterApplication"):
                    string app = ObjectTree.Arguments(context, "oa{sv}").ReadObjectPathAsString();
                    ReplyLater(context, async () =>
                    {
                        AppOwner = sender;
                        AppPath = app;
                        AppObjects = await BusMessages.GetManagedObjectsAsync(_bus, sender, app, s_timeout);
                    });
                    break;
                case (BluezNames.DefaultAdapterPath, BluezNames.AdvertisingManager, "RegisterAdvertisement"):
                    string advertisement = ObjectTree.Arguments(context, "oa{sv}").ReadObjectPathAsString();
                    ReplyLater(context, async () => AdvertisementProperties = await BusMessages.CallAsync(_bus, sender, advertisement, BusMessages.PropertiesInterface, "GetAll", s_timeout,
                        static (m, _) => m.GetBodyReader().ReadDictionaryOfStringToVariantValue(), "s", (ref MessageWriter w) => w.WriteString(BluezNames.Advertisement)));
                    break;
                case (BluezNames.DefaultAdapterPath, BluezNames.GattManager, "UnregisterApplication"):
                case (BluezNames.DefaultAdapterPath, BluezNames.AdvertisingManager, "UnregisterAdvertisement"):
                    ObjectTree.ReplyEmpty(context);
                    break;
                case (BluezNames.DefaultAdapterPath, BluezNames.Adapter, "SetDiscoveryFilter"):
                    DiscoveryFilter = ObjectTree.Arguments(context, "a{sv}").ReadDictionaryOfStringToVariantValue();
                    ObjectTree.ReplyEmpty(context);
                    break;
                case (BluezNames.DefaultAdapterPath, BluezNames.Adapter, "StartDiscovery"):
                    Discovering = true;
                    _ = Task.Run(AnnounceDevices);
                    ObjectTree.ReplyEmpty(context);
                    break;
                case (BluezNames.DefaultAdapterPath, BluezNames.Adapter, "StopDiscovery"):
                    Discovering = false;
                    ObjectTree.ReplyEmpty(context);
                    break;
                case (PeerPath, BluezNames.Device, "Connect"):
                    _connected = true;
                    // bluetoothd answers Connect, then resolves services a moment later.
                    _ = Task.Run(async () =>
                    {
                        await Task.Delay(50);
                        ExportPeerGatt();
                        _servicesResolved = true;
                        BusMessages.EmitPropertiesChanged(_bus, PeerPath, BluezNames.Device, "ServicesResolved", VariantValue.Bool(true));
                    });
                    ObjectTree.ReplyEmpty(context);
                    break;
                case (PeerPath, BluezNames.Device, "Disconnect"):
                    _connected = false;
                    ObjectTree.ReplyEmpty(context);
                    break;
                case (PeerCharacteristicPath, BluezNames.GattCharacteristic, "WriteValue"):
                    Reader args = ObjectTree.Arguments(context, "aya{sv}");
                    byte[] written = args.ReadArrayOfByte();
                    if (_onPeerWrite != null)
                    {
                        _onPeerWrite(written);
                    }
                    else
                    {
                        PeerWrites.Add((written, args.ReadDictionaryOfStringToVariantValue()));
                    }

                    ObjectTree.ReplyEmpty(context);
                    break;
                case (PeerCharacteristicPath, BluezNames.GattCharacteristic, "StartNotify"):
                case (PeerCharacteristicPath, BluezNames.GattCharacteristic, "StopNotify"):
                    ObjectTree.ReplyEmpty(context);
                    break;
            }

            // Anything else (e.g. Connect on the unrelated device) stays unanswered: the library replies UnknownMethod.
            return ValueTask.CompletedTask;
        }

        /// <summary>Replies once <paramref name="work"/> (which calls back over this same connection) is done.</summary>
        private static void ReplyLater(MethodContext context, Func<Task> work)
        {
            context.DisposesAsynchronously = true;
            _ = Task.Run(async () =>
            {
                try
                {
                    await work();
                    ObjectTree.ReplyEmpty(context);
                }
                catch (DBusErrorReplyException e)
                {
                    context.ReplyError(e.ErrorName, e.ErrorMessage);
                }
                finally
                {
                    context.Dispose();
                }
            });
        }

        private void AnnounceDevices()
        {
            lock (_tree)
            {
                if (_tree.Find(PeerPath) == null)
                {
                    CreateDevices();
                }

                foreach (string path in new[] { OtherPath, PeerPath })
                {
                    // bluetoothd re-announces cached devices when a new discovery session sees them again
                    ExportedObject device = _tree.Find(path)!;
                    BusMessages.EmitSignal(_bus, "/", BusMessages.ObjectManagerInterface, "InterfacesAdded", "oa{sa{sv}}", (ref MessageWriter w) =>
                    {
                        w.WriteObjectPath(device.Path);
                        BusMessages.WriteInterfaces(ref w, device.Snapshot());
                    });
                }
            }

            BusMessages.EmitPropertiesChanged(_bus, PeerPath, BluezNames.Device, "RSSI", VariantValue.Int16(-55));
        }

        private void CreateDevices()
        {
            _tree.Add(new ExportedObject(OtherPath, new()
            {
                [BluezNames.Device] = () => new()
                {
                    ["Address"] = VariantValue.String("AA:BB:CC:DD:EE:02"),
                    ["UUIDs"] = VariantValue.Array(new[] { "0000180f-0000-1000-8000-00805f9b34fb" }),
                    ["RSSI"] = VariantValue.Int16(-40),
                },
            }));
            _tree.Add(new ExportedObject(PeerPath, new()
            {
                [BluezNames.Device] = () => new()
                {
                    ["Address"] = VariantValue.String("AA:BB:CC:DD:EE:01"),
                    ["Name"] = VariantValue.String("aether-beacon"),
                    ["UUIDs"] = VariantValue.Array(new[] { BluezNames.ShardServiceUuid.ToUpperInvariant() }),
                    ["RSSI"] = VariantValue.Int16(-61),
                    ["ManufacturerData"] = new Dict<ushort, VariantValue> { [0xFFFF] = VariantValue.Array(_peerManufacturerData) }.AsVariantValue(),
                    ["Connected"] = VariantValue.Bool(_connected),
                    ["ServicesResolved"] = VariantValue.Bool(_servicesResolved),
                },
            }));
        }

        private void ExportPeerGatt()
        {
            const string service = PeerPath + "/service0010";
            _tree.Add(new ExportedObject(service, new()
            {
                [BluezNames.GattService] = () => new()
                {
                    ["UUID"] = VariantValue.String(BluezNames.ShardServiceUuid),
                    ["Device"] = VariantValue.ObjectPath(new ObjectPath(PeerPath)),
                    ["Primary"] = VariantValue.Bool(true),
                },
            }));
            _tree.Add(new ExportedObject(PeerCharacteristicPath, new()
            {
                [BluezNames.GattCharacteristic] = () => new()
                {
                    ["UUID"] = VariantValue.String(BluezNames.ShardCharacteristicUuid),
                    ["Service"] = VariantValue.ObjectPath(new ObjectPath(service)),
                    ["Flags"] = VariantValue.Array(new[] { "write", "write-without-response", "notify" }),
                    ["MTU"] = VariantValue.UInt16(PeerMtu),
                },
            }));
        }

        /// <summary>A device showing up in discovery (InterfacesAdded only; nothing is exported for it).</summary>
        public void AnnounceDevice(string path, string address, params string[] uuids) =>
            BusMessages.EmitSignal(_bus, "/", BusMessages.ObjectManagerInterface, "InterfacesAdded", "oa{sa{sv}}", (ref MessageWriter w) =>
            {
                w.WriteObjectPath(path);
                BusMessages.WriteInterfaces(ref w, new[]
                {
                    KeyValuePair.Create(BluezNames.Device, new Dictionary<string, VariantValue>
                    {
                        ["Address"] = VariantValue.String(address),
                        ["UUIDs"] = VariantValue.Array(uuids),
                    }),
                });
            });

        /// <summary>bluetoothd forgetting a device (its temporary-device timeout, or the device was removed).</summary>
        public void RemoveDevice(string path) =>
            BusMessages.EmitSignal(_bus, "/", BusMessages.ObjectManagerInterface, "InterfacesRemoved", "oas", (ref MessageWriter w) =>
            {
                w.WriteObjectPath(path);
                w.WriteArray(new[] { "org.freedesktop.DBus.Properties", BluezNames.Device });
            });

        /// <summary>Emits a notification from the simulated peer, as bluetoothd does for a remote characteristic.</summary>
        public void NotifyFromPeer(byte[] value) =>
            BusMessages.EmitPropertiesChanged(_bus, PeerCharacteristicPath, BluezNames.GattCharacteristic, "Value", VariantValue.Array(value));

        /// <summary>What bluetoothd does when a remote central writes to the app's characteristic.</summary>
        public Task WriteToAppAsync(string characteristicPath, byte[] value, ushort mtu, string type, ushort offset = 0) =>
            BusMessages.CallAsync(_bus, AppOwner!, characteristicPath, BluezNames.GattCharacteristic, "WriteValue", s_timeout, "aya{sv}", (ref MessageWriter w) =>
            {
                w.WriteArray(value);
                var options = new Dictionary<string, VariantValue>
                {
                    ["mtu"] = VariantValue.UInt16(mtu),
                    ["type"] = VariantValue.String(type),
                    ["device"] = VariantValue.ObjectPath(new ObjectPath(PeerPath)),
                };
                if (offset != 0)
                {
                    options["offset"] = VariantValue.UInt16(offset);
                }

                w.WriteDictionary(options);
            });

        /// <summary>AcquireWrite on the app's characteristic: returns the SEQPACKET socket and the MTU.</summary>
        public Task<(Socket Socket, ushort Mtu)> AcquireWriteAsync(string characteristicPath, ushort mtu) =>
            BusMessages.CallAsync(_bus, AppOwner!, characteristicPath, BluezNames.GattCharacteristic, "AcquireWrite", s_timeout, static (m, _) =>
            {
                Reader reply = m.GetBodyReader();
                var socket = new Socket(reply.ReadHandle<SafeSocketHandle>());
                return (socket, reply.ReadUInt16());
            }, "a{sv}", (ref MessageWriter w) => w.WriteDictionary(new Dictionary<string, VariantValue>
            {
                ["mtu"] = VariantValue.UInt16(mtu),
                ["device"] = VariantValue.ObjectPath(new ObjectPath(PeerPath)),
            }));

        /// <summary>StartNotify on the app's characteristic; values notified afterwards land in the returned queue.</summary>
        public async Task<BlockingCollection<byte[]>> StartNotifyAsync(string characteristicPath)
        {
            var values = new BlockingCollection<byte[]>();
            await BusMessages.WatchAsync(_bus, new MatchRule { Type = MessageType.Signal, Sender = AppOwner, Path = characteristicPath, Interface = BusMessages.PropertiesInterface, Member = "PropertiesChanged" }, "sa{sv}as",
                static (m, _) =>
                {
                    Reader r = m.GetBodyReader();
                    r.ReadString();
                    return r.ReadDictionaryOfStringToVariantValue();
                },
                changed =>
                {
                    if (changed.TryGetValue("Value", out VariantValue v))
                    {
                        values.Add(v.GetArray<byte>());
                    }
                });
            await BusMessages.CallAsync(_bus, AppOwner!, characteristicPath, BluezNames.GattCharacteristic, "StartNotify", s_timeout);
            return values;
        }

        /// <summary>bluetoothd leaving the bus (stop, crash).</summary>
        public void Dispose() => _bus.Dispose();
    }
}
