using AetherEdge.Core.Scheduling;
using static AetherEdge.Core.Tests.Allocation.Devices;

namespace AetherEdge.Core.Tests.Scheduling
{
    public class SyncSchedulerTests
    {
        private const long Minute = 60_000;

        [Fact]
        public void Step_FirstCall_IsDueAndAllowedForDesktop()
        {
            var s = new SyncScheduler();
            Assert.True(s.Step(0, Desktop(), out var d));
            Assert.Equal(SyncDecision.Allowed, d);
            Assert.Equal(1, s.ScheduledCount);
        }

        [Fact]
        public void Step_BeforeInterval_IsNotDue()
        {
            var s = new SyncScheduler();
            s.Step(0, Desktop(), out _);
            s.Completed(1_000, Desktop());
            Assert.False(s.Step(30_000, Desktop(), out _));
            Assert.True(s.Step(61_000, Desktop(), out _));
        }

        [Fact]
        public void Step_LowBatteryPhone_CountsBatterySkipAndRechecksInAMinute()
        {
            var s = new SyncScheduler();
            var phone = Phone(battery: 40);
            Assert.True(s.Step(0, phone, out var d));
            Assert.Equal(SyncDecision.SkippedBattery, d);
            Assert.Equal(1, s.SkippedBatteryCount);
            Assert.False(s.Step(30_000, phone, out _));
            Assert.True(s.Step(Minute, phone, out _));
            Assert.Equal(2, s.SkippedBatteryCount);
            Assert.Equal(0, s.ScheduledCount);
        }

        [Fact]
        public void Step_PhoneWithoutWifi_CountsNetworkSkip()
        {
            var s = new SyncScheduler();
            s.Step(0, Phone(battery: 90, wifi: false), out var d);
            Assert.Equal(SyncDecision.SkippedNetwork, d);
            Assert.Equal(1, s.SkippedNetworkCount);
        }

        [Fact]
        public void Request_PeerAppearsTwoMinutesAfterPhoneSync_CountsFrequencySkipThenAllowsAfterFiveMinutes()
        {
            var s = new SyncScheduler();
            var phone = Phone(battery: 90);
            s.Step(0, phone, out _);
            s.Completed(0, phone);

            Assert.Equal(SyncDecision.SkippedFrequency, s.Request(2 * Minute, phone));
            Assert.Equal(1, s.SkippedFrequencyCount);
            Assert.Equal(SyncDecision.Allowed, s.Request(6 * Minute, phone));
        }

        [Fact]
        public void Completed_Phone_NextCheckAfterSeedHourInterval()
        {
            var s = new SyncScheduler();
            var phone = Phone(battery: 90);
            s.Step(0, phone, out _);
            s.Completed(10, phone);
            Assert.Equal(10 + (60 * Minute), s.NextCheckMilliseconds);
        }
    }
}
