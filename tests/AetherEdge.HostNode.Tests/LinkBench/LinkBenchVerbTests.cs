using System.Text.Json;
using AetherEdge.HostNode.LinkBench;

namespace AetherEdge.HostNode.Tests.LinkBench
{
    public class LinkBenchVerbTests
    {
        [Fact]
        public void Run_Mtu517NoLoss_MeetsEfficiencyGoal()
        {
            var (code, output, _) = CliRunner.Run("link-bench", "--mtu", "517", "--loss", "0", "--json");
            Assert.Equal(0, code);
            JsonElement row = JsonDocument.Parse(output).RootElement[0];
            Assert.True(row.GetProperty("completed").GetBoolean());
            Assert.True(row.GetProperty("efficiency").GetDouble() >= 0.97);
            Assert.True(1 - row.GetProperty("efficiency").GetDouble() <= 0.03);
        }

        [Fact]
        public void Measure_LargerMtu_MoreEfficient()
        {
            HopFigures ios = GattHopEfficiency.Measure(185, 0, 20000, 1);
            HopFigures dle = GattHopEfficiency.Measure(247, 0, 20000, 1);
            HopFigures max = GattHopEfficiency.Measure(517, 0, 20000, 1);
            Assert.True(ios.Efficiency < dle.Efficiency && dle.Efficiency < max.Efficiency);
            Assert.True(ios.Efficiency >= 0.85);
            Assert.Equal(0, max.Retransmissions);
        }

        [Fact]
        public void Measure_Loss_Retransmits()
        {
            HopFigures lossy = GattHopEfficiency.Measure(247, 0.05, 20000, 3);
            Assert.True(lossy.Completed);
            Assert.True(lossy.Retransmissions > 0);
            Assert.True(lossy.Efficiency < GattHopEfficiency.Measure(247, 0, 20000, 3).Efficiency);
        }

        [Fact]
        public void Run_TransferThatFails_IsAFailedRun_Exit1()
        {
            var (code, output, err) = CliRunner.Run("link-bench", "--mtu", "23", "--loss", "0.5");
            Assert.Equal(1, code);
            Assert.Contains("FAILED", output);
            string line = Assert.Single(err.Trim().Split('\n'));
            Assert.Contains("1 of 1 transfers failed (MTU 23 at loss 0.5)", line);
        }

        [Fact]
        public void Run_NegativeZeroLoss_PrintsZero()
        {
            var (code, output, _) = CliRunner.Run("link-bench", "--mtu", "517", "--loss", "-0");
            Assert.Equal(0, code);
            Assert.DoesNotContain("-0 %", output);
        }

        [Theory]
        [InlineData("--loss", "NaN", "--loss")]
        [InlineData("--loss", "0.6", "--loss")]
        [InlineData("--loss", "Infinity", "--loss")]
        [InlineData("--mtu", "22", "--mtu")]
        [InlineData("--shard-size", "70000", "--shard-size")]
        public void Run_BadOption_ExitTwoNamingIt(string option, string value, string named)
        {
            var (code, _, err) = CliRunner.Run("link-bench", option, value);
            Assert.Equal(2, code);
            Assert.Contains(named, err);
        }
    }
}
