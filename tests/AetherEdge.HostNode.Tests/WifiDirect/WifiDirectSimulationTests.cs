using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using static AetherEdge.HostNode.Tests.WifiDirect.WifiDirectLab;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// End to end over a SIMULATED wpa_supplicant (no P2P radio here): two real hubs in two network namespaces
    /// that share no link find each other by P2P service discovery, form a group (the simulation's
    /// <c>p2p-wlan0-0</c>), take addresses, authenticate over TLS and sync: a put on one ends with shards on the other.
    /// </summary>
    [Collection(NetnsCollection.Name)]
    public sealed class WifiDirectSimulationTests
    {
        [SkippableFact]
        public void TwoHubsWithNoSharedLink_FindEachOtherByServiceDiscovery_FormAGroup_AndSyncShards()
        {
            Skip.IfNot(AetherEdge.HostNode.Tests.Sync.NetnsLab.IsRoot, "needs root for network namespaces (CI runs as root)");
            using var lab = new WifiDirectLab("s");
            var a = lab.Add("a");
            var b = lab.Add("b");
            lab.Pair(a, b);
            lab.Put(a, "photo", 3);
            var started = Stopwatch.StartNew();
            lab.StartHub(a);
            lab.StartHub(b);

            Assert.True(Wait(() => ShardFiles(b.Home).Count > 0, 120), lab.Diagnosis(a, b));
            double seconds = started.Elapsed.TotalSeconds;
            Assert.Contains("Wi-Fi Direct group p2p-wlan0-0 up as group owner", Read(a.Log) + Read(b.Log), StringComparison.Ordinal);
            Assert.Contains("Wi-Fi Direct group p2p-wlan0-0 up as client", Read(a.Log) + Read(b.Log), StringComparison.Ordinal);
            Console.WriteLine("wifi-direct simulation: first shards synced over the group " + seconds.ToString("F1", CultureInfo.InvariantCulture) + " s after the hubs started");

            // The hubs started before the group existed: mDNS still runs on the group link once it is up (it was
            // disabled for good before, and a group owner then never learnt its client's address), so each finds the
            // other there and a put handed to A's hub streams B's shards to B at once.
            Assert.True(Wait(() => Read(a.Log).Contains("mDNS: found kit-b", StringComparison.Ordinal) && Read(b.Log).Contains("mDNS: found kit-a", StringComparison.Ordinal), 60), lab.Diagnosis(a, b));
            lab.Put(a, "second", 3, seed: 15);
            Assert.True(Wait(() => Sample(Metrics(b), "aether_push_bytes_received_total") > 0, 60), Metrics(a) + lab.Diagnosis(a, b));

            // /metrics: the group and our role on each side, and the shard bytes counted on the wifi-direct link.
            var client = Read(a.Log).Contains("up as client", StringComparison.Ordinal) ? a : b;
            var owner = client == a ? b : a;
            Assert.Equal(1, Sample(Metrics(client), "wifi_direct_group_active{role=\"client\"}"));
            Assert.Equal(1, Sample(Metrics(owner), "wifi_direct_group_active{role=\"go\"}"));
            Assert.True(Wait(() => Sample(Metrics(b), "aether_link_bytes_total{link=\"wifi-direct\",direction=\"received\"}") > 1 << 20, 10), Metrics(b));
        }

        /// <summary>
        /// A group owner that hands out no address (not wpa_supplicant's IP allocation, e.g. a phone): the client has
        /// only its IPv6 link-local address on the group, so mDNS (ff02::fb), the verifying TLS session and sync all run
        /// over fe80:: with the group interface's scope; the client's namespace has no IPv4 address but loopback.
        /// </summary>
        [SkippableFact]
        public void GroupOwnerHandsOutNoAddress_ClientOnIpv6LinkLocalOnly_FindsByMdns_VerifiesAndSyncsOverFe80()
        {
            Skip.IfNot(AetherEdge.HostNode.Tests.Sync.NetnsLab.IsRoot, "needs root for network namespaces (CI runs as root)");
            using var lab = new WifiDirectLab("l");
            lab.Air.AllocatesAddresses = false;
            var a = lab.Add("a");
            var b = lab.Add("b");
            lab.Pair(a, b);
            lab.Put(a, "photo", 3);
            lab.StartHub(a);
            lab.StartHub(b);

            Assert.True(Wait(() => Regex.IsMatch(Read(a.Log) + Read(b.Log), "up as client"), 90), lab.Diagnosis(a, b));
            var client = Read(a.Log).Contains("up as client", StringComparison.Ordinal) ? a : b;
            var owner = client == a ? b : a;
            Assert.True(Wait(() => ShardFiles(b.Home).Count > 0, 120), lab.Diagnosis(a, b));
            Assert.Contains("no address from the group owner; IPv6 link-local only", Read(client.Log), StringComparison.Ordinal);

            // The only way between them is the group link, and the client holds no IPv4 address but loopback there.
            string v4 = NetnsNodes.Exec(client.Namespace, TimeSpan.FromSeconds(20), new[] { "ip", "-4", "-o", "addr", "show", "scope", "global" }).Output;
            Assert.True(v4.Trim().Length == 0, v4);
            Assert.True(Wait(() => Regex.IsMatch(Read(client.Log), @"group p2p-wlan0-0: verified by \S+ at \[fe80::[0-9a-f:]+%\d+\]:43216"), 60), lab.Diagnosis(client, owner));
            Assert.Equal(0, Sample(Metrics(client), "wifi_direct_groups_left_unverified_total"));
        }
    }
}
