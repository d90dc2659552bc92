using System.Text.Json;

namespace AetherEdge.HostNode.Tests.Power
{
    public class PowerVerbTests
    {
        [Fact]
        public void Run_SysfsLaptop_PrintsBatteryAndSource()
        {
            using var tree = new FakeSysfsTree()
                .Supply("AC", ("type", "Mains"), ("online", "0"))
                .Supply("BAT0", ("type", "Battery"), ("capacity", "87"), ("status", "Discharging"));

            var (code, output, error) = CliRunner.Run("power", "--sysfs-root", tree.Root);

            Assert.Equal(0, code);
            Assert.Contains("battery:    87 %", output);
            Assert.Contains("plugged in: no", output);
            Assert.Contains("source:     battery BAT0 87 % discharging", output);
            Assert.Equal(string.Empty, error);
        }

        [Fact]
        public void Run_Json_NoSupplies_AssumesMains()
        {
            using var tree = new FakeSysfsTree();
            var (code, output, _) = CliRunner.Run("power", "--sysfs-root", tree.Root, "--json");
            Assert.Equal(0, code);
            using JsonDocument doc = JsonDocument.Parse(output);
            Assert.Equal(100, doc.RootElement.GetProperty("percent").GetInt32());
            Assert.True(doc.RootElement.GetProperty("pluggedIn").GetBoolean());
            Assert.Equal("none: assuming mains", doc.RootElement.GetProperty("source").GetString());
        }

        [Fact]
        public void Run_GaugeBusMissing_ReportsOnStderrAndFallsBack()
        {
            using var tree = new FakeSysfsTree().Supply("AC", ("type", "Mains"), ("online", "1"));
            var (code, output, error) = CliRunner.Run("power", "--sysfs-root", tree.Root, "--i2c-bus", "250");
            Assert.Equal(0, code);
            Assert.Contains("source:     mains AC", output);
            Assert.Contains("power: fuel gauge on I2C bus 250 unavailable", error);
        }

        [Theory]
        [InlineData(new[] { "power", "--gauge", "max17043" }, "--gauge must be max17048 or max17049")]
        [InlineData(new[] { "power", "--i2c-bus", "x" }, "--i2c-bus")]
        [InlineData(new[] { "power", "extra" }, "extra")]
        public void Run_BadArguments_ExitTwoNamingProblem(string[] args, string message)
        {
            var (code, _, error) = CliRunner.Run(args);
            Assert.Equal(2, code);
            Assert.Contains(message, error);
        }
    }
}
