using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Devices;
using AetherEdge.Core.WifiDirect;
using AetherEdge.HostNode.WifiDirect;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    public sealed class P2pManagerTests
    {
        private const string PeerAddr = "02:00:00:00:0b:00";
        private const string OurId = "AAAA-0001";
        private const string TrustedId = "BBBB-0002";
        private readonly ScriptedControl _control = new();
        private readonly RecordingNetwork _network = new();
        private readonly ManualClock _clock = new();
        private DeviceProfile _profile = new("me", DeviceKind.Hub, 1_000_000, 0, true, BatteryStatus.Mains, false, true);

        private P2pManager Manager(string ourId = OurId)
        {
            var ours = new AetherServiceRecord("aether-me", ourId, "hub", 1_000_000, "1.0");
            var m = new P2pManager(_control, ours, id => id == TrustedId || id == "AAAA-0000", () => _profile, _network, _clock, new P2pOptions(), new P2pCounters());
            Assert.True(m.Start());
            _control.Sent.Clear();
            return m;
        }

        private static string ServiceResponse(string address, string nodeId) =>
            "<3>P2P-SERV-DISC-RESP " + address + " 1 " + Hex.Encode(ServiceDiscoveryTlv.EncodeResponse(
                new[] { new AetherServiceRecord("aether-x", nodeId, "hub", 5, "1.0").Ptr(), new AetherServiceRecord("aether-x", nodeId, "hub", 5, "1.0").Txt() }, 1));

        private static string Found(string address, bool go = false) =>
            "<3>P2P-DEVICE-FOUND " + address + " p2p_dev_addr=" + address + " pri_dev_type=1-0050F204-1 name='kit' config_methods=0x188 dev_capab=0x25 group_capab=" + (go ? "0x1" : "0x0") + " new=1";

        [Fact]
        public void Start_PublishesPtrAndTxt_FindsAndAsksEveryPeerForBonjour()
        {
            var ours = new AetherServiceRecord("aether-me", OurId, "hub", 1_000_000, "1.0");
            var m = new P2pManager(_control, ours, _ => false, () => _profile, _network, _clock, new P2pOptions(), new P2pCounters());
            Assert.True(m.Start());
            Assert.Contains("P2P_SERVICE_ADD bonjour 0c5f6165746865726c69676874c00c000c01 " + Hex.Encode(ours.Ptr().Rdata), _control.Sent);
            Assert.Contains(_control.Sent, c => c.StartsWith("P2P_SERVICE_ADD bonjour 09616574686572", StringComparison.Ordinal));
            Assert.Contains("P2P_FIND", _control.Sent);
            Assert.Contains("P2P_SERV_DISC_REQ 00:00:00:00:00:00 02000101", _control.Sent);

            // A wpa_supplicant NetworkManager started read no config of ours: persistent re-invites and IP allocation are set here.
            Assert.True(_control.Sent.IndexOf("SET persistent_reconnect 1") < _control.Sent.IndexOf("P2P_FIND"));
            Assert.Contains("SET ip_addr_go 192.168.42.1", _control.Sent);
            Assert.Contains("SET ip_addr_start 192.168.42.10", _control.Sent);
        }

        [Fact]
        public void Start_P2pFindRefused_NoP2pSupport_NotRunning_EventsIgnored()
        {
            _control.Replies["P2P_FIND"] = "FAIL\n";
            var ours = new AetherServiceRecord("aether-me", OurId, "hub", 1, "1.0");
            var m = new P2pManager(_control, ours, _ => true, () => _profile, _network, _clock, new P2pOptions(), new P2pCounters());
            Assert.False(m.Start());
            Assert.True(m.NoP2pSupport);
            m.OnEventLine(Found(PeerAddr));
            m.Tick();
            Assert.Empty(m.Peers());
        }

        [Fact]
        public void TrustedPeerByServiceDiscovery_SmallerIdConnectsPersistentWithHubIntent_GroupUpCarriesAddresses()
        {
            var m = Manager();
            m.OnEventLine(Found(PeerAddr));
            m.Tick();
            Assert.DoesNotContain(_control.Sent, c => c.StartsWith("P2P_CONNECT", StringComparison.Ordinal));
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            Assert.Contains("P2P_CONNECT " + PeerAddr + " pbc persistent go_intent=14", _control.Sent);
            Assert.Equal(1, m.Counters.TrustedPeersDiscovered);

            m.OnEventLine("<3>P2P-GROUP-STARTED p2p-wlan0-0 GO ssid=\"DIRECT-xy\" freq=2437 passphrase=\"abcdefgh\" go_dev_addr=02:00:00:00:0a:00 [PERSISTENT]");
            var up = Assert.Single(_network.Up);
            Assert.Equal(P2pRole.GroupOwner, up.Role);
            Assert.True(up.Persistent);
            Assert.Equal("p2p-wlan0-0", m.Group!.Interface);
        }

        [Fact]
        public void LargerId_WaitsForThePeerToNegotiate_ThenAnswersItsRequest()
        {
            var m = Manager("ZZZZ-9999");
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            Assert.DoesNotContain(_control.Sent, c => c.StartsWith("P2P_CONNECT", StringComparison.Ordinal));
            m.OnEventLine("<3>P2P-GO-NEG-REQUEST " + PeerAddr + " dev_passwd_id=4 go_intent=14");
            Assert.Contains("P2P_CONNECT " + PeerAddr + " pbc persistent go_intent=14", _control.Sent);
        }

        [Fact]
        public void NegotiationRequestFromAPeerNotYetHeard_AsksItsServicesFirst_AnswersOnceTrusted()
        {
            var m = Manager("ZZZZ-9999");
            m.OnEventLine("<3>P2P-GO-NEG-REQUEST " + PeerAddr + " dev_passwd_id=4 go_intent=3");
            Assert.Contains("P2P_SERV_DISC_REQ " + PeerAddr + " 02000102", _control.Sent);
            Assert.DoesNotContain(_control.Sent, c => c.StartsWith("P2P_CONNECT", StringComparison.Ordinal));
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            Assert.Contains("P2P_CONNECT " + PeerAddr + " pbc persistent go_intent=14", _control.Sent);
        }

        [Fact]
        public void UntrustedPeer_IsCountedAndNeverJoined_NorAnswered()
        {
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, "CCCC-STRANGER"));
            for (int i = 0; i < 5; i++)
            {
                _clock.Advance(TimeSpan.FromMinutes(3));
                m.Tick();
            }

            m.OnEventLine("<3>P2P-GO-NEG-REQUEST " + PeerAddr + " dev_passwd_id=4 go_intent=14");
            Assert.DoesNotContain(_control.Sent, c => c.StartsWith("P2P_CONNECT", StringComparison.Ordinal));
            Assert.Equal(1, m.Counters.UntrustedPeers);
            Assert.Equal(0, m.Counters.TrustedPeersDiscovered);
        }

        [Fact]
        public void LaptopOnBatteryAt40_DeclinesToFormAGroup_ReasonCounted()
        {
            _profile = new DeviceProfile("me", DeviceKind.Laptop, 1_000_000, 0, false, new BatteryStatus(40, false), false, true);
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            m.Tick();
            Assert.DoesNotContain(_control.Sent, c => c.StartsWith("P2P_CONNECT", StringComparison.Ordinal));
            Assert.Equal(1, m.Counters.DeclinedBattery);
            _clock.Advance(TimeSpan.FromMinutes(1));
            _profile = new DeviceProfile("me", DeviceKind.Laptop, 1_000_000, 0, false, new BatteryStatus(40, true), false, true);
            m.Tick();
            Assert.Contains("P2P_CONNECT " + PeerAddr + " pbc persistent go_intent=7", _control.Sent);
        }

        [Fact]
        public void FailedFormation_RetriedWithDoublingBackoff()
        {
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            Assert.Equal(1, _control.Count("P2P_CONNECT"));
            m.OnEventLine("<3>P2P-GO-NEG-FAILURE status=1");
            _clock.Advance(TimeSpan.FromSeconds(4));
            m.Tick();
            Assert.Equal(1, _control.Count("P2P_CONNECT"));
            _clock.Advance(TimeSpan.FromSeconds(1));
            m.Tick();
            Assert.Equal(2, _control.Count("P2P_CONNECT"));
            m.OnEventLine("<3>P2P-GROUP-FORMATION-FAILURE ");
            _clock.Advance(TimeSpan.FromSeconds(9));
            m.Tick();
            Assert.Equal(2, _control.Count("P2P_CONNECT"));
            _clock.Advance(TimeSpan.FromSeconds(1));
            m.Tick();
            Assert.Equal(3, _control.Count("P2P_CONNECT"));
            Assert.Equal(2, m.Counters.FormationFailures);
        }

        [Fact]
        public void RogueGroupOwner_NoTrustedDeviceProvesItself_ClientLeavesAndAvoidsIt()
        {
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId)); // the rogue claims a trusted ID; only TLS can tell
            m.Tick();
            m.OnEventLine("<3>P2P-GROUP-STARTED p2p-wlan0-0 client ssid=\"DIRECT-r\" freq=2437 psk=00 go_dev_addr=" + PeerAddr + " ip_addr=192.168.42.11 ip_mask=255.255.255.0 go_ip_addr=192.168.42.1");
            Assert.Equal("192.168.42.1", _network.Up.Single().GoIpAddress);
            _clock.Advance(TimeSpan.FromSeconds(91));
            m.Tick();
            Assert.Contains("P2P_GROUP_REMOVE p2p-wlan0-0", _control.Sent);
            Assert.Single(_network.Down);
            Assert.Equal(1, m.Counters.GroupsLeftUnverified);
            Assert.Null(m.Group);

            _clock.Advance(TimeSpan.FromMinutes(29));
            m.Tick();
            Assert.Equal(1, _control.Count("P2P_CONNECT"));
            _clock.Advance(TimeSpan.FromMinutes(2));
            m.Tick();
            Assert.Equal(2, _control.Count("P2P_CONNECT"));
        }

        [Fact]
        public void VerifiedGroup_Stays_UntilIdleForFiveMinutes()
        {
            var m = Manager();
            m.OnEventLine("<3>P2P-GROUP-STARTED p2p-wlan0-0 GO ssid=\"DIRECT-xy\" freq=2437 go_dev_addr=02:00:00:00:0a:00");
            m.ConfirmTrusted("p2p-wlan0-0");
            _clock.Advance(TimeSpan.FromMinutes(4));
            m.NoteTraffic("p2p-wlan0-0");
            _clock.Advance(TimeSpan.FromMinutes(4));
            m.Tick();
            Assert.NotNull(m.Group);
            _clock.Advance(TimeSpan.FromMinutes(2));
            m.Tick();
            Assert.Null(m.Group);
            Assert.Equal(1, m.Counters.GroupsRemovedIdle);
            Assert.Contains("P2P_GROUP_REMOVE p2p-wlan0-0", _control.Sent);
        }

        [Fact]
        public void GroupOwner_AuthorisesTrustedJoinersUntilEightDevices_StrangersCountedAndRefused()
        {
            var m = Manager();
            m.OnEventLine("<3>P2P-GROUP-STARTED p2p-wlan0-0 GO ssid=\"DIRECT-xy\" freq=2437 go_dev_addr=02:00:00:00:0a:00");
            m.ConfirmTrusted("p2p-wlan0-0");
            for (int i = 0; i < 8; i++)
            {
                string a = "02:00:00:00:0c:0" + i;
                m.OnEventLine(ServiceResponse(a, TrustedId));
                m.OnEventLine("<3>P2P-PROV-DISC-PBC-REQ " + a + " p2p_dev_addr=" + a);
                if (_control.OnGroup.Count == i + 1)
                {
                    m.OnEventLine("<3>AP-STA-CONNECTED " + a + " p2p_dev_addr=" + a);
                }
            }

            Assert.Equal(7, _control.OnGroup.Count);
            Assert.All(_control.OnGroup, c => Assert.StartsWith("p2p-wlan0-0 WPS_PBC 02:00:00:00:0c:0", c, StringComparison.Ordinal));
            Assert.Equal(7, m.GroupPeers);

            m.OnEventLine("<3>AP-STA-DISCONNECTED 02:00:00:00:0c:00 p2p_dev_addr=02:00:00:00:0c:00");
            m.OnEventLine("<3>P2P-PROV-DISC-PBC-REQ 02:00:00:00:0d:00 p2p_dev_addr=02:00:00:00:0d:00");
            Assert.Equal(7, _control.OnGroup.Count);
            m.OnEventLine("<3>AP-STA-CONNECTED 02:00:00:00:0d:00 p2p_dev_addr=02:00:00:00:0d:00");
            Assert.Equal(1, m.Counters.StrangersJoined);
        }

        [Fact]
        public void ManyRadioPeers_TableBounded_TrustedOnesKept_MalformedCounted()
        {
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            for (int i = 0; i < 200; i++)
            {
                m.OnEventLine(Found("02:00:00:01:" + (i / 16).ToString("x2") + ":" + (i % 16).ToString("x2")));
            }

            m.OnEventLine("<3>P2P-DEVICE-FOUND garbage");
            m.OnEventLine("<3>P2P-SERV-DISC-RESP " + PeerAddr + " 1 ff00");
            Assert.True(m.Peers().Count <= 64);
            Assert.Contains(m.Peers(), p => p.Address == PeerAddr && p.Trusted && p.NodeId == TrustedId);
            Assert.Equal(201 - 64, m.Counters.PeersDropped);
            Assert.Equal(2, m.Counters.MalformedEvents);
        }

        [Fact]
        public void PersistentGroupWithThePeer_ReinvitedWithoutNegotiation()
        {
            _control.Replies["LIST_NETWORKS"] = "network id / ssid / bssid / flags\n0\tDIRECT-ab\t" + PeerAddr + "\t[DISABLED][P2P-PERSISTENT]\n1\thome\tany\t\n";
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            Assert.Contains("P2P_INVITE persistent=0 peer=" + PeerAddr, _control.Sent);
        }

        [Fact]
        public void RogueGroupOwner_FailsTls_ClientLeavesAtOnce_NotAtTheVerifyTimeout_AndAvoidsIt()
        {
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            m.OnEventLine("<3>P2P-GROUP-STARTED p2p-wlan0-0 client ssid=\"DIRECT-r\" freq=2437 psk=00 go_dev_addr=" + PeerAddr + " ip_addr=192.168.42.11 ip_mask=255.255.255.0 go_ip_addr=192.168.42.1");
            m.RejectGroup("p2p-wlan0-0");
            Assert.Contains("P2P_GROUP_REMOVE p2p-wlan0-0", _control.Sent);
            Assert.Equal(1, m.Counters.GroupsLeftUnverified);
            Assert.Null(m.Group);

            // Avoided for 30 min: no new attempt even after its backoff, and a re-invitation into its group is left at once.
            _clock.Advance(TimeSpan.FromMinutes(10));
            m.Tick();
            Assert.Equal(1, _control.Count("P2P_CONNECT"));
            m.OnEventLine("<3>P2P-GROUP-STARTED p2p-wlan0-0 client ssid=\"DIRECT-r\" freq=2437 psk=00 go_dev_addr=" + PeerAddr + " [PERSISTENT]");
            Assert.Null(m.Group);
            Assert.Equal(2, m.Counters.GroupsLeftUnverified);
            Assert.Single(_network.Up);
        }

        [Fact]
        public void RogueGroupOwner_Left_ItsStoredPersistentGroupIsRemoved_SoItCannotReinviteUs()
        {
            var m = Manager();
            _control.Replies["LIST_NETWORKS"] = "network id / ssid / bssid / flags\n4\tDIRECT-r\t" + PeerAddr + "\t[DISABLED][P2P-PERSISTENT]\n";
            m.OnEventLine("<3>P2P-GROUP-STARTED p2p-wlan0-0 client ssid=\"DIRECT-r\" freq=2437 psk=00 go_dev_addr=" + PeerAddr + " [PERSISTENT] go_ip_addr=192.168.42.1");
            m.RejectGroup("p2p-wlan0-0");
            Assert.Contains("REMOVE_NETWORK 4", _control.Sent);
            Assert.True(_control.Sent.IndexOf("P2P_GROUP_REMOVE p2p-wlan0-0") < _control.Sent.IndexOf("REMOVE_NETWORK 4"));
        }

        [Fact]
        public void RejectGroup_AfterTheGroupWasVerified_IsIgnored()
        {
            var m = Manager();
            m.OnEventLine("<3>P2P-GROUP-STARTED p2p-wlan0-0 client ssid=\"DIRECT-r\" freq=2437 psk=00 go_dev_addr=" + PeerAddr + " go_ip_addr=192.168.42.1");
            m.ConfirmTrusted("p2p-wlan0-0");
            m.RejectGroup("p2p-wlan0-0");
            Assert.NotNull(m.Group);
            Assert.Equal(0, m.Counters.GroupsLeftUnverified);
        }

        [Fact]
        public void PersistentGroupWeOwned_ClientsFromGetNetwork_AreReinvited()
        {
            _control.Replies["LIST_NETWORKS"] = "network id / ssid / bssid / flags\n3\tDIRECT-cd\t02:00:00:00:0a:00\t[DISABLED][P2P-PERSISTENT]\n";
            _control.Replies["GET_NETWORK 3 p2p_client_list"] = "02:00:00:00:0c:01 " + PeerAddr;
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            Assert.Contains("P2P_INVITE persistent=3 peer=" + PeerAddr, _control.Sent);
        }

        [Fact]
        public void InvitationRefusedAsUnknownGroup_RetriedWithBackoff_ByNegotiation()
        {
            _control.Replies["LIST_NETWORKS"] = "network id / ssid / bssid / flags\n0\tDIRECT-ab\t" + PeerAddr + "\t[DISABLED][P2P-PERSISTENT]\n";
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            Assert.Equal(1, _control.Count("P2P_INVITE"));
            m.OnEventLine("<3>P2P-INVITATION-RESULT status=8");
            Assert.Equal(1, m.Counters.FormationFailures);
            _clock.Advance(TimeSpan.FromSeconds(4));
            m.Tick();
            Assert.Equal(0, _control.Count("P2P_CONNECT"));
            _clock.Advance(TimeSpan.FromSeconds(1));
            m.Tick();
            Assert.Contains("P2P_CONNECT " + PeerAddr + " pbc persistent go_intent=14", _control.Sent);
            Assert.Equal(1, _control.Count("P2P_INVITE"));
        }

        [Fact]
        public void InvitationResultSuccess_WaitsForTheGroup()
        {
            _control.Replies["LIST_NETWORKS"] = "network id / ssid / bssid / flags\n0\tDIRECT-ab\t" + PeerAddr + "\t[DISABLED][P2P-PERSISTENT]\n";
            var m = Manager();
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            m.OnEventLine("<3>P2P-INVITATION-RESULT status=0");
            Assert.Equal(0, m.Counters.FormationFailures);
            m.OnEventLine("<3>P2P-GROUP-STARTED p2p-wlan0-0 client ssid=\"DIRECT-ab\" freq=2437 psk=00 go_dev_addr=" + PeerAddr + " [PERSISTENT] ip_addr=192.168.42.11 ip_mask=255.255.255.0 go_ip_addr=192.168.42.1");
            Assert.True(m.Group!.Persistent);
        }

        [Fact]
        public void PeerAlreadyGroupOwner_JoinsItsGroup()
        {
            var m = Manager("ZZZZ-9999");
            m.OnEventLine(Found(PeerAddr, go: true));
            m.OnEventLine(ServiceResponse(PeerAddr, TrustedId));
            m.Tick();
            Assert.Contains("P2P_CONNECT " + PeerAddr + " pbc join", _control.Sent);
        }

        internal sealed class ScriptedControl : IP2pControl
        {
            public List<string> Sent { get; } = new();

            public List<string> OnGroup { get; } = new();

            public Dictionary<string, string> Replies { get; } = new();

            public int Count(string prefix) => Sent.Count(c => c.StartsWith(prefix, StringComparison.Ordinal));

            public string Request(string command)
            {
                Sent.Add(command);
                return Replies.TryGetValue(command, out var r) ? r : command == "LIST_NETWORKS" ? "network id / ssid / bssid / flags\n" : "OK\n";
            }

            public string RequestOn(string ifname, string command)
            {
                OnGroup.Add(ifname + " " + command);
                return "OK\n";
            }
        }

        internal sealed class RecordingNetwork : IP2pGroupNetwork
        {
            public List<P2pGroup> Up { get; } = new();

            public List<P2pGroup> Down { get; } = new();

            public void GroupUp(P2pGroup group) => Up.Add(group);

            public void GroupDown(P2pGroup group) => Down.Add(group);
        }

        internal sealed class ManualClock : IClock
        {
            public long MonotonicMilliseconds { get; private set; } = 1_000_000;

            public DateTime UtcNow => DateTime.UnixEpoch.AddMilliseconds(MonotonicMilliseconds);

            public void Advance(TimeSpan by) => MonotonicMilliseconds += (long)by.TotalMilliseconds;
        }
    }
}
