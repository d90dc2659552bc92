using System.Collections.Concurrent;
using Tmds.DBus.Protocol;

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
        /// <summary>Devices tracked at most; BlueZ forgets stale ones itself (InterfacesRemoved) and so do we.</summary>
        public const int MaxTrackedDevices = 256;

        private readonly BluezAdapter _adapter;
        private readonly ConcurrentDictionary<string, Dictionary<string, VariantValue>> _deviceProperties = new(StringComparer.Ordinal);
        private readonly List<IDisposable> _subscriptions = new();
        private bool _discovering;

        public BleCentral(BluezAdapter adapter)
        {
            _adapter = adapter;
        }

        /// <summary>Raised (on the D-Bus reader) when a device with our service appears or changes; must not block (an exception loses that update only).</summary>
        public event Action<BleDevice>? DeviceUpdated;

        /// <summary>Device1 objects tracked, ours or not (yet); at most <see cref="MaxTrackedDevices"/> unless ours.</summary>
        internal int TrackedDevices => _deviceProperties.Count;

        /// <summary>Devices seen so far that advertise the shard service.</summary>
        public IReadOnlyList<BleDevice> Devices => _deviceProperties.Keys.Select(ToDevice).OfType<BleDevice>().ToList();

        /// <summary>Sets the LE + UUID discovery filter, starts watching Device1 objects and starts discovery.</summary>
        public async Task StartScanAsync()
        {
            _subscriptions.Add(await _adapter.WatchAsync(
                new MatchRule { Interface = BusMessages.ObjectManagerInterface, Member = "InterfacesAdded" }, "oa{sa{sv}}",
                static (m, _) =>
                {
                    Reader r = m.GetBodyReader();
                    return new ObjectChange(r.ReadObjectPathAsString(), BusMessages.ReadInterfaces(ref r));
                },
                c => AddInterfaces(c.Path, c.Interfaces)).ConfigureAwait(false));
            _subscriptions.Add(await _adapter.WatchAsync(
                new MatchRule { Interface = BusMessages.ObjectManagerInterface, Member = "InterfacesRemoved" }, "oas",
                static (m, _) =>
                {
                    Reader r = m.GetBodyReader();
                    string path = r.ReadObjectPathAsString();
                    return r.ReadArrayOfString().Contains(BluezNames.Device) ? path : "";
                },
                path => _deviceProperties.TryRemove(path, out _)).ConfigureAwait(false));
            _subscriptions.Add(await _adapter.WatchAsync(
                new MatchRule { Interface = BusMessages.PropertiesInterface, Member = "PropertiesChanged", PathNamespace = _adapter.AdapterPath, Arg0 = BluezNames.Device }, "sa{sv}as",
                ReadPropertiesChanged, OnDeviceChanged).ConfigureAwait(false));

            foreach (KeyValuePair<string, Dictionary<string, Dictionary<string, VariantValue>>> o in await _adapter.GetManagedObjectsAsync().ConfigureAwait(false))
            {
                AddInterfaces(o.Key, o.Value);
            }

            await _adapter.CallAsync(_adapter.AdapterPath, BluezNames.Adapter, "SetDiscoveryFilter", "a{sv}", (ref MessageWriter w) => w.WriteDictionary(new Dictionary<string, VariantValue>
            {
                ["Transport"] = VariantValue.String("le"),
                ["UUIDs"] = VariantValue.Array(new[] { BluezNames.ShardServiceUuid }),
            })).ConfigureAwait(false);
            await _adapter.CallAsync(_adapter.AdapterPath, BluezNames.Adapter, "StartDiscovery").ConfigureAwait(false);
            _discovering = true;
        }

        public async Task StopScanAsync()
        {
            if (_discovering)
            {
                _discovering = false;
                await _adapter.CallAsync(_adapter.AdapterPath, BluezNames.Adapter, "StopDiscovery").ConfigureAwait(false);
            }
        }

        /// <summary>Connects, waits for ServicesResolved, finds the shard characteristic and reads its MTU.</summary>
        public async Task<IBleLink> ConnectAsync(string devicePath, IBleLinkReceiver receiver, TimeSpan? timeout = null)
        {
            TimeSpan limit = timeout ?? _adapter.CallTimeout;
            var resolved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (IDisposable watch = await _adapter.WatchAsync(
                new MatchRule { Path = devicePath, Interface = BusMessages.PropertiesInterface, Member = "PropertiesChanged", Arg0 = BluezNames.Device }, "sa{sv}as",
                ReadPropertiesChanged,
                c =>
                {
                    if (c.Property(BluezNames.Device, "ServicesResolved", VariantValueType.Bool) is VariantValue v && v.GetBool())
                    {
                        resolved.TrySetResult();
                    }
                }).ConfigureAwait(false))
            {
                await _adapter.CallAsync(devicePath, BluezNames.Device, "Connect", timeout: limit).ConfigureAwait(false);
                VariantValue already = await _adapter.GetPropertyAsync(devicePath, BluezNames.Device, "ServicesResolved", limit).ConfigureAwait(false);
                if (already.Type != VariantValueType.Bool || !already.GetBool())
                {
                    try
                    {
                        await resolved.Task.WaitAsync(limit).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        throw new DBusErrorReplyException(BusMessages.NoReply, devicePath + " did not resolve services within " + limit.TotalSeconds + " s");
                    }
                }
            }

            string characteristic = await FindCharacteristicAsync(devicePath, limit).ConfigureAwait(false);
            int mtu = BluezNames.DefaultAttMtu;
            try
            {
                VariantValue value = await _adapter.GetPropertyAsync(characteristic, BluezNames.GattCharacteristic, "MTU", limit).ConfigureAwait(false);
                mtu = value.GetUInt16();
            }
            catch (DBusErrorReplyException)
            {
                // BlueZ before 5.62 has no MTU property: stay at the ATT default
            }

            var link = new CentralLink(_adapter, devicePath, characteristic, mtu, receiver, limit);
            await link.StartAsync().ConfigureAwait(false);
            return link;
        }

        private async Task<string> FindCharacteristicAsync(string devicePath, TimeSpan limit)
        {
            foreach (KeyValuePair<string, Dictionary<string, Dictionary<string, VariantValue>>> o in await _adapter.GetManagedObjectsAsync(limit).ConfigureAwait(false))
            {
                if (o.Key.StartsWith(devicePath + "/", StringComparison.Ordinal)
                    && o.Value.TryGetValue(BluezNames.GattCharacteristic, out Dictionary<string, VariantValue>? props)
                    && props.TryGetValue("UUID", out VariantValue uuid) && uuid.Type == VariantValueType.String
                    && string.Equals(uuid.GetString(), BluezNames.ShardCharacteristicUuid, StringComparison.OrdinalIgnoreCase))
                {
                    return o.Key;
                }
            }

            throw new DBusErrorReplyException("org.bluez.Error.DoesNotExist", devicePath + " has no shard characteristic " + BluezNames.ShardCharacteristicUuid);
        }

        /// <summary>PropertiesChanged(s, a{sv}, as) as a change of one interface's properties at the signal's path.</summary>
        private static ObjectChange ReadPropertiesChanged(Message m, object? state)
        {
            Reader r = m.GetBodyReader();
            string iface = r.ReadString();
            return new ObjectChange(m.PathAsString ?? "", new Dictionary<string, Dictionary<string, VariantValue>> { [iface] = r.ReadDictionaryOfStringToVariantValue() });
        }

        private void AddInterfaces(string path, Dictionary<string, Dictionary<string, VariantValue>> interfaces)
        {
            if (!path.StartsWith(_adapter.AdapterPath + "/", StringComparison.Ordinal) || !interfaces.TryGetValue(BluezNames.Device, out Dictionary<string, VariantValue>? props))
            {
                return;
            }

            // Anything advertising nearby appears here: past the bound only devices already showing our service are kept.
            if (_deviceProperties.Count >= MaxTrackedDevices && !_deviceProperties.ContainsKey(path) && !IsOurs(props))
            {
                return;
            }

            _deviceProperties[path] = props;
            Raise(path);
        }

        private static bool IsOurs(Dictionary<string, VariantValue> props) =>
            props.TryGetValue("UUIDs", out VariantValue uuids) && uuids.Type == VariantValueType.Array && uuids.ItemType == VariantValueType.String
            && uuids.GetArray<string>().Any(u => string.Equals(u, BluezNames.ShardServiceUuid, StringComparison.OrdinalIgnoreCase));

        private void OnDeviceChanged(ObjectChange change)
        {
            if (!_deviceProperties.TryGetValue(change.Path, out Dictionary<string, VariantValue>? props)
                || !change.Interfaces.TryGetValue(BluezNames.Device, out Dictionary<string, VariantValue>? changed))
            {
                return;
            }

            lock (props)
            {
                foreach (KeyValuePair<string, VariantValue> p in changed)
                {
                    props[p.Key] = p.Value;
                }
            }

            Raise(change.Path);
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
            if (!_deviceProperties.TryGetValue(path, out Dictionary<string, VariantValue>? props))
            {
                return null;
            }

            lock (props)
            {
                VariantValue? Get(string key, VariantValueType type) => props.TryGetValue(key, out VariantValue v) && v.Type == type ? v : default(VariantValue?);
                if (!IsOurs(props) || Get("Address", VariantValueType.String) is not VariantValue address)
                {
                    return null;
                }

                var manufacturer = new Dictionary<ushort, byte[]>();
                if (Get("ManufacturerData", VariantValueType.Dictionary) is VariantValue data && data.KeyType == VariantValueType.UInt16)
                {
                    for (int i = 0; i < data.Count; i++)
                    {
                        KeyValuePair<VariantValue, VariantValue> entry = data.GetDictionaryEntry(i);
                        VariantValue bytes = entry.Value.Type == VariantValueType.Variant ? entry.Value.GetVariantValue() : entry.Value;
                        if (bytes.Type == VariantValueType.Array && bytes.ItemType == VariantValueType.Byte)
                        {
                            manufacturer[entry.Key.GetUInt16()] = bytes.GetArray<byte>();
                        }
                    }
                }

                return new BleDevice(path, address.GetString(), Get("Name", VariantValueType.String)?.GetString(),
                    Get("RSSI", VariantValueType.Int16)?.GetInt16(), manufacturer);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await StopScanAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (BusMessages.IsGone(e))
            {
                // adapter gone: discovery stopped anyway
            }

            foreach (IDisposable s in _subscriptions)
            {
                s.Dispose();
            }

            _subscriptions.Clear();
        }

        /// <summary>Interfaces and properties that appeared or changed at one object path.</summary>
        private sealed record ObjectChange(string Path, Dictionary<string, Dictionary<string, VariantValue>> Interfaces)
        {
            /// <summary>The property when this change carries it with the expected type.</summary>
            public VariantValue? Property(string iface, string name, VariantValueType type) =>
                Interfaces.TryGetValue(iface, out Dictionary<string, VariantValue>? props) && props.TryGetValue(name, out VariantValue v) && v.Type == type ? v : default(VariantValue?);
        }

        private sealed class CentralLink : IBleLink
        {
            private readonly BluezAdapter _adapter;
            private readonly string _characteristic;
            private readonly IBleLinkReceiver _receiver;
            private readonly TimeSpan _timeout;
            private IDisposable? _notifications;

            public CentralLink(BluezAdapter adapter, string device, string characteristic, int mtu, IBleLinkReceiver receiver, TimeSpan timeout)
            {
                _adapter = adapter;
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
                _notifications = await _adapter.WatchAsync(
                    new MatchRule { Path = _characteristic, Interface = BusMessages.PropertiesInterface, Member = "PropertiesChanged", Arg0 = BluezNames.GattCharacteristic }, "sa{sv}as",
                    ReadPropertiesChanged,
                    c =>
                    {
                        if (c.Property(BluezNames.GattCharacteristic, "Value", VariantValueType.Array) is VariantValue v && v.ItemType == VariantValueType.Byte)
                        {
                            _receiver.OnReceived(Peer, v.GetArray<byte>(), Mtu);
                        }
                    }).ConfigureAwait(false);
                await _adapter.CallAsync(_characteristic, BluezNames.GattCharacteristic, "StartNotify", timeout: _timeout).ConfigureAwait(false);
            }

            public async Task WriteAsync(byte[] value, bool withResponse = false)
            {
                if (value.Length > Mtu - BluezNames.AttHeaderLength)
                {
                    throw new ArgumentException("value of " + value.Length + " bytes exceeds the link payload of " + (Mtu - BluezNames.AttHeaderLength) + " (MTU " + Mtu + ")");
                }

                string type = withResponse ? "request" : "command";
                await _adapter.CallAsync(_characteristic, BluezNames.GattCharacteristic, "WriteValue", "aya{sv}", (ref MessageWriter w) =>
                {
                    w.WriteArray(value);
                    w.WriteDictionary(new[] { KeyValuePair.Create("type", VariantValue.String(type)) });
                }, _timeout).ConfigureAwait(false);
            }

            public async ValueTask DisposeAsync()
            {
                _notifications?.Dispose();
                try
                {
                    await _adapter.CallAsync(_characteristic, BluezNames.GattCharacteristic, "StopNotify", timeout: _timeout).ConfigureAwait(false);
                    await _adapter.CallAsync(Peer, BluezNames.Device, "Disconnect", timeout: _timeout).ConfigureAwait(false);
                }
                catch (Exception e) when (BusMessages.IsGone(e))
                {
                    // peer already gone
                }
            }
        }
    }
}
