using System.Net.Sockets;
using AetherEdge.Core.WifiDirect;
using AetherEdge.HostNode.WifiDirect;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// The control link against the real wpa_supplicant 2.10 (driver wired on a veth in a network namespace):
    /// replies, ATTACH and events, the global socket's IFNAME= form, size limits, and reconnect after restart.
    /// </summary>
    [Collection(NetnsCollection.Name)]
    public sealed class WpaControlLinkRealTests
    {
        private static readonly WpaLinkOptions s_fast = new() { ReplyTimeout = TimeSpan.FromSeconds(3) };

        [SkippableFact]
        public void Requests_RealReplies_PongUnknownCommandFailOkAndIfname()
        {
            Skip.IfNot(RealWpaSupplicant.Available, "needs root and wpasupplicant (CI installs it)");
            using var wpa = new RealWpaSupplicant();
            using var link = new WpaControlLink(wpa.SocketPath, s_fast);
            Assert.Equal("PONG\n", link.Request("PING"));
            Assert.Equal("UNKNOWN COMMAND\n", link.Request("ping"));
            Assert.Equal("UNKNOWN COMMAND\n", link.Request("P2P_PEERS"));
            Assert.Equal("FAIL\n", link.Request("P2P_FIND"));
            Assert.Equal("OK\n", link.Request("P2P_STOP_FIND"));
            Assert.Equal("veth0", link.Request("IFNAME"));
            Assert.Contains("wpa_state=", link.Request("STATUS"), StringComparison.Ordinal);
        }

        [SkippableFact]
        public void Attach_EventsArriveOnTheEventSocketOnly_DetachTwiceFailsTheSecondTime()
        {
            Skip.IfNot(RealWpaSupplicant.Available, "needs root and wpasupplicant (CI installs it)");
            using var wpa = new RealWpaSupplicant();
            using var link = new WpaControlLink(wpa.SocketPath, s_fast);
            Assert.True(link.Attach());
            Assert.Equal("OK\n", link.Request("WPS_PBC"));
            var e = NextEvent(link, "WPS-PBC-ACTIVE");
            Assert.Equal(3, e.Level);
            Assert.Equal(P2pEventKind.Other, e.Kind);
            Assert.Equal("OK\n", link.Request("WPS_CANCEL"));
            Assert.True(link.Detach());
            Assert.False(link.Detach());
        }

        [SkippableFact]
        public void GlobalSocket_IfnameForm_RepliesAndPrefixedEvents()
        {
            Skip.IfNot(RealWpaSupplicant.Available, "needs root and wpasupplicant (CI installs it)");
            using var wpa = new RealWpaSupplicant();
            using var global = new WpaControlLink(wpa.GlobalPath, s_fast);
            Assert.Equal("FAIL-NO-IFNAME-MATCH\n", global.Request("IFNAME=nosuch PING"));
            Assert.Equal("PONG\n", global.Request("IFNAME=veth0 PING"));
            Assert.True(global.Attach());
            Assert.Equal("OK\n", global.Request("IFNAME=veth0 WPS_PBC"));
            var e = NextEvent(global, "WPS-PBC-ACTIVE");
            Assert.Equal("veth0", e.Interface);
        }

        [SkippableFact]
        public void Restart_RequestsFailUnreachable_ThenReconnectReattachesAndEventsFlowAgain()
        {
            Skip.IfNot(RealWpaSupplicant.Available, "needs root and wpasupplicant (CI installs it)");
            using var wpa = new RealWpaSupplicant();
            using var link = new WpaControlLink(wpa.SocketPath, s_fast);
            Assert.True(link.Attach());
            wpa.Kill();
            var down = Assert.Throws<WpaLinkException>(() => link.Request("PING"));
            Assert.Equal(WpaLinkFailure.Unreachable, down.Failure);
            Assert.False(link.Reconnect(attach: true));

            wpa.Start();
            Assert.True(link.Reconnect(attach: true));
            Assert.Equal("OK\n", link.Request("WPS_PBC"));
            NextEvent(link, "WPS-PBC-ACTIVE");
        }

        [SkippableFact]
        public void OversizedRequest_RefusedBeforeSending_AndTheLinkStillWorks()
        {
            Skip.IfNot(RealWpaSupplicant.Available, "needs root and wpasupplicant (CI installs it)");
            using var wpa = new RealWpaSupplicant();
            using var link = new WpaControlLink(wpa.SocketPath, s_fast);
            var e = Assert.Throws<WpaLinkException>(() => link.Request("SET device_name " + new string('x', 9000)));
            Assert.Equal(WpaLinkFailure.RequestTooLarge, e.Failure);
            Assert.Equal("PONG\n", link.Request("PING"));
        }

        [Fact]
        public async Task SilentPeer_ReplyTimeout_ThenAStaleReplyDoesNotAnswerTheNextRequest()
        {
            // A socket that answers late: the first request times out; its late reply must be drained.
            string dir = Path.Combine(Path.GetTempPath(), "aewfd-silent-" + Environment.ProcessId);
            Directory.CreateDirectory(dir);
            string server = Path.Combine(dir, "wlan0");
            File.Delete(server);
            using var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            s.Bind(new UnixDomainSocketEndPoint(server));
            using var link = new WpaControlLink(server, new WpaLinkOptions { ReplyTimeout = TimeSpan.FromMilliseconds(300) });
            var e = Assert.Throws<WpaLinkException>(() => link.Request("PING"));
            Assert.Equal(WpaLinkFailure.Timeout, e.Failure);

            var buffer = new byte[100];
            System.Net.EndPoint from = new UnixDomainSocketEndPoint(Path.Combine(dir, "x"));
            s.ReceiveFrom(buffer, ref from);
            s.SendTo("PONG\n"u8.ToArray(), from); // late reply to the first request
            await Task.Delay(100);
            var answer = Task.Run(() => link.Request("STATUS"));
            s.ReceiveFrom(buffer, ref from);
            s.SendTo("wpa_state=DISCONNECTED\n"u8.ToArray(), from);
            Assert.Equal("wpa_state=DISCONNECTED\n", await answer);
            Directory.Delete(dir, true);
        }

        [Fact]
        public void NoSocket_Unreachable()
        {
            using var link = new WpaControlLink(Path.Combine(Path.GetTempPath(), "aewfd-nosuch", "wlan9"), s_fast);
            Assert.Equal(WpaLinkFailure.Unreachable, Assert.Throws<WpaLinkException>(() => link.Request("PING")).Failure);
            Assert.False(link.Reconnect(true));
        }

        private static P2pEvent NextEvent(WpaControlLink link, string name)
        {
            for (int i = 0; i < 50; i++)
            {
                string? line = link.ReceiveEvent(TimeSpan.FromMilliseconds(200));
                if (line != null && P2pEventParser.TryParse(line) is { } e && e.Name == name)
                {
                    return e;
                }
            }

            throw new Xunit.Sdk.XunitException("no " + name + " event within 10 s");
        }
    }
}
