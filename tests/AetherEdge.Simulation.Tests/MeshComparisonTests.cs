using AetherEdge.Simulation.Scenarios;
using Xunit.Abstractions;

namespace AetherEdge.Simulation.Tests
{
    public class MeshComparisonTests
    {
        private readonly ITestOutputHelper _output;

        public MeshComparisonTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void HundredNodes_TenPercentLoss_ManagedFloodCheaperThanNaiveAtSimilarDelivery()
        {
            MeshStats naive = MeshComparison.Run(MeshVariant.NaiveFlood, seed: 1);
            MeshStats managed = MeshComparison.Run(MeshVariant.ManagedFlood, seed: 1);
            MeshStats nextHop = MeshComparison.Run(MeshVariant.NextHop, seed: 1);
            MeshStats reliable = MeshComparison.Run(MeshVariant.Reliable, seed: 1);
            foreach (var s in new[] { naive, managed, nextHop, reliable })
            {
                _output.WriteLine(s.ToString());
            }

            Assert.True(naive.DeliveryRatio >= 0.9, naive.ToString());
            Assert.True(managed.TransmissionsPerDelivery < naive.TransmissionsPerDelivery, managed + " vs " + naive);
            Assert.True(managed.DeliveryRatio >= naive.DeliveryRatio - 0.05, managed + " vs " + naive);
            Assert.True(nextHop.TransmissionsPerDelivery < managed.TransmissionsPerDelivery, nextHop + " vs " + managed);
            Assert.True(reliable.DeliveryRatio >= managed.DeliveryRatio, reliable + " vs " + managed);
        }

        [Fact]
        public void Run_SameSeed_SameFigures()
        {
            MeshStats a = MeshComparison.Run(MeshVariant.Reliable, seed: 3, nodes: 30, messages: 20);
            MeshStats b = MeshComparison.Run(MeshVariant.Reliable, seed: 3, nodes: 30, messages: 20);
            Assert.Equal(a, b);
        }
    }
}
