using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Peers
{
    /// <summary>
    /// This device as plans and peers see it: its ID (fixed for the life of the home), name and kind,
    /// allocation (changed live by the settings page; the next plan and Hello use it), and its power state
    /// (refreshed every sync round).
    /// Used bytes are not kept here: they are the store's, and plans do not use them.
    /// </summary>
    public sealed class LocalDevice
    {
        private const int MaxHelloNameLength = 32;
        private BatteryStatus _battery = BatteryStatus.Mains;
        private long _allocationBytes;
        private volatile PowerSource _power = PowerSource.NotRead;

        public LocalDevice(DeviceId id, string name, DeviceKind kind, long allocationBytes)
        {
            Id = id;
            Name = name;
            Kind = kind;
            _allocationBytes = allocationBytes;
        }

        public DeviceId Id { get; }

        public string Name { get; }

        public DeviceKind Kind { get; }

        public long AllocationBytes => Interlocked.Read(ref _allocationBytes);

        /// <summary>Mains until a power source reports otherwise.</summary>
        public BatteryStatus Battery => Volatile.Read(ref _battery);

        /// <summary>Wired or Wi-Fi link up; nothing reports otherwise yet.</summary>
        public bool WifiConnected => true;

        public void SetBattery(BatteryStatus battery) => Volatile.Write(ref _battery, battery);

        /// <summary>Whether a battery answered at the last power read and where the reading came from.</summary>
        public PowerSource Power => _power;

        /// <summary>The power reading's status and source (the round's power refresh).</summary>
        public void SetPower(BatteryStatus battery, bool hasBattery, string source)
        {
            SetBattery(battery);
            _power = new PowerSource(hasBattery, source);
        }

        /// <summary>A new allocation (already validated and saved by the caller): plans and Hellos from now on use it.</summary>
        public void SetAllocation(long allocationBytes) => Interlocked.Exchange(ref _allocationBytes, allocationBytes);

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
                | (p.WifiOnly ? HelloFrame.FlagWifiOnly : 0)
                | (Power.HasBattery ? 0 : HelloFrame.FlagNoBattery);
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

    /// <summary>Where this device's power comes from: a battery (its percent is a charge) or not (mains, or nothing read).</summary>
    public sealed record PowerSource(bool HasBattery, string Source)
    {
        /// <summary>Before the first power read: mains assumed, no battery known.</summary>
        public static readonly PowerSource NotRead = new(false, "not read yet");
    }
}
