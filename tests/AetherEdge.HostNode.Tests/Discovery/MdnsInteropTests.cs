using System.Text.Json;

namespace AetherEdge.HostNode.Tests.Discovery
{
    /// <summary>
    /// Real interop in network namespaces: the built `aether` against python3-zeroconf 0.47 and avahi 0.8.
    /// Each test builds its own namespaces and tears them down; every wait is bounded.
    /// </summary>
    [Collection(NetnsLab.Collection)]
    public class MdnsInteropTests
    {
        // A claim takes about a second (three probes 250 ms apart plus a random start); the bound is for a hub
        // process still starting its other services on a loaded 2-core machine (it once missed 8 s there).
        private static readonly TimeSpan s_claim = TimeSpan.FromSeconds(20);

        [NetnsFact]
        public void OurResponder_ZeroconfBrowser_SeesInstanceWithTxt()
        {
            using var lab = new NetnsLab();
            var us = lab.StartAether(NetnsLab.A, "advertise", "--name", "cs node", "--interface", NetnsLab.AddrA,
                "--port", "43216", "--storage-bytes", "2GB", "--node-id", "abc123", "--txt", "fp=f00d");
            Assert.NotNull(us.WaitForLine(l => l == "cs node", s_claim));

            var zc = lab.StartPython(NetnsLab.B, "zc_browse.py", NetnsLab.AddrB, "8", "cs node");
            Assert.True(zc.WaitForExit(TimeSpan.FromSeconds(12)), zc.Output);
            string? added = zc.WaitForLine(l => l.StartsWith("Added cs node ", StringComparison.Ordinal), TimeSpan.Zero);
            Assert.True(added != null, zc.Output);
            Assert.Contains("port=43216", added);
            Assert.Contains(NetnsLab.AddrA, added);
            Assert.Contains("device_type=hub;fp=f00d;node_id=abc123;storage_bytes=2000000000;version=", added);

            // A legacy one-shot query from an ephemeral port gets a unicast reply: ID and question echoed,
            // no cache-flush bit, TTL at most 10 s (RFC 6762 §6.7).
            var legacy = lab.StartPython(NetnsLab.B, "legacy_query.py", NetnsLab.AddrB, "cs node._aetherlight._tcp.local", "33");
            Assert.True(legacy.WaitForExit(TimeSpan.FromSeconds(5)), legacy.Output);
            string? reply = legacy.WaitForLine(l => l.StartsWith("Reply ", StringComparison.Ordinal), TimeSpan.Zero);
            Assert.True(reply != null, legacy.Output);
            Assert.Contains("id=23130 from=" + NetnsLab.AddrA + ":5353 qd=1 an=1 flush=0", reply);
            Assert.Matches("maxttl=(10|[0-9]) ", reply);
            Assert.StartsWith("33,", reply.Split("types=")[1]);
        }

        [NetnsFact]
        public void OurShutdown_ZeroconfSeesRemovalAndProcessExitsCleanly()
        {
            using var lab = new NetnsLab();
            var us = lab.StartAether(NetnsLab.A, "advertise", "--name", "leaving", "--interface", NetnsLab.AddrA);
            Assert.NotNull(us.WaitForLine(l => l == "leaving", s_claim));
            var zc = lab.StartPython(NetnsLab.B, "zc_browse.py", NetnsLab.AddrB, "10");
            Assert.True(zc.WaitForLine(l => l.StartsWith("Added leaving ", StringComparison.Ordinal), s_claim) != null, zc.Output);

            us.Terminate();
            Assert.True(zc.WaitForLine(l => l.StartsWith("Removed leaving", StringComparison.Ordinal), TimeSpan.FromSeconds(3)) != null, zc.Output);
            Assert.True(us.WaitForExit(TimeSpan.FromSeconds(5)), us.Output);
            Assert.Equal(0, us.ExitCode);
        }

