namespace AetherEdge.Core.Allocation
{
    using AetherEdge.Core.Devices;

    /// <summary>
    /// The seed's node score: capacity (0-40), availability (0-30), battery (0-20), network (0-10).
    /// Desktop, laptop and mobile use the seed's numbers; hub and beacon values are ours.
    /// </summary>
    public static class NodeScorer
    {
        /// <summary>Most points the capacity factor gives.</summary>
        public const double MaxCapacityPoints = 40;

        /// <summary>Allocation that earns full capacity points (seed: 10 GB).</summary>
        public const long FullCapacityBytes = 10 * StorageAllocation.Gigabyte;

        /// <summary>Most points the availability factor gives.</summary>
        public const double MaxAvailabilityPoints = 30;

        /// <summary>Most points the battery factor gives.</summary>
        public const double MaxBatteryPoints = 20;

        /// <summary>Most points the network factor gives.</summary>
        public const double MaxNetworkPoints = 10;

        /// <summary>Seed: a laptop on battery scores only above this charge.</summary>
        public const int LaptopBatteryThresholdPercent = 50;

        /// <summary>Seed: a phone on battery scores only above this charge.</summary>
        public const int MobileBatteryThresholdPercent = 70;

        /// <summary>A hub on its UPS or a beacon off solar scores only above this charge.</summary>
        public const int BackupBatteryThresholdPercent = 50;

        /// <summary>Scores one device.</summary>
        public static NodeScore Score(DeviceProfile device)
        {
            return new NodeScore(CapacityPoints(device), AvailabilityPoints(device), BatteryPoints(device), NetworkPoints(device));
        }

        /// <summary>Seed: (allocated GB / 10 × 40), at most 40; linear in the allocation.</summary>
        public static double CapacityPoints(DeviceProfile device)
        {
            if (device.AllocationBytes <= 0)
            {
                return 0;
            }

            double points = (double)device.AllocationBytes / FullCapacityBytes * MaxCapacityPoints;
            return points > MaxCapacityPoints ? MaxCapacityPoints : points;
        }

        /// <summary>Seed: always-on desktop 30, other desktop 20, laptop 15, mobile 5; hub like a desktop; beacon 20.</summary>
        public static double AvailabilityPoints(DeviceProfile device)
        {
            switch (device.Kind)
            {
                case DeviceKind.Desktop:
                case DeviceKind.Hub:
                    return device.AlwaysOn ? 30 : 20;
                case DeviceKind.Laptop:
                    return 15;
                case DeviceKind.Mobile:
                    return 5;
                default:
                    // Always powered but browns out when its solar/LiPo budget runs dry.
                    return 20;
            }
        }

        /// <summary>
        /// Seed: desktop 20; laptop 20 plugged, 10 above 50 %, else 0; mobile 15 plugged, 5 above 70 %,
        /// else 0. Hub: 20 on mains, 10 on a UPS above 50 %, else 0. Beacon: 15 charging, 10 above 50 %, else 0.
        /// </summary>
        public static double BatteryPoints(DeviceProfile device)
        {
            BatteryStatus b = device.Battery;
            switch (device.Kind)
            {
                case DeviceKind.Desktop:
                    return 20;
                case DeviceKind.Laptop:
                    return b.PluggedIn ? 20 : (b.Percent > LaptopBatteryThresholdPercent ? 10 : 0);
                case DeviceKind.Mobile:
                    return b.PluggedIn ? 15 : (b.Percent > MobileBatteryThresholdPercent ? 5 : 0);
                case DeviceKind.Hub:
                    return b.PluggedIn ? 20 : (b.Percent > BackupBatteryThresholdPercent ? 10 : 0);
                default:
                    return b.PluggedIn ? 15 : (b.Percent > BackupBatteryThresholdPercent ? 10 : 0);
            }
        }

        /// <summary>
        /// Seed: desktop 10, laptop 8; mobile 6 on Wi-Fi when Wi-Fi-only, 4 when cellular is allowed,
        /// 0 when Wi-Fi-only without Wi-Fi. Hub 10 (wired/Wi-Fi); beacon 2 (BLE only, ~100 kB/s at best).
        /// </summary>
        public static double NetworkPoints(DeviceProfile device)
        {
            switch (device.Kind)
            {
                case DeviceKind.Desktop:
                case DeviceKind.Hub:
                    return 10;
                case DeviceKind.Laptop:
                    return 8;
                case DeviceKind.Mobile:
                    if (device.WifiOnly)
                    {
                        return device.WifiConnected ? 6 : 0;
                    }

                    return 4;
                default:
                    return 2;
            }
        }
    }
}
