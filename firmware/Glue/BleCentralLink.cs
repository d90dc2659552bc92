namespace AetherEdge.Firmware.Glue
{
    using System;
    using AetherEdge.Core.Gatt;
    using AetherEdge.Firmware.Beacon;
    using nanoFramework.Device.Bluetooth;
    using nanoFramework.Device.Bluetooth.GenericAttributeProfile;
    using Buffer = nanoFramework.Device.Bluetooth.Buffer;

    /// <summary>
    /// This beacon as a central of another beacon (relaying toward the hub): writes frames to the peer's
    /// shard characteristic without response and receives its acks as notifications. The client API
    /// exposes no negotiated MTU, so writes assume <see cref="AssumedMtu"/> (ESP32 peers with DLE).
    /// </summary>
    public sealed class BleCentralLink : IGattLink
    {
        /// <summary>ATT MTU assumed towards another ESP32 beacon (DLE: 251-byte PDU, 247 ATT MTU).</summary>
        public const int AssumedMtu = 247;

        private readonly BeaconNode _node;
        private readonly object _gate;
        private readonly uint _temporaryId;
        private readonly GattCharacteristic _characteristic;
        private readonly byte[] _out = new byte[GattLimits.AttPayloadForMtu(GattLimits.MaxAttMtu)];
        private readonly byte[] _in = new byte[GattLimits.AttPayloadForMtu(GattLimits.MaxAttMtu)];
        private readonly Buffer _buffer;

        private BleCentralLink(BeaconNode node, object gate, uint temporaryId, GattCharacteristic characteristic)
        {
            _node = node;
            _gate = gate;
            _temporaryId = temporaryId;
            _characteristic = characteristic;
            _buffer = new Buffer(_out);
        }

        /// <inheritdoc/>
        public int MaxWriteLength
        {
            get { return GattLimits.AttPayloadForMtu(AssumedMtu); }
        }

        /// <summary>
        /// Connects to the beacon at <paramref name="address"/>, subscribes to its shard characteristic and
        /// registers the connection with the node (re-keyed by the peer's hello). Null when the peer lacks the service.
        /// </summary>
        public static BleCentralLink? Connect(BeaconNode node, object gate, ulong address, uint temporaryId, int linkQuality)
        {
            BluetoothLEDevice device = BluetoothLEDevice.FromBluetoothAddress(address);
            GattDeviceServicesResult services = device.GetGattServicesForUuid(new Guid(GattUuids.Service));
            if (services.Status != GattCommunicationStatus.Success || services.Services.Length == 0)
            {
                device.Dispose();
                return null;
            }

            GattCharacteristicsResult characteristics = services.Services[0].GetCharacteristicsForUuid(new Guid(GattUuids.ShardCharacteristic));
            if (characteristics.Status != GattCommunicationStatus.Success || characteristics.Characteristics.Length == 0)
            {
                device.Dispose();
                return null;
            }

            BleCentralLink link = new BleCentralLink(node, gate, temporaryId, characteristics.Characteristics[0]);
            link._characteristic.ValueChanged += link.OnNotification;
            GattWriteResult subscribed = link._characteristic.WriteClientCharacteristicConfigurationDescriptorWithResult(
                GattClientCharacteristicConfigurationDescriptorValue.Notify, GattWriteOption.WriteWithResponse);
            if (subscribed.Status != GattCommunicationStatus.Success)
            {
                device.Dispose();
                return null;
            }

            device.ConnectionStatusChanged += (sender, args) =>
            {
                if (device.ConnectionStatus == BluetoothConnectionStatus.Disconnected)
                {
                    lock (gate)
                    {
                        node.Links.RemoveNeighbour(temporaryId);
                    }
                }
            };

            lock (gate)
            {
                node.Links.AddUnidentifiedNeighbour(temporaryId, link, linkQuality);
                node.Router.TrySendHello(Environment.TickCount64);
            }

            return link;
        }

        /// <inheritdoc/>
        public bool TryWrite(byte[] buffer, int offset, int length)
        {
            Array.Copy(buffer, offset, _out, 0, length);
            _buffer.Length = (uint)length;
            return _characteristic.WriteValueWithResult(_buffer, GattWriteOption.WriteWithoutResponse).Status == GattCommunicationStatus.Success;
        }

        private void OnNotification(GattCharacteristic sender, GattValueChangedEventArgs args)
        {
            Buffer value = args.CharacteristicValue;
            int length = (int)value.Length;
            if (length > _in.Length)
            {
                return;
            }

            DataReader reader = DataReader.FromBuffer(value);
            lock (_gate)
            {
                for (int i = 0; i < length; i++)
                {
                    _in[i] = reader.ReadByte();
                }

                _node.Links.OnValue(_temporaryId, _in, 0, length, Environment.TickCount64);
            }
        }
    }
}
