using System.Text.Json;

namespace AetherEdge.HostNode.Tests.Power
{
    /// <summary>`aether status` reports the battery and power source next to the store's numbers.</summary>
    public sealed class StatusPowerTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("aether-status-power-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private string Supply(string name, params (string File, string Value)[] files)
        {
            string root = Path.Combine(_dir, "sys");
            string dir = Path.Combine(root, name);
            Directory.CreateDirectory(dir);
            foreach (var (file, value) in files)
            {
                File.WriteAllText(Path.Combine(dir, file), value + "\n");
            }

            return root;
        }

        [Fact]
        public void Status_LaptopOnBattery_JsonShowsPercentAndSource()
        {
            string home = Path.Combine(_dir, "home");
            Assert.Equal(0, CliRunner.Run("init", "--home", home, "--kind", "laptop", "--allocation", "500MB").Code);
            Supply("AC", ("type", "Mains"), ("online", "0"));
            string sys = Supply("BAT0", ("type", "Battery"), ("capacity", "42"), ("status", "Discharging"), ("present", "1"));

            var (code, stdout, stderr) = CliRunner.Run("status", "--home", home, "--json", "--sysfs-root", sys);

            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            Assert.Equal(42, doc.RootElement.GetProperty("batteryPercent").GetInt32());
            Assert.False(doc.RootElement.GetProperty("pluggedIn").GetBoolean());
            Assert.Contains("BAT0", doc.RootElement.GetProperty("powerSource").GetString());
        }

        [Fact]
        public void Status_NoPowerSupplies_HumanOutputSaysAssumingMains()
        {
            string home = Path.Combine(_dir, "home");
            Assert.Equal(0, CliRunner.Run("init", "--home", home).Code);
            string empty = Path.Combine(_dir, "empty-sys");
            Directory.CreateDirectory(empty);

            var (code, stdout, _) = CliRunner.Run("status", "--home", home, "--sysfs-root", empty);

            Assert.Equal(0, code);
            Assert.Contains("battery     100 %, plugged in (none: assuming mains)", stdout);
        }
    }
}
