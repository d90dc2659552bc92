using AetherEdge.Simulation.Scenarios;
using Xunit.Abstractions;

namespace AetherEdge.Simulation.Tests
{
    /// <summary>The hub's mesh service (MeshLinks + MeshNode + router) on 100 simulated nodes with lossy point-to-point links.</summary>
    public class HubMeshSimulationTests
    {
        private readonly ITestOutputHelper _output;

        public HubMeshSimulationTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void HundredNodes_TenPercentLoss_AtLeast99PercentDelivered_CheaperThanNaiveFlooding(int seed)
        {
            var stats = HubMeshSimulation.Run(seed);
            _output.WriteLine(stats.ToString());
            Assert.True(stats.DeliveryRatio >= 0.99, stats.ToString());
            Assert.True(stats.TransmissionsPerDelivery < stats.NaiveTransmissionsPerDelivery, stats.ToString());
        }

        [Fact]
        public void HundredNodes_NoAnnouncements_StillDelivers_EachFirstMessageFloods()
        {
            var stats = HubMeshSimulation.Run(1, announce: false);
            _output.WriteLine(stats.ToString());
            Assert.True(stats.DeliveryRatio >= 0.99, stats.ToString());
            Assert.Equal(0, stats.AnnounceTransmissions);
        }

        [Fact]
        public void Run_SameSeed_SameFigures()
        {
            Assert.Equal(HubMeshSimulation.Run(5, nodes: 30, messages: 20), HubMeshSimulation.Run(5, nodes: 30, messages: 20));
        }
    }
}
