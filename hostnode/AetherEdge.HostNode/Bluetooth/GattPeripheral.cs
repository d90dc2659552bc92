using System.Net.Sockets;
using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>
    /// Our GATT server as a BlueZ application: app root (ObjectManager) → shard service → shard characteristic
    /// (write, write-without-response, notify; AcquireWrite), plus an LE advertisement carrying the device
    /// metadata as manufacturer data. Incoming values go to <see cref="IBleLinkReceiver"/>. Only bluetoothd may
    /// call the characteristic and the advertisement; anyone may read their properties.
    /// </summary>
    public sealed class GattPeripheral : IAsyncDisposable
    {
        public const string AppPath = Root + "/gatt";
        public const string ServicePath = AppPath + "/service0";
        public const string CharacteristicPath = ServicePath + "/char0";
        public const string AdvertisementPath = Root + "/advertisement0";
        private const string Root = "/org/aetheredge";
        private static readonly TimeSpan s_unregisterTimeout = TimeSpan.FromSeconds(2);

        private readonly BluezAdapter _adapter;
        private readonly IBleLinkReceiver _receiver;
        private readonly ObjectTree _tree;
        private readonly List<Socket> _acquired = new();
        private byte[] _value = Array.Empty<byte>();
        private volatile bool _notifying;
        private volatile int _mtu = BluezNames.DefaultAttMtu;
        private bool _exported;
        private bool _registered;

        public GattPeripheral(BluezAdapter adapter, IBleLinkReceiver receiver, ushort companyId, byte[] manufacturerData, string localName)
        {
            _adapter = adapter;
            _receiver = receiver;
            _tree = new ObjectTree(Root, new[] { AppPath }, adapter.IsBluez, OnCallAsync);
            _tree.Add(new ExportedObject(ServicePath, new()
            {
                [BluezNames.GattService] = () => new()
                {
                    ["UUID"] = VariantValue.String(BluezNames.ShardServiceUuid),
                    ["Primary"] = VariantValue.Bool(true),
                },
            }));
            _tree.Add(new ExportedObject(CharacteristicPath, new()
            {
                [BluezNames.GattCharacteristic] = () => new()
                {
                    ["UUID"] = VariantValue.String(BluezNames.ShardCharacteristicUuid),
                    ["Service"] = VariantValue.ObjectPath(new ObjectPath(ServicePath)),
                    ["Flags"] = VariantValue.Array(new[] { "write", "write-without-response", "notify" }),
                    ["Notifying"] = VariantValue.Bool(_notifying),
                    ["WriteAcquired"] = VariantValue.Bool(false),
                    ["Value"] = VariantValue.Array(_value),
                },
            }));
            _tree.Add(new ExportedObject(AdvertisementPath, new()
            {
                [BluezNames.Advertisement] = () => new()
                {
                    ["Type"] = VariantValue.String("peripheral"),
                    ["ServiceUUIDs"] = VariantValue.Array(new[] { BluezNames.ShardServiceUuid }),
                    ["ManufacturerData"] = new Dict<ushort, VariantValue> { [companyId] = VariantValue.Array(manufacturerData) }.AsVariantValue(),
                    ["LocalName"] = VariantValue.String(localName),
                },
            }));
        }

        /// <summary>True while a central has notifications enabled (StartNotify without StopNotify).</summary>
        public bool Notifying => _notifying;

        /// <summary>The ATT MTU BlueZ last reported with a write or AcquireWrite.</summary>
        public int Mtu => _mtu;

        /// <summary>Exports the objects and registers the application and the advertisement with BlueZ.</summary>
        public async Task RegisterAsync()
        {
            if (!_exported)
            {
                _adapter.Connection.AddMethodHandler(_tree);
                _exported = true;
            }

            await _adapter.CallAsync(_adapter.AdapterPath, BluezNames.GattManager, "RegisterApplication", "oa{sv}", RegisterArgs(AppPath)).ConfigureAwait(false);
            _registered = true;
            await _adapter.CallAsync(_adapter.AdapterPath, BluezNames.AdvertisingManager, "RegisterAdvertisement", "oa{sv}", RegisterArgs(AdvertisementPath)).ConfigureAwait(false);
        }

        /// <summary>Sends one value to subscribed centrals via PropertiesChanged(Value). False when nobody subscribed.</summary>
        public bool Notify(byte[] value)
        {
            if (!_notifying)
            {
                return false;
            }

            _value = value;
            BusMessages.EmitPropertiesChanged(_adapter.Connection, CharacteristicPath, BluezNames.GattCharacteristic, "Value", VariantValue.Array(value));
            return true;
        }

        private static BodyWriter RegisterArgs(string path) => (ref MessageWriter w) =>
        {
            w.WriteObjectPath(path);
            w.WriteDictionary(Array.Empty<KeyValuePair<string, VariantValue>>());
        };

        private ValueTask OnCallAsync(MethodContext context, ExportedObject target)
        {
            string iface = context.Request.InterfaceAsString ?? "";
            string member = context.Request.MemberAsString ?? "";
            if (target.Path == CharacteristicPath && iface == BluezNames.GattCharacteristic)
            {
                switch (member)
                {
                    case "WriteValue":
                        OnWriteValue(context);
                        break;
                    case "StartNotify":
                    case "StopNotify":
                        SetNotifying(member == "StartNotify");
                        ObjectTree.ReplyEmpty(context);
                        break;
                    case "AcquireWrite":
                        OnAcquireWrite(context);
                        break;
                }
            }
            else if (target.Path == AdvertisementPath && iface == BluezNames.Advertisement && member == "Release")
            {
                ObjectTree.ReplyEmpty(context);
            }

            return ValueTask.CompletedTask;
        }

        private void SetNotifying(bool on)
        {
            _notifying = on;
            BusMessages.EmitPropertiesChanged(_adapter.Connection, CharacteristicPath, BluezNames.GattCharacteristic, "Notifying", VariantValue.Bool(on));
        }

        private void OnWriteValue(MethodContext context)
        {
            Reader args = ObjectTree.Arguments(context, "aya{sv}");
            byte[] value = args.ReadArrayOfByte();
            Dictionary<string, VariantValue> options = args.ReadDictionaryOfStringToVariantValue();
            if (Option(options, "offset", VariantValueType.UInt16) is VariantValue offset && offset.GetUInt16() != 0)
            {
                // Long (prepared) writes are not part of our protocol: every fragment fits one ATT write.
                throw new DBusErrorReplyException("org.bluez.Error.InvalidOffset", "offset " + offset.GetUInt16() + " is not supported");
            }

            TakeMtu(options);
            _receiver.OnReceived(PeerOf(options), value, _mtu);
            ObjectTree.ReplyEmpty(context);
        }

        private void OnAcquireWrite(MethodContext context)
        {
            Dictionary<string, VariantValue> options = ObjectTree.Arguments(context, "a{sv}").ReadDictionaryOfStringToVariantValue();
            TakeMtu(options);
            int linkMtu = _mtu;
            string peer = PeerOf(options);
            (Socket local, SafeSocketHandle remote) = SeqPacketPair.Create();
            lock (_acquired)
            {
                _acquired.Add(local);
            }

            new Thread(() => ReadPackets(local, peer, linkMtu)) { IsBackground = true, Name = "gatt-acquired-write" }.Start();
            using MessageWriter reply = context.CreateReplyWriter("hq");
            reply.WriteHandle(remote); // the library closes our copy of the peer's end once the reply is sent
            reply.WriteUInt16((ushort)linkMtu);
            context.Reply(reply.CreateMessage());
        }

        private void ReadPackets(Socket socket, string peer, int mtu)
        {
            var buffer = new byte[BluezNames.MaxAttMtu];
            try
            {
                while (true)
                {
                    int n = socket.Receive(buffer);
                    if (n == 0)
                    {
                        break;
                    }

                    _receiver.OnReceived(peer, buffer.AsSpan(0, n).ToArray(), mtu);
                }
            }
            catch (Exception)
            {
                // The central went away, we are shutting down, or the receiver failed: this acquired link
                // ends (BlueZ sees the socket close), the rest of the application keeps running.
            }

            lock (_acquired)
            {
                _acquired.Remove(socket);
            }

            socket.Dispose();
        }

        private void TakeMtu(Dictionary<string, VariantValue> options)
        {
            if (Option(options, "mtu", VariantValueType.UInt16) is VariantValue mtu)
            {
                _mtu = mtu.GetUInt16();
            }
        }

        private static VariantValue? Option(Dictionary<string, VariantValue> options, string key, VariantValueType type) =>
            options.TryGetValue(key, out VariantValue v) && v.Type == type ? v : default(VariantValue?);

        private static string PeerOf(Dictionary<string, VariantValue> options) =>
            Option(options, "device", VariantValueType.ObjectPath) is VariantValue device ? device.GetObjectPathAsString() : "unknown";

        public async ValueTask DisposeAsync()
        {
            if (_registered)
            {
                _registered = false;
                try
                {
                    await _adapter.CallAsync(_adapter.AdapterPath, BluezNames.AdvertisingManager, "UnregisterAdvertisement", "o", (ref MessageWriter w) => w.WriteObjectPath(AdvertisementPath), s_unregisterTimeout).ConfigureAwait(false);
                    await _adapter.CallAsync(_adapter.AdapterPath, BluezNames.GattManager, "UnregisterApplication", "o", (ref MessageWriter w) => w.WriteObjectPath(AppPath), s_unregisterTimeout).ConfigureAwait(false);
                }
                catch (Exception e) when (BusMessages.IsGone(e))
                {
                    // bluetoothd gone or already forgot us: nothing left to undo
                }
            }

            if (_exported)
            {
                _exported = false;
                try
                {
                    _adapter.Connection.RemoveMethodHandler(_tree.Path);
                }
                catch (ObjectDisposedException)
                {
                    // the adapter was closed first: its connection took our objects with it
                }
            }

            Socket[] sockets;
            lock (_acquired)
            {
                sockets = _acquired.ToArray();
            }

            foreach (Socket s in sockets)
            {
                try
                {
                    s.Shutdown(SocketShutdown.Both);
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                {
                    // already closed by the reader
                }
            }
        }
    }
}
