using System.Text.Json;

namespace AetherEdge.HostNode.Tests.Discovery
{
    /// <summary>
    /// Interop with a third, independent mDNS implementation, Makaretu.Dns.Multicast 0.27.0 (tests/AetherEdge.MakaretuPeer),
    /// in network namespaces like the avahi and python-zeroconf tests. Every wait is bounded; the lab tears down.
    /// Makaretu needs a route for 224.0.0.0/4 to send at all (see the last test), so its namespace gets one.
    /// </summary>
    [Collection(NetnsLab.Collection)]
    public class MakaretuInteropTests
    {
        // Bounds a claim (about a second) for a process still starting on a loaded 2-core machine.
        private static readonly TimeSpan s_claim = TimeSpan.FromSeconds(20);

        [NetnsFact]
        public void MakaretuBrowser_FindsOurRunningHub_WithItsFingerprintTxt()
        {
            using var lab = new NetnsLab();
            NetnsLab.AddMulticastRoute(NetnsLab.B);
            string home = Path.Combine(Path.GetTempPath(), "aemk-hub-" + Guid.NewGuid().ToString("N"));
            try
            {
                var hub = lab.StartAether(NetnsLab.A, "hub", "--home", home, "--name", "Field Hub", "--interface", NetnsLab.AddrA, "--http-port", "0");
                string? device = hub.WaitForLine(l => l.StartsWith("aether hub: device ", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
                Assert.True(device != null, hub.Output);
                string id = device.Split(' ')[3];
                Assert.True(hub.WaitForLine(l => l.Contains("mDNS: advertising 'Field Hub'", StringComparison.Ordinal), s_claim) != null, hub.Output);

                var mk = lab.StartMakaretu(NetnsLab.B, "browse", "10", "_aetherlight._tcp", "Field Hub");
                Assert.True(mk.WaitForExit(TimeSpan.FromSeconds(15)), mk.Output);
                string? found = mk.WaitForLine(l => l.StartsWith("Found Field Hub ", StringComparison.Ordinal), TimeSpan.Zero);
                Assert.True(found != null, mk.Output + "\n--- hub:\n" + hub.Output);
                Assert.Equal(0, mk.ExitCode);
                Assert.Contains("port=43216 ", found);
                Assert.Contains("addrs=" + NetnsLab.AddrA + " ", found);
                Assert.Contains("fp=" + id + ";node_id=" + id + ";", found);
                Assert.Contains("device_type=hub;", found);
            }
            finally
            {
                if (Directory.Exists(home))
                {
                    Directory.Delete(home, recursive: true);
                }
            }
        }

        [NetnsFact]
        public void MakaretuBrowser_FindsOurAdvertiser_WithEveryTxtEntry()
        {
            using var lab = new NetnsLab();
            NetnsLab.AddMulticastRoute(NetnsLab.B);
            var us = lab.StartAether(NetnsLab.A, "advertise", "--name", "mk target", "--interface", NetnsLab.AddrA,
                "--port", "43299", "--storage-bytes", "3GB", "--node-id", "n42", "--txt", "fp=beef");
            Assert.NotNull(us.WaitForLine(l => l == "mk target", s_claim));

            var mk = lab.StartMakaretu(NetnsLab.B, "browse", "10", "_aetherlight._tcp", "mk target");
            Assert.True(mk.WaitForExit(TimeSpan.FromSeconds(15)), mk.Output);
            string? found = mk.WaitForLine(l => l.StartsWith("Found mk target ", StringComparison.Ordinal), TimeSpan.Zero);
            Assert.True(found != null, mk.Output + "\n--- us:\n" + us.Output);
            Assert.Contains("port=43299 host=aether-n42.local addrs=" + NetnsLab.AddrA + " ", found);
            Assert.Contains("txt=device_type=hub;fp=beef;node_id=n42;storage_bytes=3000000000;version=", found);
        }

        [NetnsFact]
        public void MakaretuResponder_AetherPeers_FindsItWithAddressAndTxt()
        {
            using var lab = new NetnsLab();
            NetnsLab.AddMulticastRoute(NetnsLab.B);
            var mk = lab.StartMakaretu(NetnsLab.B, "register", "30", "mk node", "_aetherlight._tcp", "4712", NetnsLab.AddrB,
                "node_id=mk1", "device_type=desktop", "storage_bytes=77");
            Assert.True(mk.WaitForLine(l => l.StartsWith("Registered mk node", StringComparison.Ordinal), s_claim) != null, mk.Output);

            var peers = lab.StartAether(NetnsLab.A, "peers", "--interface", NetnsLab.AddrA, "--json", "--timeout", "6", "--wait-for", "mk node");
            Assert.True(peers.WaitForExit(TimeSpan.FromSeconds(15)), peers.Output);
            Assert.True(peers.ExitCode == 0, peers.Output + "\n--- makaretu:\n" + mk.Output);
            var peer = FindPeer(peers.Output, "mk node");
            Assert.Equal(4712, peer.GetProperty("port").GetInt32());
            // Makaretu names its host "<instance>.<service without underscores>.local", spaces and all: we take it as given.
            Assert.Equal("mk node.aetherlight.local", peer.GetProperty("host").GetString());
            Assert.Contains(NetnsLab.AddrB, peer.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal("mk1", peer.GetProperty("txt").GetProperty("node_id").GetString());
            Assert.Equal("1", peer.GetProperty("txt").GetProperty("txtvers").GetString());
            Assert.Equal("desktop", peer.GetProperty("deviceKind").GetString());
            Assert.Equal(77, peer.GetProperty("storageBytes").GetInt64());
        }

        [NetnsFact]
        public void Makaretu_OnALinkWithoutAMulticastRoute_CannotSetUpItsSender_TheirBugNotOurs()
        {
            // Makaretu 0.27.0 joins 224.0.0.251 on its send socket with INADDR_ANY; with no route for the group (an
            // offline kit without a default gateway, like this lab) the kernel refuses (ENODEV), Makaretu logs the
            // error and stays receive-only. Our responder needs no route: the tests above without AddMulticastRoute
            // (MdnsInteropTests) pass on the same kind of link.
            using var lab = new NetnsLab();
            var mk = lab.Start(NetnsLab.B, "env", "MAKARETU_TRACE=1", NetnsLab.Dotnet, NetnsLab.MakaretuDll,
                "register", "1", "mk mute", "_aetherlight._tcp", "4713", NetnsLab.AddrB);
            Assert.True(mk.WaitForExit(TimeSpan.FromSeconds(10)), mk.Output);
            Assert.Contains("Cannot setup send socket for " + NetnsLab.AddrB, mk.Output);
        }

        private static JsonElement FindPeer(string output, string instance)
        {
            int start = output.IndexOf('[');
            Assert.True(start >= 0, output);
            int end = output.LastIndexOf(']');
            using var doc = JsonDocument.Parse(output.Substring(start, end - start + 1));
            foreach (var p in doc.RootElement.EnumerateArray())
            {
                if (p.GetProperty("instance").GetString() == instance)
                {
                    return p.Clone();
                }
            }

            throw new Xunit.Sdk.XunitException($"instance '{instance}' not in output:\n{output}");
        }
    }
}
