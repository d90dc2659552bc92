using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;
using AetherEdge.HostNode.Discovery;

namespace AetherEdge.HostNode.Tests.Discovery
{
    public class DiscoveryVerbTests
    {
        [Theory]
        [InlineData("missing required option --name", "advertise")]
        [InlineData("option --kind must be one of desktop, laptop, mobile, hub, beacon, got 'toaster'", "advertise", "--name", "x", "--kind", "toaster")]
        [InlineData("option --name must be 1 to 63 bytes of UTF-8, got 64", "advertise", "--name", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
        [InlineData("option --txt entries must be key=value or key, got '=x'", "advertise", "--name", "x", "--txt", "=x")]
        [InlineData("TXT key 'k\u00e9y'", "advertise", "--name", "x", "--txt", "k\u00e9y=1")]
        [InlineData("option --port must be a whole number from 1 to 65535, got '0'", "advertise", "--name", "x", "--port", "0")]
        [InlineData("no interface has address 192.0.2.77", "advertise", "--name", "x", "--interface", "192.0.2.77")]
        [InlineData("option --interface must be an IP address, got 'eth0'", "peers", "--interface", "eth0")]
        [InlineData("option --timeout must be a number from 0.1 to 86400, got '0'", "peers", "--timeout", "0")]
        [InlineData("unknown option --jsn", "peers", "--jsn", "1")]
        [InlineData("no interface has address 192.0.2.77", "peers", "--interface", "192.0.2.77")]
        public void BadInput_ExitTwoWithOneLineNamingTheProblem(string expected, params string[] args)
        {
            var (code, _, err) = CliRunner.Run(args);
            Assert.Equal(2, code);
            Assert.Contains(expected, err);
            Assert.Single(err.Trim().Split('\n'));
        }

        [Fact]
        public void PeerInfo_FromSnapshot_LowercasesKeysParsesStorageAndScopesLinkLocal()
        {
            var txt = new TxtProperties();
            txt.Add("Device_Type", "hub");
            txt.Add("storage_bytes", "1234");
            txt.Add("flag", null);
            var linkLocal = System.Net.IPAddress.Parse("fe80::1").GetAddressBytes();
            var s = new MdnsServiceInstance(
                DnsName.Parse("_aetherlight._tcp.local").Prepend("Kitchen Hub"),
                DnsName.Parse("aether-1.local"),
                43216,
                txt.ToStrings(),
                new[] { new byte[] { 10, 77, 0, 1 }, linkLocal });

            var p = PeerInfo.From(s, "eth0", 7);
            Assert.Equal("Kitchen Hub", p.Instance);
            Assert.Equal("aether-1.local", p.Host);
            Assert.Equal(new[] { "10.77.0.1", "fe80::1%7" }, p.Addresses);
            Assert.Equal("hub", p.DeviceKind);
            Assert.Equal(1234, p.StorageBytes);
            Assert.True(p.Txt.ContainsKey("device_type"));
            Assert.Null(p.Txt["flag"]);
        }

        [Fact]
        public void AetherTxt_Build_StandardKeysThenExtra_FirstWins()
        {
            var txt = AetherTxt.Build("n1", "hub", 5, new[] { new KeyValuePair<string, string?>("fp", "ab"), new KeyValuePair<string, string?>("NODE_ID", "dup") });
            Assert.Equal(new[] { "node_id", "device_type", "storage_bytes", "version", "fp" }, txt.Keys);
            Assert.Equal("n1", txt.GetString("node_id"));
            Assert.Equal("ab", txt.GetString(AetherTxt.Fingerprint));
        }

        [Fact]
        public async Task DiscoveryMetrics_CountsPerProtocolLabel()
        {
            var m = new DiscoveryMetrics();
            m.PeerDiscovered(DiscoveryMetrics.ProtocolMdns);
            m.PeerDiscovered(DiscoveryMetrics.ProtocolMdns);
            m.PeerLost(DiscoveryMetrics.ProtocolMdns);
            m.PeerDiscovered("ble");
            Assert.Equal(2, m.Discovered("mdns"));
            Assert.Equal(1, m.Lost("mdns"));
            Assert.Equal(1, m.Discovered("ble"));
            var registry = Prometheus.Metrics.NewCustomRegistry();
            new DiscoveryMetrics(Prometheus.Metrics.WithCustomRegistry(registry)).PeerDiscovered(DiscoveryMetrics.ProtocolMdns);
            using var text = new MemoryStream();
            await registry.CollectAndExportAsTextAsync(text);
            Assert.Contains("mesh_peers_discovered_total{protocol=\"mdns\"} 1\n", System.Text.Encoding.UTF8.GetString(text.ToArray()));
        }
    }
}
