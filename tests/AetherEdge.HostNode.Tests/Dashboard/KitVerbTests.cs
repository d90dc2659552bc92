using System.Text.Json;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Peers;
using AetherEdge.TestSupport.Dashboard;

namespace AetherEdge.HostNode.Tests.Dashboard
{
    /// <summary>
    /// `aether status --mesh` and `aether ls` against a started hub (real HTTP on loopback, real store;
    /// simulated peers): the terminal renders the dashboard's own snapshot.
    /// </summary>
    public sealed class KitVerbTests : IDisposable
    {
        // Started only once its files are placed: the fixture writes the store directly, which must not race the
        // running hub's own use of the same SQLite connection.
        private readonly SimulatedKit _kit = new("verb-hub");

        public void Dispose() => _kit.Dispose();

        [Fact]
        public void StatusMesh_Help_SaysWhatItShows()
        {
            var (code, output, _) = CliRunner.Run("status", "--help");
            Assert.Equal(0, code);
            Assert.Contains("--mesh", output);
            Assert.Contains("kit and files views", output);
        }

        [Fact]
        public void StatusMesh_RunningHub_ShowsDevicesAndFilesWithTheFileAtRiskMarked()
        {
            var (safe, risky) = KitWithOneFileAtRisk();
            var (code, output, err) = CliRunner.Run("status", "--mesh", "--home", _kit.Home);
            Assert.True(code == 0, err);
            string[] lines = output.Split('\n');
            Assert.StartsWith("KIT: 4 devices, 4 online", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("* verb-hub", StringComparison.Ordinal) && l.Contains("this hub"));
            Assert.Contains(lines, l => l.Contains("desk-a") && l.Contains("no battery") && l.Contains("lan 192.0.2.1:"));
            Assert.Contains(lines, l => l.Contains("phone-b") && l.Contains("64 %, on battery"));
            Assert.Contains(lines, l => l.StartsWith("FILES: 2 files, 1 AT RISK", StringComparison.Ordinal));
            string riskLine = Assert.Single(lines, l => l.Contains(risky));
            Assert.StartsWith(KitText.RiskMark + " ", riskLine);
            Assert.Contains("AT RISK", riskLine);
            string safeLine = Assert.Single(lines, l => l.Contains(safe));
            Assert.StartsWith("  ", safeLine);
            Assert.Contains("15/15 placed", safeLine);
            Assert.Matches("survives [1-9][0-9]* device loss", safeLine);
        }

        [Fact]
        public void StatusMesh_Json_IsTheDashboardsSnapshot()
        {
            KitWithOneFileAtRisk();
            var (code, output, err) = CliRunner.Run("status", "--mesh", "--json", "--home", _kit.Home);
            Assert.True(code == 0, err);
            var kit = JsonDocument.Parse(output).RootElement;
            var page = _kit.Get<KitView>().Snapshot();
            Assert.Equal(page.Devices.Select(d => d.Id), kit.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
            Assert.Equal(page.Files.Select(f => f.State), kit.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("state").GetString()));
        }

        [Fact]
        public void StatusMesh_NoHubOnTheHome_OneLineExit1()
        {
            string home = Path.Combine(Path.GetTempPath(), "aesy-nohub-" + Guid.NewGuid().ToString("N"));
            try
            {
                Assert.Equal(0, CliRunner.Run("init", "--home", home, "--kind", "desktop", "--allocation", "100MB").Code);
                var (code, output, err) = CliRunner.Run("status", "--mesh", "--home", home);
                Assert.Equal(1, code);
                Assert.Empty(output);
                Assert.Equal("aether status: no hub is running on " + home + " (start it with `aether hub --home " + home + "`)", err.Trim());
            }
            finally
            {
                Directory.Delete(home, true);
            }
        }

