using AetherEdge.Core.Protocol;
using AetherEdge.Core.WifiDirect;

namespace AetherEdge.Core.Tests.WifiDirect
{
    public class P2pEventParserTests
    {
        [Fact]
        public void DeviceFound_VerbatimLine_AllFieldsAndQuotedName()
        {
            var e = P2pEventParser.Parse("<3>P2P-DEVICE-FOUND 02:00:00:00:01:00 p2p_dev_addr=02:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='Kit Hub A' config_methods=0x188 dev_capab=0x25 group_capab=0x0 new=1");
            Assert.Equal(P2pEventKind.DeviceFound, e.Kind);
            Assert.Equal(3, e.Level);
            Assert.Null(e.Interface);
            Assert.Equal("02:00:00:00:01:00", e.PeerAddress);
            Assert.Equal("Kit Hub A", e.Get("name"));
            Assert.Equal("0x0", e.Get("group_capab"));
            Assert.Equal("1", e.Get("new"));
        }

        [Fact]
        public void GlobalSocketForm_IfnamePrefix_IsTheInterface()
        {
            var e = P2pEventParser.Parse("IFNAME=p2p-dev-wlan0 <3>P2P-DEVICE-LOST p2p_dev_addr=02:00:00:00:01:00");
            Assert.Equal("p2p-dev-wlan0", e.Interface);
            Assert.Equal(P2pEventKind.DeviceLost, e.Kind);
            Assert.Equal("02:00:00:00:01:00", e.PeerAddress);
        }

        [Fact]
        public void GroupStarted_ClientWithIpAllocation_RolePersistentAndAddresses()
        {
            var e = P2pEventParser.Parse("<3>P2P-GROUP-STARTED p2p-wlan0-0 client ssid=\"DIRECT-ab\" freq=2437 psk=0123abcd go_dev_addr=02:00:00:00:02:00 [PERSISTENT] ip_addr=192.168.42.11 ip_mask=255.255.255.0 go_ip_addr=192.168.42.1");
            Assert.Equal(P2pEventKind.GroupStarted, e.Kind);
            Assert.Equal("p2p-wlan0-0", e.Positional(0));
            Assert.Equal("client", e.Positional(1));
            Assert.True(e.HasFlag("[PERSISTENT]"));
            Assert.Equal("DIRECT-ab", e.Get("ssid"));
            Assert.Equal("192.168.42.11", e.Get("ip_addr"));
            Assert.Equal("192.168.42.1", e.Get("go_ip_addr"));
            Assert.Null(e.PeerAddress);
        }

        [Theory]
        [InlineData("<3>P2P-GO-NEG-SUCCESS role=GO freq=2412 ht40=0 peer_dev=02:00:00:00:01:00 peer_iface=02:00:00:00:01:00 wps_method=PBC", P2pEventKind.GoNegSuccess)]
        [InlineData("<3>P2P-GO-NEG-REQUEST 02:00:00:00:01:00 dev_passwd_id=4 go_intent=14", P2pEventKind.GoNegRequest)]
        [InlineData("<3>P2P-GO-NEG-FAILURE status=9", P2pEventKind.GoNegFailure)]
        [InlineData("<3>P2P-GROUP-FORMATION-SUCCESS ", P2pEventKind.GroupFormationSuccess)]
        [InlineData("<3>P2P-GROUP-FORMATION-FAILURE", P2pEventKind.GroupFormationFailure)]
        [InlineData("<3>P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=IDLE", P2pEventKind.GroupRemoved)]
        [InlineData("<3>P2P-SERV-DISC-RESP 02:00:00:00:01:00 1 0b00010100ff", P2pEventKind.ServDiscResp)]
        [InlineData("<3>AP-STA-CONNECTED 02:00:00:00:01:00 p2p_dev_addr=02:00:00:00:01:00 ip_addr=192.168.42.11", P2pEventKind.ApStaConnected)]
        [InlineData("<3>AP-STA-DISCONNECTED 02:00:00:00:01:00 p2p_dev_addr=02:00:00:00:01:00", P2pEventKind.ApStaDisconnected)]
        [InlineData("<3>WPS-PBC-ACTIVE ", P2pEventKind.Other)]
        [InlineData("<3>CTRL-EVENT-DISCONNECTED bssid=01:80:c2:00:00:03 reason=3 locally_generated=1", P2pEventKind.Other)]
        [InlineData("<3>CTRL-EVENT-NETWORK-ADDED 0", P2pEventKind.Other)]
        public void VerbatimEvents_ParseToTheirKind(string line, P2pEventKind kind) =>
            Assert.Equal(kind, P2pEventParser.Parse(line).Kind);

