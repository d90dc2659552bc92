using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;

namespace AetherEdge.Core.Tests.Sync
{
    public class ReplayWindowTests
    {
        private const long Now = 1_700_000_000_000;

        [Fact]
        public void Check_SameNonceTwice_SecondRejectedAsReplay()
        {
            var w = new ReplayWindow();
            w.Check(Now, 42, Now);
            var e = Assert.Throws<ProtocolViolationException>(() => w.Check(Now + 5, 42, Now + 10));
            Assert.Contains("replayed", e.Message);
            Assert.Equal(1, w.Rejected);
        }

        [Fact]
        public void Check_TimestampOlderThanSkew_RejectedAsStale()
        {
            var w = new ReplayWindow();
            w.Check(Now - SyncLimits.MaxClockSkewMilliseconds, 1, Now);
            var e = Assert.Throws<ProtocolViolationException>(() => w.Check(Now - SyncLimits.MaxClockSkewMilliseconds - 1, 2, Now));
            Assert.Contains("stale", e.Message);
        }

        [Fact]
        public void Check_TimestampFarAhead_Rejected()
        {
            var e = Assert.Throws<ProtocolViolationException>(() => new ReplayWindow().Check(Now + 121_000, 1, Now));
            Assert.Contains("future", e.Message);
        }

        [Fact]
        public void Check_FullWindow_ForgetsExpiredNonces()
        {
            var w = new ReplayWindow(1000, 4);
            for (ulong n = 0; n < 4; n++)
            {
                w.Check(Now, n, Now);
            }

            w.Check(Now + 2000, 10, Now + 2000);
            Assert.Equal(1, w.Count);
        }

        [Fact]
        public void Check_FullWindowWithinSkew_RaisesFloorButKeepsNewestNonces()
        {
            var w = new ReplayWindow(100_000, 4);
            w.Check(Now, 1, Now);
            w.Check(Now + 1, 2, Now + 1);
            w.Check(Now + 2, 3, Now + 2);
            w.Check(Now + 2, 4, Now + 2);
            w.Check(Now + 3, 5, Now + 3);
            Assert.Throws<ProtocolViolationException>(() => w.Check(Now + 3, 4, Now + 3));
            var e = Assert.Throws<ProtocolViolationException>(() => w.Check(Now + 1, 99, Now + 3));
            Assert.Contains("floor", e.Message);
        }

        [Fact]
        public void Check_SkewAndReplayRefusals_CountedApartAndRecognisableInAFailureReason()
        {
            var w = new ReplayWindow();
            w.Check(Now, 1, Now);
            var replay = Assert.Throws<ProtocolViolationException>(() => w.Check(Now, 1, Now));
            var stale = Assert.Throws<ProtocolViolationException>(() => w.Check(Now - 200_000, 2, Now));
            var ahead = Assert.Throws<ProtocolViolationException>(() => w.Check(Now + 200_000, 3, Now));
            Assert.Equal(2, w.RejectedSkew);
            Assert.Equal(1, w.RejectedReplay);
            Assert.Equal(3, w.Rejected);
            Assert.True(ReplayWindow.IsReplay(replay.Message) && !ReplayWindow.IsSkew(replay.Message));
            Assert.True(ReplayWindow.IsSkew(stale.Message) && !ReplayWindow.IsReplay(stale.Message));
            Assert.True(ReplayWindow.IsSkew("peer error 1: " + ahead.Message));
        }
    }
}
