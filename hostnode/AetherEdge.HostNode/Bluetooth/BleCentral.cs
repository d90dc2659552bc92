using System.Collections.Concurrent;
using AetherEdge.HostNode.DBus;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>A peer seen while scanning that advertises the shard service.</summary>
    public sealed record BleDevice(string Path, string Address, string? Name, short? Rssi, IReadOnlyDictionary<ushort, byte[]> ManufacturerData);

    /// <summary>
    /// The central side over BlueZ: LE discovery filtered to our service UUID, Device1 tracking from
    /// InterfacesAdded/PropertiesChanged, and connecting to a peer's shard characteristic as an <see cref="IBleLink"/>.
    /// </summary>
    public sealed class BleCentral : IAsyncDisposable
    {
        private readonly DBusConnection _bus;
        private readonly string _adapterPath;
        private readonly ConcurrentDictionary<string, Dictionary<object, object>> _deviceProperties = new();
        private readonly List<IAsyncDisposable> _subscriptions = new();
        private bool _discovering;

        public BleCentral(DBusConnection bus, string adapterPath = BluezNames.DefaultAdapterPath)
        {
            _bus = bus;
            _adapterPath = adapterPath;
        }

        /// <summary>Raised (on the D-Bus reader thread) when a device with our service appears or changes.</summary>
        public event Action<BleDevice>? DeviceUpdated;

        public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Devices seen so far that advertise the shard service.</summary>
        public IReadOnlyList<BleDevice> Devices => _deviceProperties.Keys.Select(ToDevice).OfType<BleDevice>().ToList();

        /// <summary>Sets the LE + UUID discovery filter, starts watching Device1 objects and starts discovery.</summary>
        public async Task StartScanAsync()
        {
            _subscriptions.Add(await _bus.SubscribeAsync(
                new DBusMatchRule(Sender: BluezNames.Service, Interface: DBusConnection.ObjectManagerInterface, Member: "InterfacesAdded"), OnInterfacesAdded).ConfigureAwait(false));
            _subscriptions.Add(await _bus.SubscribeAsync(
                new DBusMatchRule(Sender: BluezNames.Service, Interface: DBusConnection.PropertiesInterface, Member: "PropertiesChanged", PathNamespace: _adapterPath), OnPropertiesChanged).ConfigureAwait(false));

            DBusMessage known = await _bus.CallAsync(BluezNames.Service, "/", DBusConnection.ObjectManagerInterface, "GetManagedObjects", timeout: CallTimeout).ConfigureAwait(false);
            foreach (KeyValuePair<object, object> o in (Dictionary<object, object>)known.Body[0])
            {
                AddInterfaces(((DBusObjectPath)o.Key).Value, (Dictionary<object, object>)o.Value);
            }

            var filter = new Dictionary<object, object>
            {
                ["Transport"] = DBusVariant.Of("le"),
                ["UUIDs"] = DBusVariant.Of(new[] { BluezNames.ShardServiceUuid }),
            };
            await _bus.CallAsync(BluezNames.Service, _adapterPath, BluezNames.Adapter, "SetDiscoveryFilter", "a{sv}", new object[] { filter }, CallTimeout).ConfigureAwait(false);
            await _bus.CallAsync(BluezNames.Service, _adapterPath, BluezNames.Adapter, "StartDiscovery", timeout: CallTimeout).ConfigureAwait(false);
            _discovering = true;
        }

        public async Task StopScanAsync()
        {
            if (_discovering)
            {
                _discovering = false;
                await _bus.CallAsync(BluezNames.Service, _adapterPath, BluezNames.Adapter, "StopDiscovery", timeout: CallTimeout).ConfigureAwait(false);
            }
        }

        /// <summary>Connects, waits for ServicesResolved, finds the shard characteristic and reads its MTU.</summary>
        public async Task<IBleLink> ConnectAsync(string devicePath, IBleLinkReceiver receiver, TimeSpan? timeout = null)
        {
            TimeSpan limit = timeout ?? CallTimeout;
            var resolved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            IAsyncDisposable watch = await _bus.SubscribeAsync(
                new DBusMatchRule(Sender: BluezNames.Service, Path: devicePath, Interface: DBusConnection.PropertiesInterface, Member: "PropertiesChanged"),
                m =>
                {
                    if ((string)m.Body[0] == BluezNames.Device && ((Dictionary<object, object>)m.Body[1]).TryGetValue("ServicesResolved", out object? v) && ((DBusVariant)v).Value is true)
                    {
                        resolved.TrySetResult();
                    }
                }).ConfigureAwait(false);
            try
            {
                await _bus.CallAsync(BluezNames.Service, devicePath, BluezNames.Device, "Connect", timeout: limit).ConfigureAwait(false);
                DBusMessage already = await _bus.CallAsync(BluezNames.Service, devicePath, DBusConnection.PropertiesInterface, "Get", "ss",
                    new object[] { BluezNames.Device, "ServicesResolved" }, limit).ConfigureAwait(false);
                if (((DBusVariant)already.Body[0]).Value is not true)
                {
                    try
                    {
                        await resolved.Task.WaitAsync(limit).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        throw new DBusErrorException(DBusErrors.NoReply, devicePath + " did not resolve services within " + limit.TotalSeconds + " s");
                    }
                }
            }
            finally
            {
                await watch.DisposeAsync().ConfigureAwait(false);
            }

            string characteristic = await FindCharacteristicAsync(devicePath, limit).ConfigureAwait(false);
            int mtu = BluezNames.DefaultAttMtu;
            try
            {
                DBusMessage m = await _bus.CallAsync(BluezNames.Service, characteristic, DBusConnection.PropertiesInterface, "Get", "ss",
                    new object[] { BluezNames.GattCharacteristic, "MTU" }, limit).ConfigureAwait(false);
                mtu = (ushort)((DBusVariant)m.Body[0]).Value;
            }
            catch (DBusErrorException)
            {
                // BlueZ before 5.62 has no MTU property: stay at the ATT default
            }

            var link = new CentralLink(_bus, devicePath, characteristic, mtu, receiver, limit);
            await link.StartAsync().ConfigureAwait(false);
            return link;
        }

        private async Task<string> FindCharacteristicAsync(string devicePath, TimeSpan limit)
        {
            DBusMessage objects = await _bus.CallAsync(BluezNames.Service, "/", DBusConnection.ObjectManagerInterface, "GetManagedObjects", timeout: limit).ConfigureAwait(false);
            foreach (KeyValuePair<object, object> o in (Dictionary<object, object>)objects.Body[0])
            {
                string path = ((DBusObjectPath)o.Key).Value;
                var interfaces = (Dictionary<object, object>)o.Value;
                if (path.StartsWith(devicePath + "/", StringComparison.Ordinal)
                    && interfaces.TryGetValue(BluezNames.GattCharacteristic, out object? props)
                    && ((Dictionary<object, object>)props).TryGetValue("UUID", out object? uuid)
                    && string.Equals(((DBusVariant)uuid).Value as string, BluezNames.ShardCharacteristicUuid, StringComparison.OrdinalIgnoreCase))
                {
                    return path;
                }
            }

            throw new DBusErrorException("org.bluez.Error.DoesNotExist", devicePath + " has no shard characteristic " + BluezNames.ShardCharacteristicUuid);
        }

        private void OnInterfacesAdded(DBusMessage m)
        {
            AddInterfaces(((DBusObjectPath)m.Body[0]).Value, (Dictionary<object, object>)m.Body[1]);
        }

        private void AddInterfaces(string path, Dictionary<object, object> interfaces)
        {
            if (!path.StartsWith(_adapterPath + "/", StringComparison.Ordinal) || !interfaces.TryGetValue(BluezNames.Device, out object? props))
            {
                return;
            }

            _deviceProperties[path] = new Dictionary<object, object>((Dictionary<object, object>)props);
            Raise(path);
        }

        private void OnPropertiesChanged(DBusMessage m)
        {
            if ((string)m.Body[0] != BluezNames.Device || !_deviceProperties.TryGetValue(m.Path!, out Dictionary<object, object>? props))
            {
                return;
            }

            lock (props)
            {
                foreach (KeyValuePair<object, object> p in (Dictionary<object, object>)m.Body[1])
                {
                    props[p.Key] = p.Value;
                }
            }

            Raise(m.Path!);
        }

        private void Raise(string path)
        {
            if (ToDevice(path) is BleDevice device)
            {
                DeviceUpdated?.Invoke(device);
            }
        }

        private BleDevice? ToDevice(string path)
        {
            if (!_deviceProperties.TryGetValue(path, out Dictionary<object, object>? props))
            {
                return null;
            }

            lock (props)
            {
                object? Get(string key) => props.TryGetValue(key, out object? v) ? ((DBusVariant)v).Value : null;
                bool ours = Get("UUIDs") is IEnumerable<object> uuids
                    && uuids.Any(u => string.Equals(u as string, BluezNames.ShardServiceUuid, StringComparison.OrdinalIgnoreCase));
                if (!ours || Get("Address") is not string address)
                {
                    return null;
                }

                var manufacturer = new Dictionary<ushort, byte[]>();
                if (Get("ManufacturerData") is Dictionary<object, object> data)
                {
                    foreach (KeyValuePair<object, object> d in data)
                    {
                        if (d.Key is ushort company && d.Value is DBusVariant { Value: byte[] bytes })
                        {
                            manufacturer[company] = bytes;
                        }
                    }
                }

                return new BleDevice(path, address, Get("Name") as string, Get("RSSI") as short?, manufacturer);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await StopScanAsync().ConfigureAwait(false);
            }
            catch (DBusErrorException)
            {
                // adapter gone: discovery stopped anyway
            }

            foreach (IAsyncDisposable s in _subscriptions)
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }

            _subscriptions.Clear();
        }

        private sealed class CentralLink : IBleLink
        {
            private readonly DBusConnection _bus;
            private readonly string _characteristic;
            private readonly IBleLinkReceiver _receiver;
            private readonly TimeSpan _timeout;
            private IAsyncDisposable? _notifications;

            public CentralLink(DBusConnection bus, string device, string characteristic, int mtu, IBleLinkReceiver receiver, TimeSpan timeout)
            {
                _bus = bus;
                Peer = device;
                _characteristic = characteristic;
                Mtu = mtu;
                _receiver = receiver;
                _timeout = timeout;
            }

            public string Peer { get; }

            public int Mtu { get; }

            public async Task StartAsync()
            {
                _notifications = await _bus.SubscribeAsync(
                    new DBusMatchRule(Sender: BluezNames.Service, Path: _characteristic, Interface: DBusConnection.PropertiesInterface, Member: "PropertiesChanged"),
                    m =>
                    {
                        if ((string)m.Body[0] == BluezNames.GattCharacteristic && ((Dictionary<object, object>)m.Body[1]).TryGetValue("Value", out object? v) && ((DBusVariant)v).Value is byte[] value)
                        {
                            _receiver.OnReceived(Peer, value, Mtu);
                        }
                    }).ConfigureAwait(false);
                await _bus.CallAsync(BluezNames.Service, _characteristic, BluezNames.GattCharacteristic, "StartNotify", timeout: _timeout).ConfigureAwait(false);
            }

            public async Task WriteAsync(byte[] value, bool withResponse = false)
            {
                if (value.Length > Mtu - BluezNames.AttHeaderLength)
                {
                    throw new ArgumentException("value of " + value.Length + " bytes exceeds the link payload of " + (Mtu - BluezNames.AttHeaderLength) + " (MTU " + Mtu + ")");
                }

                var options = new Dictionary<object, object> { ["type"] = DBusVariant.Of(withResponse ? "request" : "command") };
                await _bus.CallAsync(BluezNames.Service, _characteristic, BluezNames.GattCharacteristic, "WriteValue", "aya{sv}", new object[] { value, options }, _timeout).ConfigureAwait(false);
            }

            public async ValueTask DisposeAsync()
            {
                if (_notifications != null)
                {
                    await _notifications.DisposeAsync().ConfigureAwait(false);
                }

                try
                {
                    await _bus.CallAsync(BluezNames.Service, _characteristic, BluezNames.GattCharacteristic, "StopNotify", timeout: _timeout).ConfigureAwait(false);
                    await _bus.CallAsync(BluezNames.Service, Peer, BluezNames.Device, "Disconnect", timeout: _timeout).ConfigureAwait(false);
                }
                catch (DBusErrorException)
                {
                    // peer already gone
                }
            }
        }
    }
}
