namespace AetherEdge.Firmware.Beacon
{
    using AetherEdge.Core.Routing;

    /// <summary>
    /// Beacon sizing. Defaults fit an ESP32 without PSRAM: 3 connections × 1 slot × 2 directions × 8 KiB
    /// of transfer buffers, 4 queued packets and 1 reliable copy of 8 KiB.
    /// </summary>
    public sealed class BeaconConfig
    {
        /// <summary>Creates settings for beacon <paramref name="nodeId"/>.</summary>
        public BeaconConfig(uint nodeId, long allocationBytes)
        {
            NodeId = nodeId;
            AllocationBytes = allocationBytes;
        }

        /// <summary>Router node id.</summary>
        public uint NodeId { get; }

        /// <summary>SD-card bytes the owner gave the shard cache.</summary>
        public long AllocationBytes { get; }

        /// <summary>Simultaneous BLE connections.</summary>
        public int MaxNeighbours = 3;

        /// <summary>Transfers per connection and direction.</summary>
        public int SlotsPerLink = 1;

        /// <summary>Largest packet (routing header + shard envelope) the beacon relays.</summary>
        public int MaxPacketBytes = 8192;

        /// <summary>Transmit queue slots.</summary>
        public int QueueSlots = 4;

        /// <summary>Shards indexed in RAM.</summary>
        public int MaxCacheEntries = ShardCacheLimits.DefaultMaxEntries;

        /// <summary>Hop limit for packets the beacon originates.</summary>
        public int HopLimit = RoutingLimits.DefaultHopLimit;

        /// <summary>First packet id (persisted high-water mark).</summary>
        public uint FirstPacketId = 1;
    }
}