        [NetnsFact]
        public void AddressChange_WeProbeAndAnnounceAgain_ZeroconfSeesTheNewAddress()
        {
            using var lab = new NetnsLab();
            const string moved = "10.77.0.11";
            var us = lab.StartAether(NetnsLab.A, "advertise", "--name", "moving", "--port", "43217");
            Assert.NotNull(us.WaitForLine(l => l == "moving", s_claim));
            var zc = lab.StartPython(NetnsLab.B, "zc_browse.py", NetnsLab.AddrB, "15");
            Assert.True(zc.WaitForLine(l => l.StartsWith("Added moving ", StringComparison.Ordinal), s_claim) != null, zc.Output);

            NetnsLab.MoveAddressA(moved);

            // RFC 6762 §8: a link change means probing and announcing again; the announcement carries the new A record.
            Assert.True(us.WaitForLine(l => l.Contains("link aemdvA: addresses " + moved, StringComparison.Ordinal), TimeSpan.FromSeconds(5)) != null, us.Output);
            string? updated = zc.WaitForLine(l => l.StartsWith("Updated moving ", StringComparison.Ordinal) && l.Contains(moved, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
            Assert.True(updated != null, zc.Output);
            Assert.DoesNotContain("name conflict", us.Output, StringComparison.Ordinal);

            // A browser started afterwards gets the new address only.
            var fresh = lab.StartPython(NetnsLab.B, "zc_browse.py", NetnsLab.AddrB, "6", "moving");
            Assert.True(fresh.WaitForExit(TimeSpan.FromSeconds(10)), fresh.Output);
            string? added = fresh.WaitForLine(l => l.StartsWith("Added moving ", StringComparison.Ordinal), TimeSpan.Zero);
            Assert.True(added != null, fresh.Output);
            string[] addrs = added.Split(' ').Single(t => t.StartsWith("addrs=", StringComparison.Ordinal)).Substring(6).Split(',');
            Assert.Contains(moved, addrs);
            Assert.DoesNotContain(NetnsLab.AddrA, addrs);
        }

        [NetnsFact]
        public void ZeroconfResponder_AetherPeers_ListsItAsJson()
        {
            using var lab = new NetnsLab();
            var zc = lab.StartPython(NetnsLab.B, "zc_register.py", NetnsLab.AddrB, "zc-node", NetnsLab.AddrB, "4711", "30");
            Assert.True(zc.WaitForLine(l => l.StartsWith("Registered", StringComparison.Ordinal), s_claim) != null, zc.Output);

            var peers = lab.StartAether(NetnsLab.A, "peers", "--interface", NetnsLab.AddrA, "--json", "--timeout", "6", "--wait-for", "zc-node");
            Assert.True(peers.WaitForExit(TimeSpan.FromSeconds(15)), peers.Output);
            Assert.True(peers.ExitCode == 0, peers.Output);
            var peer = FindPeer(peers.Output, "zc-node");
            Assert.Equal(4711, peer.GetProperty("port").GetInt32());
            Assert.Equal("zc-zc-node.local", peer.GetProperty("host").GetString());
            Assert.Contains(NetnsLab.AddrB, peer.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal("zc-zc-node", peer.GetProperty("txt").GetProperty("node_id").GetString());
            Assert.Equal("laptop", peer.GetProperty("deviceKind").GetString());
            Assert.Equal(1000, peer.GetProperty("storageBytes").GetInt64());
        }

        [NetnsFact(needsAvahi: true)]
        public void AvahiStaticService_AetherPeers_FindsIt()
        {
            using var lab = new NetnsLab();
            lab.StartAvahi(("avahi-node", 47002, new[] { "node_id=av1", "device_type=desktop", "storage_bytes=5" }));
            var peers = lab.StartAether(NetnsLab.A, "peers", "--interface", NetnsLab.AddrA, "--json", "--timeout", "8", "--wait-for", "avahi-node");
            Assert.True(peers.WaitForExit(TimeSpan.FromSeconds(15)), peers.Output);
            Assert.True(peers.ExitCode == 0, peers.Output);
            var peer = FindPeer(peers.Output, "avahi-node");
            Assert.Equal(47002, peer.GetProperty("port").GetInt32());
            Assert.Equal("avahi-aemdb.local", peer.GetProperty("host").GetString());
            Assert.Equal("desktop", peer.GetProperty("deviceKind").GetString());
            Assert.Equal(5, peer.GetProperty("storageBytes").GetInt64());
        }

        [NetnsFact(needsAvahi: true)]
        public void NameConflictWithAvahi_WeRenameAndBothStayReachable()
        {
            using var lab = new NetnsLab();
            var avahi = lab.StartAvahi(("clash", 47002, new[] { "node_id=av1" }));
            Assert.True(avahi.WaitForLine(l => l.Contains("\"clash\"") && l.Contains("successfully established"), s_claim) != null, avahi.Output);

            var us = lab.StartAether(NetnsLab.A, "advertise", "--name", "clash", "--interface", NetnsLab.AddrA, "--port", "43216");
            Assert.True(us.WaitForLine(l => l == "clash (2)", s_claim) != null, us.Output + "\n--- avahi:\n" + avahi.Output);
            Assert.Contains("service instance name conflict: 'clash' is taken, trying 'clash (2)'", us.Output);
            Assert.DoesNotContain("Host name conflict", avahi.Output);

            var zc = lab.StartPython(NetnsLab.B, "zc_browse.py", NetnsLab.AddrB, "4");
            Assert.True(zc.WaitForExit(TimeSpan.FromSeconds(10)), zc.Output);
            Assert.Contains("Added clash (2) port=43216", zc.Output);
            Assert.Contains("Added clash port=47002", zc.Output);
            Assert.False(us.HasExited, us.Output);
        }

        [NetnsFact]
        public void AetherHub_AdvertisesWithDeviceIdFingerprint_HearsPeersButDialsNoUntrustedOne()
        {
            using var lab = new NetnsLab();
            string home = Path.Combine(Path.GetTempPath(), "aemd-hub-" + Guid.NewGuid().ToString("N"));
            try
            {
                var hub = lab.StartAether(NetnsLab.A, "hub", "--home", home, "--name", "Test Hub", "--interface", NetnsLab.AddrA, "--http-port", "0");
                string? device = hub.WaitForLine(l => l.StartsWith("aether hub: device ", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
                Assert.True(device != null, hub.Output);
                string id = device.Split(' ')[3];
                Assert.True(hub.WaitForLine(l => l.Contains("mDNS: advertising 'Test Hub'"), s_claim) != null, hub.Output);

                var zc = lab.StartPython(NetnsLab.B, "zc_browse.py", NetnsLab.AddrB, "8", "Test Hub");
                Assert.True(zc.WaitForExit(TimeSpan.FromSeconds(12)), zc.Output);
                Assert.Contains("fp=" + id + ";node_id=" + id, zc.Output);

                var other = lab.StartAether(NetnsLab.B, "advertise", "--name", "other", "--interface", NetnsLab.AddrB);
                // Heard, but an instance without a trust-circle fingerprint is only a suggestion nobody proved:
                // the hub names why it does not dial it (issue 12, item 1).
                Assert.True(hub.WaitForLine(l => l.Contains("mDNS: not dialling other at " + NetnsLab.AddrB) && l.Contains("no_fingerprint"), s_claim) != null, hub.Output);
                other.Terminate();
                Assert.True(hub.WaitForLine(l => l.Contains("mDNS: other left"), TimeSpan.FromSeconds(5)) != null, hub.Output);
                hub.Terminate();
                Assert.True(hub.WaitForExit(TimeSpan.FromSeconds(10)), hub.Output);
            }
            finally
            {
                if (Directory.Exists(home))
                {
                    Directory.Delete(home, recursive: true);
                }
            }
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
