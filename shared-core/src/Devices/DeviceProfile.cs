namespace AetherEdge.Core.Devices
{
    /// <summary>
    /// Everything the planner and scheduler know about one node: identity, kind, the quota its
    /// owner set, what it already stores, and its power and network state.
    /// </summary>
    public sealed class DeviceProfile
    {
        /// <summary>Creates a profile. Sizes are bytes.</summary>
        public DeviceProfile(
            string id,
            DeviceKind kind,
            long allocationBytes,
            long usedBytes,
            bool alwaysOn,
            BatteryStatus battery,
            bool wifiOnly,
            bool wifiConnected)
        {
            Id = id;
            Kind = kind;
            AllocationBytes = allocationBytes;
            UsedBytes = usedBytes;
            AlwaysOn = alwaysOn;
            Battery = battery;
            WifiOnly = wifiOnly;
            WifiConnected = wifiConnected;
        }

        /// <summary>Stable node identifier (device ID or instance name).</summary>
        public string Id { get; }

        /// <summary>The kind of device.</summary>
        public DeviceKind Kind { get; }

        /// <summary>The quota its owner set for AetherEdge shards.</summary>
        public long AllocationBytes { get; }

        /// <summary>Bytes of shards it already stores.</summary>
        public long UsedBytes { get; }

        /// <summary>True when the device runs 24/7.</summary>
        public bool AlwaysOn { get; }

        /// <summary>Power state.</summary>
        public BatteryStatus Battery { get; }

        /// <summary>True when the owner forbids syncing over cellular data.</summary>
        public bool WifiOnly { get; }

        /// <summary>True when a Wi-Fi (or wired LAN) link is up.</summary>
        public bool WifiConnected { get; }

        /// <summary>Quota left: allocation minus used, never negative.</summary>
        public long AvailableBytes
        {
            get
            {
                long free = AllocationBytes - UsedBytes;
                return free < 0 ? 0 : free;
            }
        }
    }
}
