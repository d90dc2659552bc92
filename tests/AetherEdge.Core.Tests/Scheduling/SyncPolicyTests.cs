using AetherEdge.Core.Devices;
using AetherEdge.Core.Scheduling;
using static AetherEdge.Core.Tests.Allocation.Devices;

namespace AetherEdge.Core.Tests.Scheduling
{
    public class SyncPolicyTests
    {
        private const long Minute = 60_000;

        [Fact]
        public void ShouldSyncNow_Desktop_AlwaysAllowed() =>
            Assert.Equal(SyncDecision.Allowed, SyncPolicy.ShouldSyncNow(Desktop(), 1));

        [Theory]
        [InlineData(60, false, SyncDecision.Allowed)]
        [InlineData(50, false, SyncDecision.SkippedBattery)]
        [InlineData(5, true, SyncDecision.Allowed)]
        public void ShouldSyncNow_Laptop_PluggedOrAbove50(int percent, bool plugged, SyncDecision expected) =>
            Assert.Equal(expected, SyncPolicy.ShouldSyncNow(Laptop(battery: percent, plugged: plugged), -1));

        [Fact]
        public void ShouldSyncNow_SeedTestMobileAt50_SkipsForBatteryThenAt80Allowed()
        {
            // The seed's test_battery_aware_sync: 50 % unplugged must not sync, 80 % must (its last_sync was
            // "now", which its own 5-minute rule would also refuse: we start from "never synced").
            Assert.Equal(SyncDecision.SkippedBattery, SyncPolicy.ShouldSyncNow(Phone(battery: 50), -1));
            Assert.Equal(SyncDecision.Allowed, SyncPolicy.ShouldSyncNow(Phone(battery: 80), -1));
        }

        [Fact]
        public void ShouldSyncNow_MobileWifiOnlyLowBatteryOnWifi_SkipsDespiteSeedPeerCheckAllowingIt()
        {
            // Seed MeshNode.should_sync_to_peer: wifi && (wifi_only || battery_ok) lets this phone sync at 10 %.
            Assert.Equal(SyncDecision.SkippedBattery, SyncPolicy.ShouldSyncNow(Phone(battery: 10, wifiOnly: true, wifi: true), -1));
        }

        [Fact]
        public void ShouldSyncNow_MobileAtExactly70_SkipsBecauseTheSchedulerSaysAbove70WhereTheSeedsBleCheckLetsExactly70Through()
        {
            Assert.Equal(SyncDecision.SkippedBattery, SyncPolicy.ShouldSyncNow(Phone(battery: 70), -1));
            Assert.Equal(SyncDecision.SkippedBattery, SyncPolicy.TransportDecision(Phone(battery: 70), SyncTransport.Bluetooth));
            Assert.Equal(SyncDecision.Allowed, SyncPolicy.TransportDecision(Phone(battery: 71), SyncTransport.Bluetooth));
        }

        [Fact]
        public void ShouldSyncNow_MobileWifiOnlyWithoutWifi_SkipsForNetwork() =>
            Assert.Equal(SyncDecision.SkippedNetwork, SyncPolicy.ShouldSyncNow(Phone(battery: 90, wifiOnly: true, wifi: false), -1));

        [Fact]
        public void ShouldSyncNow_MobileCellularAllowedWithoutWifi_Allowed() =>
            Assert.Equal(SyncDecision.Allowed, SyncPolicy.ShouldSyncNow(Phone(battery: 90, wifiOnly: false, wifi: false), -1));

        [Theory]
        [InlineData(4, SyncDecision.SkippedFrequency)]
        [InlineData(5, SyncDecision.SkippedFrequency)]
        [InlineData(6, SyncDecision.Allowed)]
        public void ShouldSyncNow_MobileSpacing_NeedsMoreThanFiveMinutes(int minutesSince, SyncDecision expected) =>
            Assert.Equal(expected, SyncPolicy.ShouldSyncNow(Phone(battery: 90), minutesSince * Minute));

        [Fact]
        public void ShouldSyncNow_LowBatteryAndSoon_ReportsBatteryFirst() =>
            Assert.Equal(SyncDecision.SkippedBattery, SyncPolicy.ShouldSyncNow(Phone(battery: 20, wifi: false), 1));

        [Theory]
        [InlineData(DeviceKind.Desktop, 100, true, 1)]
        [InlineData(DeviceKind.Hub, 100, true, 1)]
        [InlineData(DeviceKind.Laptop, 40, true, 5)]
        [InlineData(DeviceKind.Laptop, 90, false, 30)]
        [InlineData(DeviceKind.Mobile, 20, true, 10)]
        [InlineData(DeviceKind.Mobile, 71, false, 60)]
        [InlineData(DeviceKind.Mobile, 70, false, 120)]
        [InlineData(DeviceKind.Beacon, 50, true, 10)]
        [InlineData(DeviceKind.Beacon, 50, false, 30)]
        public void SyncIntervalMilliseconds_FollowsSeedFrequencies(DeviceKind kind, int percent, bool plugged, int minutes)
        {
            var device = new DeviceProfile("d", kind, GB, 0, false, new BatteryStatus(percent, plugged), false, true);
            Assert.Equal(minutes * Minute, SyncPolicy.SyncIntervalMilliseconds(device));
        }

        [Theory]
        [InlineData(DeviceKind.Desktop, 10, false, SyncDecision.Allowed)]
        [InlineData(DeviceKind.Hub, 10, false, SyncDecision.Allowed)]
        [InlineData(DeviceKind.Laptop, 51, false, SyncDecision.Allowed)]
        [InlineData(DeviceKind.Laptop, 50, false, SyncDecision.SkippedBattery)]
        [InlineData(DeviceKind.Mobile, 100, false, SyncDecision.SkippedBattery)]
        [InlineData(DeviceKind.Mobile, 5, true, SyncDecision.Allowed)]
        [InlineData(DeviceKind.Beacon, 100, true, SyncDecision.SkippedNetwork)]
        public void TransportDecision_WifiDirect_FollowsSeed(DeviceKind kind, int percent, bool plugged, SyncDecision expected)
        {
            var device = new DeviceProfile("d", kind, GB, 0, false, new BatteryStatus(percent, plugged), false, true);
            Assert.Equal(expected, SyncPolicy.TransportDecision(device, SyncTransport.WifiDirect));
        }

        [Fact]
        public void TransportDecision_LanWithoutWifiOnLaptop_SkipsForNetwork()
        {
            var laptop = new DeviceProfile("l", DeviceKind.Laptop, GB, 0, false, new BatteryStatus(90, true), false, false);
            Assert.Equal(SyncDecision.SkippedNetwork, SyncPolicy.TransportDecision(laptop, SyncTransport.Lan));
        }

        [Theory]
        [InlineData(31, false, true)]
        [InlineData(30, false, false)]
        [InlineData(5, true, true)]
        public void IsBatteryOk_Beacon_StopsBulkSyncAt30Percent(int percent, bool charging, bool expected) =>
            Assert.Equal(expected, SyncPolicy.IsBatteryOk(Beacon("b", battery: percent, charging: charging)));
    }
}
