using System.Net.Sockets;
using AetherEdge.HostNode.DBus;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>
    /// Our GATT server as a BlueZ application: app root (ObjectManager) → shard service → shard characteristic
    /// (write, write-without-response, notify; AcquireWrite), plus an LE advertisement carrying the device
    /// metadata as manufacturer data. Incoming values go to <see cref="IBleLinkReceiver"/>.
    /// </summary>
    public sealed class GattPeripheral : IAsyncDisposable
    {
        public const string AppPath = "/org/aetheredge/gatt";
        public const string ServicePath = AppPath + "/service0";
        public const string CharacteristicPath = ServicePath + "/char0";
        public const string AdvertisementPath = "/org/aetheredge/advertisement0";

        private readonly DBusConnection _bus;
        private readonly IBleLinkReceiver _receiver;
        private readonly ushort _companyId;
        private readonly byte[] _manufacturerData;
        private readonly string _localName;
        private readonly List<Socket> _acquired = new();
        private byte[] _value = Array.Empty<byte>();
        private string _adapterPath = BluezNames.DefaultAdapterPath;
        private bool _registered;

        public GattPeripheral(DBusConnection bus, IBleLinkReceiver receiver, ushort companyId, byte[] manufacturerData, string localName)
        {
            _bus = bus;
            _receiver = receiver;
            _companyId = companyId;
            _manufacturerData = manufacturerData;
            _localName = localName;
        }

        /// <summary>True while a central has notifications enabled (StartNotify without StopNotify).</summary>
        public bool Notifying { get; private set; }

        /// <summary>The ATT MTU BlueZ last reported with a write or AcquireWrite.</summary>
        public int Mtu { get; private set; } = BluezNames.DefaultAttMtu;

        /// <summary>Exports the objects and registers the application and the advertisement with BlueZ.</summary>
        public async Task RegisterAsync(string adapterPath = BluezNames.DefaultAdapterPath, TimeSpan? timeout = null)
        {
            _adapterPath = adapterPath;
            ExportObjects();
            var noOptions = new Dictionary<object, object>();
            await _bus.CallAsync(BluezNames.Service, adapterPath, BluezNames.GattManager, "RegisterApplication", "oa{sv}",
                new object[] { new DBusObjectPath(AppPath), noOptions }, timeout).ConfigureAwait(false);
            _registered = true;
            await _bus.CallAsync(BluezNames.Service, adapterPath, BluezNames.AdvertisingManager, "RegisterAdvertisement", "oa{sv}",
                new object[] { new DBusObjectPath(AdvertisementPath), noOptions }, timeout).ConfigureAwait(false);
        }

        /// <summary>Sends one value to subscribed centrals via PropertiesChanged(Value). False when nobody subscribed.</summary>
        public bool Notify(byte[] value)
        {
            if (!Notifying)
            {
                return false;
            }

            _value = value;
            _bus.EmitPropertiesChanged(CharacteristicPath, BluezNames.GattCharacteristic, new Dictionary<object, object> { ["Value"] = DBusVariant.Of(value) });
            return true;
        }

        private void ExportObjects()
        {
            _bus.Export(new DBusExportedObject(AppPath, isObjectManager: true));

            var service = new DBusExportedObject(ServicePath);
            service.AddInterface(BluezNames.GattService)
                .Property("UUID", () => DBusVariant.Of(BluezNames.ShardServiceUuid))
                .Property("Primary", () => DBusVariant.Of(true));
            _bus.Export(service);

            var characteristic = new DBusExportedObject(CharacteristicPath);
            characteristic.AddInterface(BluezNames.GattCharacteristic)
                .Property("UUID", () => DBusVariant.Of(BluezNames.ShardCharacteristicUuid))
                .Property("Service", () => DBusVariant.Of(new DBusObjectPath(ServicePath)))
                .Property("Flags", () => DBusVariant.Of(new[] { "write", "write-without-response", "notify" }))
                .Property("Notifying", () => DBusVariant.Of(Notifying))
                .Property("WriteAcquired", () => DBusVariant.Of(false))
                .Property("Value", () => DBusVariant.Of(_value))
                .Method("WriteValue", "aya{sv}", OnWriteValue)
                .Method("StartNotify", "", _ => SetNotifying(true))
                .Method("StopNotify", "", _ => SetNotifying(false))
                .Method("AcquireWrite", "a{sv}", OnAcquireWrite);
            _bus.Export(characteristic);

            var advertisement = new DBusExportedObject(AdvertisementPath);
            advertisement.AddInterface(BluezNames.Advertisement)
                .Property("Type", () => DBusVariant.Of("peripheral"))
                .Property("ServiceUUIDs", () => DBusVariant.Of(new[] { BluezNames.ShardServiceUuid }))
                .Property("ManufacturerData", () => new DBusVariant("a{qv}", new Dictionary<object, object> { [_companyId] = DBusVariant.Of(_manufacturerData) }))
                .Property("LocalName", () => DBusVariant.Of(_localName))
                .Method("Release", "", _ => Task.FromResult(DBusReply.Empty));
            _bus.Export(advertisement);
        }

        private Task<DBusReply> SetNotifying(bool on)
        {
            Notifying = on;
            _bus.EmitPropertiesChanged(CharacteristicPath, BluezNames.GattCharacteristic, new Dictionary<object, object> { ["Notifying"] = DBusVariant.Of(on) });
            return Task.FromResult(DBusReply.Empty);
        }

        private Task<DBusReply> OnWriteValue(DBusMethodCall call)
        {
            var value = (byte[])call.Args[0];
            var options = (Dictionary<object, object>)call.Args[1];
            if (Option(options, "offset") is ushort offset && offset != 0)
            {
                // Long (prepared) writes are not part of our protocol: every fragment fits one ATT write.
                throw new DBusErrorException("org.bluez.Error.InvalidOffset", "offset " + offset + " is not supported");
            }

            if (Option(options, "mtu") is ushort mtu)
            {
                Mtu = mtu;
            }

            _receiver.OnReceived(PeerOf(options), value, Mtu);
            return Task.FromResult(DBusReply.Empty);
        }

        private Task<DBusReply> OnAcquireWrite(DBusMethodCall call)
        {
            var options = (Dictionary<object, object>)call.Args[0];
            if (Option(options, "mtu") is ushort mtu)
            {
                Mtu = mtu;
            }

            int linkMtu = Mtu;
            string peer = PeerOf(options);
            (int local, int remote) = UnixFdNative.SeqPacketPair();
            var socket = new Socket(new SafeSocketHandle(local, true));
            lock (_acquired)
            {
                _acquired.Add(socket);
            }

            var reader = new Thread(() => ReadPackets(socket, peer, linkMtu)) { IsBackground = true, Name = "gatt-acquired-write" };
            reader.Start();
            return Task.FromResult(new DBusReply("hq", new DBusUnixFd(remote), (ushort)linkMtu) { TransferFds = true });
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

        private static object? Option(Dictionary<object, object> options, string key) =>
            options.TryGetValue(key, out object? v) && v is DBusVariant variant ? variant.Value : null;

        private static string PeerOf(Dictionary<object, object> options) =>
            Option(options, "device") is DBusObjectPath device ? device.Value : "unknown";

        public async ValueTask DisposeAsync()
        {
            if (_registered)
            {
                try
                {
                    await _bus.CallAsync(BluezNames.Service, _adapterPath, BluezNames.AdvertisingManager, "UnregisterAdvertisement", "o", new object[] { new DBusObjectPath(AdvertisementPath) }, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                    await _bus.CallAsync(BluezNames.Service, _adapterPath, BluezNames.GattManager, "UnregisterApplication", "o", new object[] { new DBusObjectPath(AppPath) }, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                }
                catch (DBusErrorException)
                {
                    // bluetoothd gone or already forgot us: nothing left to undo
                }
            }

            foreach (string path in new[] { AdvertisementPath, CharacteristicPath, ServicePath, AppPath })
            {
                _bus.Unexport(path);
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
