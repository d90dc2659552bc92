namespace AetherEdge.Firmware.Beacon
{
    using AetherEdge.Core.Abstractions;
    using AetherEdge.Core.Devices;
    using AetherEdge.Core.Gatt;
    using AetherEdge.Core.Protocol;
    using AetherEdge.Core.Relay;
    using AetherEdge.Core.Routing;
    using AetherEdge.Core.Sealing;

    /// <summary>
    /// The beacon's logic, hardware-free: BLE connections (<see cref="GattMeshLinks"/>) feed the router
    /// (<see cref="ReliableRouter"/>, point-to-point links so no overhearing); every bulk shard envelope
    /// that arrives — relayed or addressed to the beacon — is also kept in the SD-card
    /// <see cref="ShardCache"/> (store-and-forward copy) while the battery rule allows bulk work; the
    /// advertisement reports kind, allocation, battery (or no battery) and the bulk flag. The firmware glue calls
    /// <see cref="Step"/> from one thread and forwards GATT writes to <see cref="Links"/>.
    /// </summary>
    public sealed class BeaconNode : IRoutingListener, IPacketObserver
    {
        private readonly PacketHeader _header = new PacketHeader();
        private readonly BeaconConfig _config;

        /// <summary>Builds the node; mounts the cache (crash recovery happens here).</summary>
        public BeaconNode(BeaconConfig config, IFileStorage storage, IRandomSource random)
        {
            _config = config;
            Power = new BeaconPowerPolicy();
            Cache = new ShardCache(storage, config.AllocationBytes, config.MaxCacheEntries);
            Cache.Mount();
            Links = new GattMeshLinks(config.MaxNeighbours, config.SlotsPerLink, config.MaxPacketBytes);
            RouterConfig rc = new RouterConfig(config.NodeId);
            rc.HopLimit = config.HopLimit;
            rc.MaxPacketBytes = config.MaxPacketBytes;
            rc.QueueSlots = config.QueueSlots;
            rc.PendingSlots = 1;
            rc.FirstPacketId = config.FirstPacketId;
            rc.OverhearsNeighbours = false;
            rc.RelayPolicy = Power;
            Router = new ReliableRouter(rc, Links, this, random);
            Links.Attach(Router);
            Links.Observer = this;
        }

        /// <summary>BLE connections.</summary>
        public GattMeshLinks Links { get; }

        /// <summary>Routing.</summary>
        public ReliableRouter Router { get; }

        /// <summary>SD-card cache.</summary>
        public ShardCache Cache { get; }

        /// <summary>Battery rule.</summary>
        public BeaconPowerPolicy Power { get; }

        /// <summary>Shards written to the cache.</summary>
        public long ShardsCached { get; private set; }

        /// <summary>Shards not cached because the battery rule stopped bulk work.</summary>
        public long ShardsSkippedForBattery { get; private set; }

        /// <summary>Cache writes that failed (card error, full index).</summary>
        public long StorageErrors { get; private set; }

        /// <summary>True once a fuel-gauge reading was applied and no later report said the beacon has no cell.</summary>
        public bool HasBattery { get; private set; }

        /// <summary>Applies a fuel-gauge reading (the beacon runs on its cell).</summary>
        public void UpdateBattery(BatteryStatus battery)
        {
            HasBattery = true;
            Power.Update(battery);
        }

        /// <summary>No cell fitted (the gauge does not answer): mains power, advertised as "no battery", not 100 %.</summary>
        public void UpdateNoBattery()
        {
            HasBattery = false;
            Power.Update(BatteryStatus.Mains);
        }

        /// <summary>Writes the scan-response manufacturer data.</summary>
        public bool TryWriteAdvertisement(byte[] destination, int offset, out int written)
        {
            BeaconAdvertisement ad = new BeaconAdvertisement();
            ad.Kind = DeviceKind.Beacon;
            ad.NodeId = _config.NodeId;
            ad.AllocationBytes = _config.AllocationBytes;
            ad.BatteryPercent = Power.Battery.Percent;
            ad.PluggedIn = Power.Battery.PluggedIn;
            ad.AcceptsBulk = Power.AcceptsBulk;
            ad.NoBattery = !HasBattery;
            return ad.TryWrite(destination, offset, out written);
        }

        /// <summary>Drives transfers and routing.</summary>
        public void Step(long nowMs)
        {
            Links.Step(nowMs);
            Router.Step(nowMs);
        }

        /// <inheritdoc/>
        public void OnPacket(uint fromNeighbour, byte[] buffer, int offset, int length, long nowMs)
        {
            try
            {
                PacketHeaderCodec.Parse(buffer, offset, length, _header);
            }
            catch (ProtocolViolationException)
            {
                return; // the router counts it
            }

            if (_header.Bulk)
            {
                int payload = offset + RoutingLimits.HeaderBytes;
                int payloadLength = _header.PayloadLength;
                if (payloadLength > SealedFrame.OverheadBytes && buffer[payload] == MeshPayloadKind.Sealed)
                {
                    // A trusted device's sealed frame: the beacon has no key to check the tag, but the shard
                    // envelope inside is ciphertext it may cache; the receiver checks tag and content id.
                    payload += SealedFrame.HeaderBytes;
                    payloadLength -= SealedFrame.OverheadBytes;
                }

                Keep(buffer, payload, payloadLength);
            }
        }

        /// <inheritdoc/>
        public void OnDelivered(PacketHeader header, byte[] buffer, int payloadOffset, int payloadLength)
        {
            // Bulk packets were cached by OnPacket already; nothing else is addressed to a beacon yet.
        }

        /// <inheritdoc/>
        public void OnDeliveryConfirmed(uint packetId)
        {
        }

        /// <inheritdoc/>
        public void OnDeliveryFailed(uint packetId)
        {
        }

        private void Keep(byte[] buffer, int offset, int length)
        {
            if (!ShardEnvelope.IsShard(buffer, offset, length))
            {
                return;
            }

            if (!Power.AcceptsBulk)
            {
                ShardsSkippedForBattery++;
                return;
            }

            int shardOffset = offset + ShardEnvelope.HeaderBytes;
            int shardLength = length - ShardEnvelope.HeaderBytes;
            if (Cache.Contains(buffer, offset + 1))
            {
                return;
            }

            try
            {
                if (Cache.TryPut(buffer, offset + 1, buffer, shardOffset, shardLength))
                {
                    ShardsCached++;
                }
            }
            catch (System.Exception)
            {
                // A failing card must not stop relaying; the journal keeps the cache consistent.
                StorageErrors++;
            }
        }
    }
}
