using AetherEdge.Core.Devices;

namespace AetherEdge.Core.Tests.Allocation
{
    /// <summary>Profiles from the seed's examples and helpers to build others.</summary>
    internal static class Devices
    {
        public const long MB = 1_000_000;
        public const long GB = 1_000_000_000;

        public static DeviceProfile Desktop(string id = "desktop", long allocation = 10 * GB, long used = 0) =>
            new(id, DeviceKind.Desktop, allocation, used, alwaysOn: true, BatteryStatus.Mains, wifiOnly: false, wifiConnected: true);

        public static DeviceProfile Laptop(string id = "laptop", long allocation = 5 * GB, int battery = 60, bool plugged = false) =>
            new(id, DeviceKind.Laptop, allocation, 0, alwaysOn: false, new BatteryStatus(battery, plugged), wifiOnly: false, wifiConnected: true);

        public static DeviceProfile Phone(string id = "mobile", long allocation = 100 * MB, int battery = 80, bool plugged = false, bool wifiOnly = true, bool wifi = true) =>
            new(id, DeviceKind.Mobile, allocation, 0, alwaysOn: false, new BatteryStatus(battery, plugged), wifiOnly, wifi);

        public static DeviceProfile Hub(string id, long allocation = 100 * GB, long used = 0) =>
            new(id, DeviceKind.Hub, allocation, used, alwaysOn: true, BatteryStatus.Mains, wifiOnly: false, wifiConnected: true);

        public static DeviceProfile Beacon(string id, long allocation = 256 * MB, int battery = 90, bool charging = true) =>
            new(id, DeviceKind.Beacon, allocation, 0, alwaysOn: true, new BatteryStatus(battery, charging), wifiOnly: false, wifiConnected: false);

        /// <summary>The seed's "Example Distribution": 10 GB desktop, 5 GB laptop at 60 %, 100 MB phone at 80 % on Wi-Fi.</summary>
        public static DeviceProfile[] SeedExample() => new[] { Desktop(), Laptop(), Phone() };
    }
}
