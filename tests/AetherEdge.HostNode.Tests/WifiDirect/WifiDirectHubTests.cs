using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.WifiDirect;
using Microsoft.Extensions.Logging.Abstractions;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary><c>aether hub --wifi-direct</c>: the option, the real wpa_supplicant without P2P, and the group port.</summary>
    [Collection(NetnsCollection.Name)]
    public sealed class WifiDirectHubTests
    {
        [SkippableFact]
        public void Hub_RealWpaSupplicantWithoutP2p_OneClearLine_AndTheHubKeepsRunning()
        {
            Skip.IfNot(RealWpaSupplicant.Available, "needs root and wpasupplicant (CI installs it)");
            using var wpa = new RealWpaSupplicant();
            string home = Path.Combine(Path.GetTempPath(), "aewfd-hub-" + Environment.ProcessId);
            Directory.CreateDirectory(home);
            int port;
            using (var free = new TcpListener(IPAddress.Loopback, 0))
            {
                free.Start();
                port = ((IPEndPoint)free.LocalEndpoint).Port;
            }

            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "aether.dll"), "hub", "--home", home, "--no-mdns", "--bluetooth", "off", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--http-port", "0", "--wifi-direct", wpa.SocketPath })
            {
                psi.ArgumentList.Add(a);
            }

            var lines = new List<string>();
            using var hub = Process.Start(psi)!;
            hub.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (lines) { lines.Add(e.Data); } } };
            hub.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (lines) { lines.Add(e.Data); } } };
            hub.BeginOutputReadLine();
            hub.BeginErrorReadLine();
            try
            {
                string Text() { lock (lines) { return string.Join("\n", lines); } }
                for (int i = 0; i < 600 && !Text().Contains("no P2P support", StringComparison.Ordinal); i++)
                {
                    Thread.Sleep(100);
                }

                Thread.Sleep(2000);
                string log = Text();
                Assert.Equal(1, log.Split('\n').Count(l => l.Contains("Wi-Fi Direct off: wpa_supplicant on " + wpa.SocketPath + " has no P2P support", StringComparison.Ordinal)));
                Assert.Contains("listening for sync", log, StringComparison.Ordinal);
                Assert.False(hub.HasExited, log);
            }
            finally
            {
                hub.Kill(true);
                hub.WaitForExit(10_000);
                Directory.Delete(home, true);
            }
        }

        [Theory]
        [InlineData("bad/../")]
        [InlineData("")]
        [InlineData("name-longer-than-15")]
        public void Hub_BadWifiDirectValue_OneLineExit2(string value)
        {
            var r = CliRunner.Run("hub", "--home", Path.Combine(Path.GetTempPath(), "aewfd-bad"), "--wifi-direct", value);
            Assert.Equal(2, r.Code);
            Assert.Single(r.Err.Trim().Split('\n'));
            Assert.Contains("--wifi-direct", r.Err, StringComparison.Ordinal);
        }

        [Fact]
        public void PeersEndpoint_ListsOnlyPeersWithServiceData_AsPeersRows_TrustMarked()
        {
            var record = new AetherEdge.Core.WifiDirect.AetherServiceRecord("aether-b", "BBBB-0002", "laptop", 5_000, "1.2.3");
            string json = WifiDirectPeers.Json(
                new[]
                {
                    new P2pPeerView("02:00:00:00:0b:00", "BBBB-0002", true, true, record),
                    new P2pPeerView("02:00:00:00:0c:00", null, false, false),
                },
                new P2pGroup("p2p-wlan0-0", P2pRole.Client, "02:00:00:00:0b:00", true, "192.168.42.11", null, "192.168.42.1"));
            Assert.Contains("\"group\":{\"interface\":\"p2p-wlan0-0\",\"role\":\"client\"}", json, StringComparison.Ordinal);
            var row = Assert.Single(WifiDirectPeers.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
            Assert.Equal("aether-b", row.Instance);
            Assert.Equal("wifi-direct (trusted)", row.Host);
            Assert.Equal("wifi-direct", row.Interface);
            Assert.Equal(new[] { "02:00:00:00:0b:00" }, row.Addresses);
            Assert.Equal(43217, row.Port);
            Assert.Equal("laptop", row.DeviceKind);
            Assert.Equal(5_000, row.StorageBytes);
            Assert.Equal("BBBB-0002", row.Txt["node_id"]);
        }

        [Fact]
        public void PeersFromHub_NoHubOnTheHome_Empty_WithAReason()
        {
            var rows = WifiDirectPeers.FromHub(Path.Combine(Path.GetTempPath(), "aewfd-nohub-" + Environment.ProcessId), TimeSpan.FromSeconds(1), out string why);
            Assert.Empty(rows);
            Assert.StartsWith("no hub is running on", why, StringComparison.Ordinal);
        }

        [Fact]
        public void Options_AutoWithoutWpaSupplicant_Off_InterfaceAndPathResolve()
        {
            var o = new WifiDirectOptions("off", "ID", "n", "hub", 1);
            Assert.Null(o.ResolveSocket());
            Assert.Equal("/run/wpa_supplicant/p2p-dev-wlan1", (o with { }).ResolveSocketFor("p2p-dev-wlan1"));
            Assert.Equal("/tmp/x/wlan0", new WifiDirectOptions("/tmp/x/wlan0", "ID", "n", "hub", 1).ResolveSocket());
            if (!Directory.Exists(WifiDirectOptions.RunDirectory))
            {
                Assert.Null(new WifiDirectOptions("auto", "ID", "n", "hub", 1).ResolveSocket());
            }
        }

        [Fact]
        public void GroupSyncListener_OnTheSeeds43217_CoexistsWithMetricsOnLoopbackSamePort_SoMetricsStayOn43217()
        {
            // Metrics listen on 127.0.0.1:PORT; the group listener binds only the group address, so the same port
            // number is free there (here 127.0.0.2 stands for the group address). Only --http-bind 0.0.0.0 clashes,
            // and then the group is served on the main sync port instead (one log line).
            using var metrics = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            metrics.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            metrics.Listen();
            int port = ((IPEndPoint)metrics.LocalEndPoint!).Port;
            var options = new WifiDirectOptions("off", "ID", "n", "hub", 1) { GroupPort = port, GroupOwnerAddress = IPAddress.Parse("127.0.0.2") };
            var net = new GroupNetwork(options, NullLogger.Instance);
            var group = new P2pGroup("p2p-wlan0-0", P2pRole.GroupOwner, null, false, null, null, null);
            var listener = net.Listen(group);
            Assert.NotNull(listener);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), port), listener!.LocalEndpoint);
            listener.Stop();

            using var everywhere = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            everywhere.Bind(new IPEndPoint(IPAddress.Any, 0));
            everywhere.Listen();
            var clash = new GroupNetwork(options with { GroupPort = ((IPEndPoint)everywhere.LocalEndPoint!).Port }, NullLogger.Instance);
            Assert.Null(clash.Listen(group));
        }

        [Fact]
        public void ClientWithoutIpAllocation_NoIpv4_LinkLocalOnly()
        {
            var net = new GroupNetwork(new WifiDirectOptions("off", "ID", "n", "hub", 1), NullLogger.Instance);
            var bare = new P2pGroup("p2p-wlan0-0", P2pRole.Client, "02:00:00:00:0a:00", false, null, null, null);
            Assert.Null(net.LocalAddress(bare));
            Assert.Null(net.GroupOwnerAddress(bare));
            Assert.True(net.Configure(bare));
            var allocated = bare with { IpAddress = "192.168.42.11", IpMask = "255.255.255.0", GoIpAddress = "192.168.42.1" };
            Assert.Equal(IPAddress.Parse("192.168.42.11"), net.LocalAddress(allocated));
            Assert.Equal(IPAddress.Parse("192.168.42.1"), net.GroupOwnerAddress(allocated));
        }
    }
}
