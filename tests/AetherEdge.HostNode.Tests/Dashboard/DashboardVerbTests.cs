using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Hub;
using AetherEdge.TestSupport.Dashboard;

namespace AetherEdge.HostNode.Tests.Dashboard
{
    /// <summary><c>aether dashboard</c> against a running hub, a stopped one and a bad hub.json.</summary>
    public sealed class DashboardVerbTests
    {
        [Fact]
        public void Dashboard_HubRunning_PrintsTheAddressWithTheHubsSecret()
        {
            int port = LoopbackKit.FreePort();
            using var kit = new SimulatedKit("verb-hub", start: true, configure: s => s.HttpPort = port);
            File.WriteAllText(Path.Combine(kit.Home, HubSettings.HubFileName), "{\"httpPort\": " + port + "}");

            var r = CliRunner.Run("dashboard", "--home", kit.Home);
            Assert.True(r.Code == 0, r.Err);
            var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("http://127.0.0.1:" + port + "/#k=" + kit.Get<DashboardSecret>().Text, lines[0]);
            Assert.StartsWith("Open it in a browser", lines[1]);
        }

        [Fact]
        public void Dashboard_NoHubYet_CreatesTheSecretTheHubWillUseAndSaysHowToStartIt()
        {
            string home = Path.Combine(Path.GetTempPath(), "aesy-dash-verb-" + Guid.NewGuid().ToString("N"));
            try
            {
                Assert.Equal(0, CliRunner.Run("init", "--home", home, "--kind", "desktop").Code);
                File.WriteAllText(Path.Combine(home, HubSettings.HubFileName), "{\"httpPort\": " + LoopbackKit.FreePort() + "}");
                var r = CliRunner.Run("dashboard", "--home", home, "--json");
                Assert.Equal(0, r.Code);
                Assert.Contains("\"hubAnswering\":false", r.Out);
                Assert.Contains("#k=" + DashboardSecret.TryLoad(home)!.Text, r.Out);
                Assert.Contains("aether hub --home", CliRunner.Run("dashboard", "--home", home).Out);
            }
            finally
            {
                Directory.Delete(home, true);
            }
        }

        [Fact]
        public void Dashboard_BadHubJson_OneLineExit2()
        {
            string home = Path.Combine(Path.GetTempPath(), "aesy-dash-verb-" + Guid.NewGuid().ToString("N"));
            try
            {
                Assert.Equal(0, CliRunner.Run("init", "--home", home, "--kind", "desktop").Code);
                File.WriteAllText(Path.Combine(home, HubSettings.HubFileName), "{\"httpBind\": \"not an address\"}");
                var r = CliRunner.Run("dashboard", "--home", home);
                Assert.Equal(2, r.Code);
                Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.Contains("httpBind is not an IP address", r.Err);
            }
            finally
            {
                Directory.Delete(home, true);
            }
        }
    }
}
