using AetherEdge.Core.Scheduling;

namespace AetherEdge.Core.Tests.Scheduling
{
    public class UsagePredictionsTests
    {
        private static DateTime At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, DateTimeKind.Utc);

        [Fact]
        public void FirstUse_ScoresNothing_ThenPredictsTheRestOfAPeakHour()
        {
            var p = new UsagePredictions(UsagePredictions.DefaultCapacity, 0);
            Assert.Null(p.Predicted);
            Assert.Equal(PredictionOutcome.None, p.Used(At(1, 19, 10)));
            Assert.Equal(At(1, 19, 10), p.Predicted!.StartUtc);
            Assert.Equal(At(1, 20), p.Predicted.EndUtc);
            Assert.Equal(0, p.Hits + p.Misses);
        }

        [Fact]
        public void DailyHabit_NextDaysUseAtThePeakIsAHit_AnOddHourIsAMiss()
        {
            var p = new UsagePredictions(UsagePredictions.DefaultCapacity, 0);
            for (int day = 1; day <= 5; day++)
            {
                p.Used(At(day, 19, 5));
            }

            // After day 1 the only peak is 19:00, so each next evening's use fell in the predicted window.
            Assert.Equal(4, p.Hits);
            Assert.Equal(0, p.Misses);
            Assert.Equal(PredictionOutcome.Miss, p.Used(At(6, 7, 30)));
            Assert.Equal(1, p.Misses);

            // The morning hour is now a peak too: right after that use, the window is the rest of it.
            Assert.Equal(At(6, 7, 30), p.Predicted!.StartUtc);
            Assert.Equal(At(6, 8), p.Predicted.EndUtc);
            Assert.Equal(PredictionOutcome.Hit, p.Used(At(6, 19, 40)));
        }

        [Fact]
        public void History_IsBoundedByCapacity()
        {
            var p = new UsagePredictions(3, 0);
            for (int i = 0; i < 10; i++)
            {
                p.Used(At(1 + i, 8));
            }

            Assert.Equal(3, p.Remembered);
            Assert.Equal(9, p.Hits);
        }

        [Fact]
        public void OwnerOffset_PeakHoursAreLocal()
        {
            // UTC+3: a use at 16:00 UTC is 19:00 local; the prediction is still in UTC.
            var p = new UsagePredictions(10, 180);
            p.Used(At(1, 16, 10));
            Assert.Equal(PredictionOutcome.Hit, p.Used(At(2, 16, 20)));
        }

        [Fact]
        public void ZeroCapacity_Refused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new UsagePredictions(0, 0));
        }
    }
}
