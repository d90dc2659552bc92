using AetherEdge.Core.Allocation;
using static AetherEdge.Core.Tests.Allocation.Devices;

namespace AetherEdge.Core.Tests.Allocation
{
    public class NodeScorerTests
    {
        [Fact]
        public void Score_SeedDesktop_Is100AsInSeed()
        {
            var s = NodeScorer.Score(Desktop());
            Assert.Equal(40, s.Capacity);
            Assert.Equal(30, s.Availability);
            Assert.Equal(20, s.Battery);
            Assert.Equal(10, s.Network);
            Assert.Equal(100, s.Total);
        }

        [Fact]
        public void Score_SeedLaptop_Is53NotTheSeeds63BecauseFiveGigabytesEarn20CapacityPointsNot30()
        {
            var s = NodeScorer.Score(Laptop());
            Assert.Equal(20, s.Capacity, 9);
            Assert.Equal(15, s.Availability);
            Assert.Equal(10, s.Battery);
            Assert.Equal(8, s.Network);
            Assert.Equal(53, s.Total, 9);
        }

        [Fact]
        public void Score_SeedPhone_Is16Point4NotTheSeeds21BecauseOneHundredMegabytesEarn0Point4CapacityPointsNot5()
        {
            var s = NodeScorer.Score(Phone());
            Assert.Equal(0.4, s.Capacity, 9);
            Assert.Equal(5, s.Availability);
            Assert.Equal(5, s.Battery);
            Assert.Equal(6, s.Network);
            Assert.Equal(16.4, s.Total, 9);
        }

        [Fact]
        public void CapacityPoints_Over10GB_CapsAt40()
        {
            Assert.Equal(40, NodeScorer.CapacityPoints(Hub("h", 500 * GB)));
        }

        [Theory]
        [InlineData(60, false, 10)]
        [InlineData(50, false, 0)]
        [InlineData(10, true, 20)]
        public void BatteryPoints_Laptop_FollowsSeed(int percent, bool plugged, double expected) =>
            Assert.Equal(expected, NodeScorer.BatteryPoints(Laptop(battery: percent, plugged: plugged)));

        [Theory]
        [InlineData(80, false, 5)]
        [InlineData(70, false, 0)]
        [InlineData(5, true, 15)]
        public void BatteryPoints_Mobile_FollowsSeed(int percent, bool plugged, double expected) =>
            Assert.Equal(expected, NodeScorer.BatteryPoints(Phone(battery: percent, plugged: plugged)));

        [Theory]
        [InlineData(true, true, 6)]
        [InlineData(true, false, 0)]
        [InlineData(false, false, 4)]
        public void NetworkPoints_Mobile_FollowsSeed(bool wifiOnly, bool wifi, double expected) =>
            Assert.Equal(expected, NodeScorer.NetworkPoints(Phone(wifiOnly: wifiOnly, wifi: wifi)));

        [Fact]
        public void Score_HubOutranksEveryOtherKindAtEqualAllocation()
        {
            double hub = NodeScorer.Score(Hub("h", 10 * GB)).Total;
            Assert.True(hub >= NodeScorer.Score(Desktop(allocation: 10 * GB)).Total);
            Assert.True(hub > NodeScorer.Score(Laptop(allocation: 10 * GB)).Total);
            Assert.True(hub > NodeScorer.Score(Phone(allocation: 10 * GB)).Total);
            Assert.True(hub > NodeScorer.Score(Beacon("b", 10 * GB)).Total);
        }
    }
}
