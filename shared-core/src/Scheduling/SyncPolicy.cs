namespace AetherEdge.Core.Scheduling
{
    using AetherEdge.Core.Devices;

    /// <summary>
    /// The seed's battery-aware sync rules (SyncScheduler.should_sync_now, sync_frequency,
    /// should_use_wifi_direct, the BLE battery check), extended to hubs and beacons.
    /// Pure functions of the profile and the time since the last sync.
    /// </summary>
    public static class SyncPolicy
    {
        /// <summary>Seed: a laptop on battery syncs only above 50 %.</summary>
        public const int LaptopBatteryThresholdPercent = 50;

        /// <summary>Seed: a phone on battery syncs only above 70 % (strictly; see <see cref="IsBatteryOk"/>).</summary>
        public const int MobileBatteryThresholdPercent = 70;

        /// <summary>A hub on its UPS keeps syncing down to this charge, then saves power for serving reads.</summary>
        public const int HubBatteryThresholdPercent = 20;

        /// <summary>A beacon off solar stops bulk sync at or below this charge (it keeps relaying control traffic).</summary>
        public const int BeaconBatteryThresholdPercent = 30;

        /// <summary>Seed: a phone waits at least 5 minutes between syncs.</summary>
        public const long MobileMinimumSpacingMilliseconds = 5 * 60 * 1000L;

        /// <summary>Seed: desktop every minute (hub too).</summary>
        public const long DesktopIntervalMilliseconds = 60 * 1000L;

        /// <summary>Seed: laptop plugged in every 5 minutes.</summary>
        public const long LaptopPluggedIntervalMilliseconds = 5 * 60 * 1000L;

        /// <summary>Seed: laptop on battery every 30 minutes.</summary>
        public const long LaptopBatteryIntervalMilliseconds = 30 * 60 * 1000L;

        /// <summary>Seed: phone plugged in every 10 minutes.</summary>
        public const long MobilePluggedIntervalMilliseconds = 10 * 60 * 1000L;

        /// <summary>Seed: phone above 70 % every hour.</summary>
        public const long MobileGoodBatteryIntervalMilliseconds = 60 * 60 * 1000L;

        /// <summary>Seed: phone otherwise every 2 hours.</summary>
        public const long MobileLowBatteryIntervalMilliseconds = 2 * 60 * 60 * 1000L;

        /// <summary>Beacon charging: every 10 minutes (like a plugged-in phone).</summary>
        public const long BeaconChargingIntervalMilliseconds = 10 * 60 * 1000L;

        /// <summary>Beacon on its LiPo: every 30 minutes (like a laptop on battery).</summary>
        public const long BeaconBatteryIntervalMilliseconds = 30 * 60 * 1000L;

        /// <summary>
        /// Whether a sync may start now. <paramref name="millisecondsSinceLastSync"/> is negative when
        /// the device never synced. Checks battery, then network, then spacing, and reports the first
        /// failing rule. Follows the seed's SyncScheduler: a Wi-Fi-only phone needs Wi-Fi AND battery;
        /// the seed's MeshNode.should_sync_to_peer ("wifi and (wifi_only or battery_ok)") would let a
        /// Wi-Fi-only phone at 10 % sync, contradicting its own scheduler, and is not followed.
        /// </summary>
        public static SyncDecision ShouldSyncNow(DeviceProfile device, long millisecondsSinceLastSync)
        {
            if (!IsBatteryOk(device))
            {
                return SyncDecision.SkippedBattery;
            }

            if (device.Kind == DeviceKind.Mobile && device.WifiOnly && !device.WifiConnected)
            {
                return SyncDecision.SkippedNetwork;
            }

            if (device.Kind == DeviceKind.Mobile
                && millisecondsSinceLastSync >= 0
                && millisecondsSinceLastSync <= MobileMinimumSpacingMilliseconds)
            {
                return SyncDecision.SkippedFrequency;
            }

            return SyncDecision.Allowed;
        }

        /// <summary>
        /// Battery rule per kind: desktop always; laptop plugged or above 50 %; phone plugged or above
        /// 70 %; hub plugged or above 20 %; beacon charging or above 30 %.
        /// </summary>
        public static bool IsBatteryOk(DeviceProfile device)
        {
            BatteryStatus b = device.Battery;
            switch (device.Kind)
            {
                case DeviceKind.Desktop:
                    return true;
                case DeviceKind.Laptop:
                    return b.PluggedIn || b.Percent > LaptopBatteryThresholdPercent;
                case DeviceKind.Mobile:
                    return b.PluggedIn || b.Percent > MobileBatteryThresholdPercent;
                case DeviceKind.Hub:
                    return b.PluggedIn || b.Percent > HubBatteryThresholdPercent;
                default:
                    return b.PluggedIn || b.Percent > BeaconBatteryThresholdPercent;
            }
        }

        /// <summary>How often the device syncs (seed's sync_frequency; hub like desktop; beacon ours).</summary>
        public static long SyncIntervalMilliseconds(DeviceProfile device)
        {
            BatteryStatus b = device.Battery;
            switch (device.Kind)
            {
                case DeviceKind.Desktop:
                case DeviceKind.Hub:
                    return DesktopIntervalMilliseconds;
                case DeviceKind.Laptop:
                    return b.PluggedIn ? LaptopPluggedIntervalMilliseconds : LaptopBatteryIntervalMilliseconds;
                case DeviceKind.Mobile:
                    if (b.PluggedIn)
                    {
                        return MobilePluggedIntervalMilliseconds;
                    }

                    return b.Percent > MobileBatteryThresholdPercent
                        ? MobileGoodBatteryIntervalMilliseconds
                        : MobileLowBatteryIntervalMilliseconds;
                default:
                    return b.PluggedIn ? BeaconChargingIntervalMilliseconds : BeaconBatteryIntervalMilliseconds;
            }
        }

        /// <summary>
        /// Whether a transport may be used now. LAN needs a Wi-Fi/LAN link (and the battery rule);
        /// Wi-Fi Direct: desktop/hub always, laptop plugged or above 50 %, phone only plugged in (seed);
        /// BLE: phone plugged or above 70 % (seed's BLE check, with the scheduler's strict "above"), others
        /// by their battery rule. Returns the reason when not.
        /// </summary>
        public static SyncDecision TransportDecision(DeviceProfile device, SyncTransport transport)
        {
            BatteryStatus b = device.Battery;
            switch (transport)
            {
                case SyncTransport.WifiDirect:
                    switch (device.Kind)
                    {
                        case DeviceKind.Desktop:
                        case DeviceKind.Hub:
                            return SyncDecision.Allowed;
                        case DeviceKind.Laptop:
                            return b.PluggedIn || b.Percent > LaptopBatteryThresholdPercent
                                ? SyncDecision.Allowed
                                : SyncDecision.SkippedBattery;
                        case DeviceKind.Mobile:
                            return b.PluggedIn ? SyncDecision.Allowed : SyncDecision.SkippedBattery;
                        default:
                            // ESP32 beacons have no Wi-Fi Direct stack in nanoFramework.
                            return SyncDecision.SkippedNetwork;
                    }

                case SyncTransport.Bluetooth:
                    return IsBatteryOk(device) ? SyncDecision.Allowed : SyncDecision.SkippedBattery;

                default:
                    if (!IsBatteryOk(device))
                    {
                        return SyncDecision.SkippedBattery;
                    }

                    if (device.Kind == DeviceKind.Beacon)
                    {
                        return SyncDecision.SkippedNetwork;
                    }

                    bool linkUp = device.WifiConnected || device.Kind == DeviceKind.Desktop || device.Kind == DeviceKind.Hub;
                    return linkUp ? SyncDecision.Allowed : SyncDecision.SkippedNetwork;
            }
        }
    }
}
