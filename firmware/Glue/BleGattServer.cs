namespace AetherEdge.Firmware.Glue
{
    using System;
    using AetherEdge.Core.Gatt;
    using AetherEdge.Firmware.Beacon;
    using nanoFramework.Device.Bluetooth;
    using nanoFramework.Device.Bluetooth.Advertisement;
    using nanoFramework.Device.Bluetooth.GenericAttributeProfile;
    using Buffer = nanoFramework.Device.Bluetooth.Buffer;

    /// <summary>
    /// The beacon's GATT server (nanoFramework.Device.Bluetooth): the seed's service with the shard
    /// characteristic (write, write-without-response, notify). A central's writes go to
    /// <see cref="GattMeshLinks.OnValue"/>; frames for it go out as notifications. A connection starts
    /// unidentified (temporary id 0x80000000 + BLE connection id) and is re-keyed by the peer's hello.
    /// Events arrive on the BLE thread, so every call into the node holds <see cref="Gate"/>.
    /// </summary>
    public sealed class BleGattServer
    {
        /// <summary>Base of temporary neighbour ids for connections whose node id is not known yet.</summary>
        public const uint TemporaryIdBase = 0x80000000;

        /// <summary>Quality assumed for a central (the server API reports no RSSI).</summary>
        public const int DefaultLinkQuality = 128;

        private readonly BeaconNode _node;
        private readonly byte[] _in = new byte[GattLimits.AttPayloadForMtu(GattLimits.MaxAttMtu)];
        private readonly byte[] _advertisement = new byte[BeaconAdvertisement.Length];
        private GattServiceProvider? _provider;
        private GattLocalCharacteristic? _shard;

        /// <summary>Creates the server for <paramref name="node"/>; <paramref name="gate"/> serializes node access.</summary>
        public BleGattServer(BeaconNode node, object gate)
        {
            _node = node;
            Gate = gate;
        }

        /// <summary>Lock held around every call into the node.</summary>
        public object Gate { get; }

        /// <summary>Creates the service and characteristic and starts connectable advertising.</summary>
        public bool Start(string deviceName)
        {
            BluetoothLEServer.Instance.DeviceName = deviceName;
            GattServiceProviderResult result = GattServiceProvider.Create(new Guid(GattUuids.Service));
            if (result.Error != BluetoothError.Success)
            {
                return false;
            }

            _provider = result.ServiceProvider;
            GattLocalCharacteristicParameters parameters = new GattLocalCharacteristicParameters();
            parameters.CharacteristicProperties = GattCharacteristicProperties.Write
                | GattCharacteristicProperties.WriteWithoutResponse
                | GattCharacteristicProperties.Notify;
            parameters.UserDescription = "AetherEdge shard transfer";
            GattLocalCharacteristicResult created = _provider.Service.CreateCharacteristic(new Guid(GattUuids.ShardCharacteristic), parameters);
            if (created.Error != BluetoothError.Success)
            {
                return false;
            }

            _shard = created.Characteristic;
            _shard.WriteRequested += OnWriteRequested;
            Advertise();
            return true;
        }

        /// <summary>Restarts advertising with fresh metadata (battery, bulk flag); call after a battery change.</summary>
        public void Advertise()
        {
            if (_provider == null)
            {
                return;
            }

            int written;
            lock (Gate)
            {
                _node.TryWriteAdvertisement(_advertisement, 0, out written);
            }

            // Our codec starts with the company id; the API takes it separately.
            byte[] data = new byte[written - 2];
            Array.Copy(_advertisement, 2, data, 0, data.Length);
            // The parameters own their advertisement (no setter); its manufacturer data is merged into the payload.
            GattServiceProviderAdvertisingParameters parameters = new GattServiceProviderAdvertisingParameters();
            parameters.IsConnectable = true;
            parameters.IsDiscoverable = true;
            parameters.Advertisement.ManufacturerData.Add(new BluetoothLEManufacturerData((ushort)BeaconAdvertisement.CompanyId, new Buffer(data)));
            _provider.StopAdvertising();
            _provider.StartAdvertising(parameters);
        }

        private void OnWriteRequested(GattLocalCharacteristic sender, GattWriteRequestedEventArgs args)
        {
            GattWriteRequest request = args.GetRequest();
            Buffer value = request.Value;
            int length = (int)value.Length;
            if (length > _in.Length || request.Offset != 0)
            {
                request.RespondWithProtocolError((byte)GattProtocolError.InvalidAttributeValueLength);
                return;
            }

            DataReader reader = DataReader.FromBuffer(value);
            lock (Gate)
            {
                for (int i = 0; i < length; i++)
                {
                    _in[i] = reader.ReadByte();
                }

                GattSession session = args.Session;
                uint temporaryId = TemporaryIdBase + (uint)session.DeviceId.Id;
                long now = Environment.TickCount64;
                if (_node.Links.EndpointOf(temporaryId) == null && _node.Links.IdentityOf(temporaryId) == 0)
                {
                    Connect(session, temporaryId, now);
                }

                _node.Links.OnValue(temporaryId, _in, 0, length, now);
            }

            if (request.Option == GattWriteOption.WriteWithResponse)
            {
                request.Respond();
            }
        }

        private void Connect(GattSession session, uint temporaryId, long now)
        {
            NotifyLink link = new NotifyLink(_shard!, session);
            _node.Links.AddUnidentifiedNeighbour(temporaryId, link, DefaultLinkQuality);
            _node.Router.TrySendHello(now);
            session.SessionStatusChanged += (sender, status) =>
            {
                if (status.Status == GattSessionStatus.Closed)
                {
                    lock (Gate)
                    {
                        _node.Links.RemoveNeighbour(temporaryId);
                    }
                }
            };
        }

        /// <summary>Frames to a central, as notifications on the shard characteristic.</summary>
        private sealed class NotifyLink : IGattLink
        {
            private readonly GattLocalCharacteristic _characteristic;
            private readonly GattSession _session;
            private readonly byte[] _out = new byte[GattLimits.AttPayloadForMtu(GattLimits.MaxAttMtu)];
            private readonly Buffer _buffer;

            public NotifyLink(GattLocalCharacteristic characteristic, GattSession session)
            {
                _characteristic = characteristic;
                _session = session;
                _buffer = new Buffer(_out);
            }

            public int MaxWriteLength
            {
                get
                {
                    int mtu = _session.MaxMtuSize;
                    mtu = mtu < GattLimits.MinAttMtu ? GattLimits.MinAttMtu : (mtu > GattLimits.MaxAttMtu ? GattLimits.MaxAttMtu : mtu);
                    return GattLimits.AttPayloadForMtu(mtu);
                }
            }

            public bool TryWrite(byte[] buffer, int offset, int length)
            {
                GattSubscribedClient[] clients = _characteristic.SubscribedClients;
                for (int i = 0; i < clients.Length; i++)
                {
                    if (clients[i].Session.DeviceId.Id == _session.DeviceId.Id)
                    {
                        Array.Copy(buffer, offset, _out, 0, length);
                        _buffer.Length = (uint)length;
                        return _characteristic.NotifyValue(_buffer, clients[i]).Status == GattCommunicationStatus.Success;
                    }
                }

                return false; // not subscribed yet: the transfer layer retries
            }
        }
    }
}
