using AetherEdge.Core.Scheduling;

namespace AetherEdge.Core.Tests.Scheduling
{
    public class AdaptiveSyncPlannerTests
    {
        private static DateTime At(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, DateTimeKind.Utc);

        private static DateTime[] History(params (int Hour, int Times)[] uses) =>
            uses.SelectMany(u => Enumerable.Range(1, u.Times).Select(d => At(d, u.Hour, 15))).ToArray();

        [Fact]
        public void PeakHours_History_TopThreeBusiestFirst()
        {
            var h = History((8, 5), (12, 2), (19, 7), (22, 1));
            Assert.Equal(new[] { 19, 8, 12 }, AdaptiveSyncPlanner.PeakHours(h, h.Length, 0));
        }

        [Fact]
        public void PeakHours_Tie_EarlierHourFirst()
        {
            var h = History((20, 3), (7, 3));
            Assert.Equal(new[] { 7, 20 }, AdaptiveSyncPlanner.PeakHours(h, h.Length, 0));
        }

        [Fact]
        public void PeakHours_EmptyHistory_ReturnsNoneNotTheSeedsHours0To2()
        {
            Assert.Empty(AdaptiveSyncPlanner.PeakHours(Array.Empty<DateTime>(), 0, 0));
        }

        [Fact]
        public void PeakHours_UtcOffset_ShiftsToLocalHours()
        {
            var h = History((22, 2));
            Assert.Equal(new[] { 1 }, AdaptiveSyncPlanner.PeakHours(h, h.Length, 180));
        }

        [Fact]
        public void NextWindow_BeforePeak_StartsAtPeakForOneHour()
        {
            var h = History((19, 4));
            var w = AdaptiveSyncPlanner.NextWindow(h, h.Length, At(24, 10, 30), 0);
            Assert.Equal(At(24, 19), w.StartUtc);
            Assert.Equal(At(24, 20), w.EndUtc);
        }

        [Fact]
        public void NextWindow_AfterLastPeakOfDay_WrapsToTomorrow()
        {
            var h = History((7, 4));
            var w = AdaptiveSyncPlanner.NextWindow(h, h.Length, At(24, 21), 0);
            Assert.Equal(At(25, 7), w.StartUtc);
        }

        [Fact]
        public void NextWindow_InsidePeak_IsRestOfThatHour()
        {
            var h = History((10, 4));
            var w = AdaptiveSyncPlanner.NextWindow(h, h.Length, At(24, 10, 20), 0);
            Assert.Equal(At(24, 10, 20), w.StartUtc);
            Assert.Equal(At(24, 11), w.EndUtc);
        }

        [Fact]
        public void NextWindow_NoHistory_IsNow()
        {
            var now = At(24, 3, 3);
            Assert.Equal(now, AdaptiveSyncPlanner.NextWindow(Array.Empty<DateTime>(), 0, now, 0).StartUtc);
        }
    }
}
