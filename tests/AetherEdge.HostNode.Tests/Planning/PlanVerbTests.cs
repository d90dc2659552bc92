using System.Text.Json;

namespace AetherEdge.HostNode.Tests.Planning
{
    public sealed class PlanVerbTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("aether-plan-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private string Write(string name, string text)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllText(path, text);
            return path;
        }

        private const string SeedDevices = """
            {"devices":[
              {"id":"desktop","kind":"desktop","allocationBytes":10000000000,"usedBytes":0,"alwaysOn":true,"batteryPercent":100,"pluggedIn":true,"wifiOnly":false,"wifiConnected":true},
              {"id":"laptop","kind":"laptop","allocationBytes":5000000000,"usedBytes":0,"alwaysOn":false,"batteryPercent":60,"pluggedIn":false,"wifiOnly":false,"wifiConnected":true},
              {"id":"mobile","kind":"mobile","allocationBytes":100000000,"usedBytes":0,"alwaysOn":false,"batteryPercent":80,"pluggedIn":false,"wifiOnly":true,"wifiConnected":true}]}
            """;

        [Fact]
        public void Run_SeedExampleJson_MatchesContract()
        {
            string devices = Write("devices.json", SeedDevices);
            var (code, stdout, stderr) = CliRunner.Run("plan", "--devices", devices, "--shards", "15", "--shard-size", "100000000", "--data-shards", "10", "--json");

            Assert.Equal(0, code);
            Assert.Equal(string.Empty, stderr);
            using var doc = JsonDocument.Parse(stdout);
            var root = doc.RootElement;
            Assert.Equal(9, root.GetProperty("assignments").GetProperty("desktop").GetArrayLength());
            Assert.Equal(5, root.GetProperty("assignments").GetProperty("laptop").GetArrayLength());
            Assert.Equal(1, root.GetProperty("assignments").GetProperty("mobile").GetArrayLength());
            Assert.Equal(100, root.GetProperty("scores").GetProperty("desktop").GetDouble());
            Assert.Equal(0, root.GetProperty("toleratesDeviceLoss").GetInt32());
            Assert.Equal(0, root.GetProperty("unplaced").GetArrayLength());
            var all = root.GetProperty("assignments").EnumerateObject().SelectMany(p => p.Value.EnumerateArray().Select(x => x.GetInt32())).OrderBy(x => x);
            Assert.Equal(Enumerable.Range(0, 15), all);
        }

        [Fact]
        public void Run_HumanOutput_PrintsTableAndTolerance()
        {
            string devices = Write("devices.json", SeedDevices);
            var (code, stdout, _) = CliRunner.Run("plan", "--devices", devices, "--shard-size", "100MB");
            Assert.Equal(0, code);
            Assert.Contains("desktop", stdout);
            Assert.Contains("survives the loss of any 0 device(s)", stdout);
        }

        [Fact]
        public void Run_TooLittleRoom_ListsUnplacedWithReason()
        {
            string devices = Write("devices.json", """{"devices":[{"id":"p","kind":"mobile","allocationBytes":100000000}]}""");
            var (code, stdout, _) = CliRunner.Run("plan", "--devices", devices, "--json");
            Assert.Equal(0, code);
            using var doc = JsonDocument.Parse(stdout);
            var unplaced = doc.RootElement.GetProperty("unplaced");
            Assert.Equal(14, unplaced.GetArrayLength());
            Assert.Contains("insufficient capacity", unplaced[0].GetProperty("reason").GetString());
            Assert.Equal(-1, doc.RootElement.GetProperty("toleratesDeviceLoss").GetInt32());
        }

        [Fact]
        public void Run_CurrentPlanAfterDeviceJoins_ReportsMinimalMoves()
        {
            string before = Write("before.json", SeedDevices);
            var (_, firstJson, _) = CliRunner.Run("plan", "--devices", before, "--json");
            string current = Write("current.json", firstJson);
            string after = Write("after.json", SeedDevices.Replace("]}", ",{\"id\":\"hub\",\"kind\":\"hub\",\"allocationBytes\":100000000000}]}"));

            var (code, stdout, stderr) = CliRunner.Run("plan", "--devices", after, "--current", current, "--json");
            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            Assert.Equal(doc.RootElement.GetProperty("minimumMoves").GetInt32(), doc.RootElement.GetProperty("moved").GetInt32());
            Assert.True(doc.RootElement.GetProperty("moved").GetInt32() > 0);
        }

        [Theory]
        [InlineData("missing.json", null, "does not exist")]
        [InlineData("d.json", "{\"devices\":[", "not valid JSON")]
        [InlineData("d.json", "{\"devices\":[{\"id\":\"a\",\"kind\":\"toaster\"}]}", "unknown kind 'toaster'")]
        [InlineData("d.json", "{\"devices\":[{\"id\":\"a\",\"kind\":\"hub\",\"allocationBytes\":-1}]}", "must not be negative")]
        [InlineData("d.json", "{\"devices\":[{\"id\":\"a\",\"kind\":\"hub\",\"usedBytes\":\"x\"}]}", "must be a whole number")]
        [InlineData("d.json", "{\"devices\":[{\"kind\":\"hub\"}]}", "missing or empty string \"id\"")]
        [InlineData("d.json", "{\"devices\":[]}", "is empty")]
        [InlineData("d.json", "[1,2]", "expected an object")]
        [InlineData("d.json", "{\"devices\":[{\"id\":\"a\",\"kind\":\"hub\"},{\"id\":\"a\",\"kind\":\"hub\"}]}", "appears twice")]
        public void Run_BadDevicesFile_OneLineErrorExit2(string name, string? content, string expected)
        {
            string path = content == null ? Path.Combine(_dir, name) : Write(name, content);
            var (code, stdout, stderr) = CliRunner.Run("plan", "--devices", path);

            Assert.Equal(2, code);
            Assert.Equal(string.Empty, stdout);
            Assert.Contains(expected, stderr);
            Assert.Single(stderr.TrimEnd().Split('\n'));
            Assert.DoesNotContain("   at ", stderr);
        }

        [Theory]
        [InlineData("--shards", "0", "--shards must be a whole number")]
        [InlineData("--data-shards", "20", "--data-shards must be a whole number from 1 to 15")]
        [InlineData("--shard-size", "lots", "--shard-size must be a size")]
        [InlineData("--frobnicate", "1", "unknown option --frobnicate")]
        public void Run_BadOption_OneLineErrorExit2(string option, string value, string expected)
        {
            string devices = Write("devices.json", SeedDevices);
            var (code, _, stderr) = CliRunner.Run("plan", "--devices", devices, option, value);
            Assert.Equal(2, code);
            Assert.Contains(expected, stderr);
        }

        [Fact]
        public void Run_UnknownVerb_Exit2()
        {
            var (code, _, stderr) = CliRunner.Run("frobnicate");
            Assert.Equal(2, code);
            Assert.Contains("unknown command 'frobnicate'", stderr);
        }
    }
}
