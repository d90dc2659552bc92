namespace AetherEdge.Firmware.Beacon
{
    using AetherEdge.Core.Devices;
    using AetherEdge.Core.Routing;
    using AetherEdge.Core.Scheduling;

    /// <summary>
    /// The beacon's battery rule (the seed's sync rules cover laptops and phones only). A beacon on its
    /// LiPo at or below <see cref="SyncPolicy.BeaconBatteryThresholdPercent"/> (30 %) stops relaying and
    /// caching bulk packets (shards: radio-on time and SD writes grow with bytes) but keeps relaying
    /// control traffic (acks, small non-bulk packets), so other nodes' reliable delivery and route
    /// learning through it keep working and it can still advertise. Bulk resumes at
    /// <see cref="ResumeBulkPercent"/> (hysteresis, so a beacon near 30 % does not flap) or as soon as
    /// it is charging. The advertisement's accepts-bulk flag tells phones to pick another beacon.
    /// </summary>
    public sealed class BeaconPowerPolicy : IRelayPolicy
    {
        /// <summary>Charge at which bulk work resumes after a stop.</summary>
        public const int ResumeBulkPercent = SyncPolicy.BeaconBatteryThresholdPercent + 10;

        /// <summary>True while the beacon relays and caches bulk data.</summary>
        public bool AcceptsBulk { get; private set; } = true;

        /// <summary>Last reported charge.</summary>
        public BatteryStatus Battery { get; private set; } = BatteryStatus.Mains;

        /// <summary>Applies a new fuel-gauge reading.</summary>
        public void Update(BatteryStatus battery)
        {
            Battery = battery;
            if (battery.PluggedIn)
            {
                AcceptsBulk = true;
            }
            else if (battery.Percent <= SyncPolicy.BeaconBatteryThresholdPercent)
            {
                AcceptsBulk = false;
            }
            else if (battery.Percent >= ResumeBulkPercent)
            {
                AcceptsBulk = true;
            }
        }

        /// <inheritdoc/>
        public bool MayRelay(PacketHeader header)
        {
            return !header.Bulk || AcceptsBulk;
        }
    }
}