        [Fact]
        public void StatusMesh_HubThatDied_SaysSoInsteadOfReadingAStaleFile()
        {
            string home = Path.Combine(Path.GetTempPath(), "aesy-deadhub-" + Guid.NewGuid().ToString("N"));
            try
            {
                Assert.Equal(0, CliRunner.Run("init", "--home", home, "--kind", "desktop", "--allocation", "100MB").Code);
                // A pid no process has (beyond Linux's pid_max), as a hub killed -9 would leave behind.
                RunningPeersFile.Write(home, new RunningPeersState { Pid = 1 << 23, HttpAddress = "http://127.0.0.1:9/" });
                var (code, _, err) = CliRunner.Run("status", "--mesh", "--home", home);
                Assert.Equal(1, code);
                Assert.Contains("is not running", err);
                Assert.Single(err.Trim().Split('\n'));
            }
            finally
            {
                Directory.Delete(home, true);
            }
        }

        [Fact]
        public void StatusMesh_WithVerify_RefusedExit2()
        {
            var (code, _, err) = CliRunner.Run("status", "--mesh", "--verify", "--home", _kit.Home);
            Assert.Equal(2, code);
            Assert.Contains("cannot be combined with --verify", err);
        }

        [Fact]
        public void Ls_RunningHub_ShowsProtectionAndMarksTheFileAtRisk()
        {
            var (safe, risky) = KitWithOneFileAtRisk();
            var (code, output, err) = CliRunner.Run("ls", "--home", _kit.Home);
            Assert.True(code == 0, err);
            string[] lines = output.Split('\n');
            Assert.Contains("PROTECTION", lines[0]);
            string riskLine = Assert.Single(lines, l => l.Contains(risky));
            Assert.StartsWith(KitText.RiskMark + " ", riskLine);
            Assert.Contains("AT RISK: survives no device loss", riskLine);
            Assert.StartsWith("  ", Assert.Single(lines, l => l.Contains(safe)));
            Assert.Contains(lines, l => l.StartsWith("2 files", StringComparison.Ordinal) && l.Contains("1 AT RISK (marked !)"));
        }

        [Fact]
        public void LsJson_RunningHub_CarriesEachFilesProtection()
        {
            var (_, risky) = KitWithOneFileAtRisk();
            var (code, output, err) = CliRunner.Run("ls", "--json", "--home", _kit.Home);
            Assert.True(code == 0, err);
            var root = JsonDocument.Parse(output).RootElement;
            Assert.Equal(JsonValueKind.Null, root.GetProperty("kit").ValueKind);
            var file = root.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == risky);
            var p = file.GetProperty("protection");
            Assert.Equal("at risk", p.GetProperty("state").GetString());
            Assert.Equal(0, p.GetProperty("survivesLosses").GetInt32());
            Assert.Equal(15, p.GetProperty("planned").GetInt32());
        }

        /// <summary>Three peers, two files placed as planned; every copy of the second beyond k lost.</summary>
        private (string Safe, string Risky) KitWithOneFileAtRisk()
        {
            _kit.AddPeer("desk-a", DeviceKind.Desktop);
            _kit.AddPeer("phone-b", DeviceKind.Mobile, 5_000_000_000, batteryPercent: 64, pluggedIn: false, hasBattery: true);
            _kit.AddPeer("hub-c", DeviceKind.Hub, 100_000_000_000);
            var ids = _kit.PutFiles(new[] { "photos/cat.jpg", "notes/field log.txt" });
            _kit.PlaceAsPlanned();
            _kit.LeaveOnlyK(ids[1]);
            _kit.Host.StartAsync().GetAwaiter().GetResult();
            _kit.Get<KitView>().Invalidate();
            WaitForRunFile();
            return ("photos/cat.jpg", "notes/field log.txt");
        }

        /// <summary>The hub writes its HTTP address into hub.run.json as it starts (within its 2 s check).</summary>
        private void WaitForRunFile()
        {
            for (int i = 0; i < 100 && RunningPeersFile.Read(_kit.Home)?.HttpAddress == null; i++)
            {
                Thread.Sleep(100);
            }
        }
    }
}
