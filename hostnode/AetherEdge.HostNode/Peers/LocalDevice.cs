using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Peers
{
    /// <summary>
    /// This device as plans and peers see it: its ID (fixed for the life of the home), name, kind and
    /// allocation (fixed for the life of the process), and its power state (refreshed every sync round).
    /// Used bytes are not kept here: they are the store's, and plans do not use them.
    /// </summary>
    public sealed class LocalDevice
    {
        private const int MaxHelloNameLength = 32;
        private BatteryStatus _battery = BatteryStatus.Mains;

        public LocalDevice(DeviceId id, string name, DeviceKind kind, long allocationBytes)
        {
            Id = id;
            Name = name;
            Kind = kind;
            AllocationBytes = allocationBytes;
        }

        public DeviceId Id { get; }

        public string Name { get; }

        public DeviceKind Kind { get; }

        public long AllocationBytes { get; }

        /// <summary>Mains until a power source reports otherwise.</summary>
        public BatteryStatus Battery => Volatile.Read(ref _battery);

        /// <summary>Wired or Wi-Fi link up; nothing reports otherwise yet.</summary>
        public bool WifiConnected => true;

        public void SetBattery(BatteryStatus battery) => Volatile.Write(ref _battery, battery);

        /// <summary>The profile with the store's current usage (scheduler, Hello, metrics).</summary>
        public DeviceProfile Profile(long usedBytes) => ProfileFor(Id.Text, Kind, AllocationBytes, usedBytes, Battery, WifiConnected);

        /// <summary>The profile a plan uses: usage 0 (see PlacementOracle.ForPlanning); costs no store lookup.</summary>
        public DeviceProfile PlanningProfile() => Profile(0);

        /// <summary>The Hello this device opens every session with.</summary>
        public HelloFrame Hello(long usedBytes)
        {
            var p = Profile(usedBytes);
            int flags = (p.Battery.PluggedIn ? HelloFrame.FlagPluggedIn : 0)
                | (p.WifiConnected ? HelloFrame.FlagWifiConnected : 0)
                | (p.AlwaysOn ? HelloFrame.FlagAlwaysOn : 0)
                | (p.WifiOnly ? HelloFrame.FlagWifiOnly : 0);
            string name = Name.Length > MaxHelloNameLength ? Name.Substring(0, MaxHelloNameLength) : Name;
            return new HelloFrame(SyncLimits.ProtocolVersion, (int)p.Kind, p.AllocationBytes, p.UsedBytes, p.Battery.Percent, flags, name);
        }

        /// <summary>How a node describes itself: hubs and desktops are always on; phones sync on Wi-Fi only.</summary>
        public static DeviceProfile ProfileFor(string id, DeviceKind kind, long allocationBytes, long usedBytes, BatteryStatus battery, bool wifiConnected) => new(
            id,
            kind,
            allocationBytes,
            usedBytes,
            kind is DeviceKind.Hub or DeviceKind.Desktop,
            battery,
            kind == DeviceKind.Mobile,
            wifiConnected);
    }
}