        [Fact]
        public void UnknownKeys_AreKeptAndIgnored_FirstDuplicateWins()
        {
            var e = P2pEventParser.Parse("<3>P2P-GO-NEG-FAILURE status=1 future_key=x status=7");
            Assert.Equal("1", e.Get("status"));
            Assert.Equal("x", e.Get("future_key"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("<3>")]
        [InlineData("<x>P2P-FIND")]
        [InlineData("<3P2P-FIND")]
        [InlineData("IFNAME=<3>P2P-FIND")]
        [InlineData("<3>P2P-DEVICE-FOUND not-a-mac p2p_dev_addr=02:00:00:00:01:00")]
        [InlineData("<3>P2P-DEVICE-LOST")]
        [InlineData("<3>P2P-GROUP-STARTED p2p-wlan0-0 boss ssid=\"x\"")]
        [InlineData("<3>P2P-GROUP-STARTED ../../etc GO")]
        [InlineData("<3>P2P-GROUP-STARTED p2p-wlan0-0 client ip_addr=300.1.1.1")]
        [InlineData("<3>P2P-SERV-DISC-RESP 02:00:00:00:01:00 1 0b0")]
        [InlineData("<3>P2P-SERV-DISC-RESP 02:00:00:00:01:00 1 zz")]
        [InlineData("<3>P2P-DEVICE-FOUND 02:00:00:00:01:00 name='unterminated")]
        [InlineData("<3>P2P-GO-NEG-FAILURE =1")]
        [InlineData("<3>P2P-GO-NEG-FAILURE status=\u0001")]
        public void Malformed_IsRefusedWithTheProtocolException(string line)
        {
            Assert.Throws<ProtocolViolationException>(() => P2pEventParser.Parse(line));
            Assert.Null(P2pEventParser.TryParse(line));
        }

        [Fact]
        public void OverlongLine_IsRefused() =>
            Assert.Null(P2pEventParser.TryParse("<3>X " + new string('a', WifiDirectLimits.MaxEventLength)));

        [Fact]
        public void QuotedValues_StrayQuoteAndEscapes_RoundTripThroughToLine()
        {
            var e = P2pEventParser.Parse("<3>P2P-DEVICE-FOUND 02:00:00:00:01:00 name='Bob's phone' ssid=\"a\\\"b c\\\\\" x=");
            Assert.Equal("Bob's phone", e.Get("name"));
            Assert.Equal("a\"b c\\", e.Get("ssid"));
            Assert.Equal(string.Empty, e.Get("x"));
            var again = P2pEventParser.Parse(e.ToLine());
            Assert.Equal(e.ToLine(), again.ToLine());
            Assert.Equal("Bob's phone", again.Get("name"));
            Assert.Equal("a\"b c\\", again.Get("ssid"));
        }

        [Fact]
        public void RandomLines_NeverThrowAnythingButTheProtocolException_AndAcceptedOnesRoundTrip()
        {
            var random = new Random(14);
            string[] pieces = { "<3>", "IFNAME=p2p-dev-wlan0 ", "P2P-DEVICE-FOUND", "P2P-GROUP-STARTED", " ", "=", "'", "\"", "\\", "02:00:00:00:01:00", "p2p-wlan0-0", "GO", "client", "a", "ip_addr=", "10.0.0.1", "[PERSISTENT]", "<", ">" };
            int accepted = 0;
            for (int i = 0; i < 20_000; i++)
            {
                var sb = new System.Text.StringBuilder();
                int n = random.Next(1, 12);
                for (int j = 0; j < n; j++)
                {
                    sb.Append(pieces[random.Next(pieces.Length)]);
                }

                P2pEvent? e;
                try
                {
                    e = P2pEventParser.Parse(sb.ToString());
                }
                catch (ProtocolViolationException)
                {
                    continue;
                }

                accepted++;
                string line = e.ToLine();
                Assert.Equal(line, P2pEventParser.Parse(line).ToLine());
            }

            Assert.True(accepted > 100, "accepted " + accepted);
        }
    }
}
