using AetherEdge.Core.Routing;

namespace AetherEdge.Core.Tests.Routing
{
    public class DedupCacheTests
    {
        [Fact]
        public void CheckAndMark_SecondTime_Duplicate()
        {
            var cache = new DedupCache(4);
            Assert.Equal(DedupVerdict.New, cache.CheckAndMark(1, 10, 0));
            Assert.Equal(DedupVerdict.Duplicate, cache.CheckAndMark(1, 10, 1));
            Assert.Equal(DedupVerdict.New, cache.CheckAndMark(2, 10, 1));
        }

        [Fact]
        public void CheckAndMark_OutOfOrderInsideWindow_NewOnce()
        {
            var cache = new DedupCache(4);
            cache.CheckAndMark(1, 100, 0);
            Assert.Equal(DedupVerdict.New, cache.CheckAndMark(1, 90, 0));
            Assert.Equal(DedupVerdict.Duplicate, cache.CheckAndMark(1, 90, 0));
            Assert.Equal(DedupVerdict.New, cache.CheckAndMark(1, 100 - RoutingLimits.ReplayWindow + 1, 0));
            Assert.Equal(DedupVerdict.Stale, cache.CheckAndMark(1, 100 - RoutingLimits.ReplayWindow, 0));
        }

        [Fact]
        public void CheckAndMark_IdWrapsAround_StillNew()
        {
            var cache = new DedupCache(4);
            cache.CheckAndMark(1, uint.MaxValue - 1, 0);
            Assert.Equal(DedupVerdict.New, cache.CheckAndMark(1, 2, 0));
            Assert.Equal(DedupVerdict.Duplicate, cache.CheckAndMark(1, uint.MaxValue - 1, 0));
        }

        [Fact]
        public void CheckAndMark_Full_EvictsLeastRecentlyHeard()
        {
            var cache = new DedupCache(2);
            cache.CheckAndMark(1, 5, 0);
            cache.CheckAndMark(2, 5, 1);
            cache.CheckAndMark(1, 6, 2);
            cache.CheckAndMark(3, 5, 3); // evicts source 2
            Assert.Equal(1, cache.Evictions);
            Assert.Equal(DedupVerdict.Duplicate, cache.CheckAndMark(1, 6, 4));
            Assert.Equal(DedupVerdict.New, cache.CheckAndMark(2, 5, 5));
        }

        [Fact]
        public void CheckAndMark_SilentSourceExpires_AcceptsRestartedIds()
        {
            var cache = new DedupCache(4);
            cache.CheckAndMark(1, 1000, 0);
            Assert.Equal(DedupVerdict.Stale, cache.CheckAndMark(1, 1, 10));
            Assert.Equal(DedupVerdict.New, cache.CheckAndMark(1, 1, 10 + RoutingLimits.DedupLifetimeMilliseconds));
        }
    }
}
