using System.Net;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>An announcement only suggests: trusted devices, on the link, not ourselves.</summary>
    public sealed class DiscoveryGateTests
    {
        private static readonly DeviceId s_own = Device(1);
        private static readonly DeviceId s_friend = Device(2);
        private static readonly DeviceId s_stranger = Device(3);

        private static readonly MdnsNetworkInterface s_lan = new("eth0", 2, IPAddress.Parse("10.1.2.3"), Array.Empty<IPAddress>(),
            new[] { (IPAddress.Parse("10.1.2.3"), 24) });

        private static readonly MdnsNetworkInterface s_loopback = new("lo", 1, IPAddress.Loopback, Array.Empty<IPAddress>(),
            new[] { (IPAddress.Loopback, 8) });

        private static DeviceId Device(int seed)
        {
            var info = new byte[91];
            new Random(seed).NextBytes(info);
            return DeviceId.FromPublicKeyInfo(info);
        }

        private static DiscoveryGate Gate() => new(s_own, id => id == s_friend, 43216, 43217);

        [Theory]
        [InlineData(null, DiscoveryGate.NoFingerprint)]
        [InlineData("not-a-device-id", DiscoveryGate.NoFingerprint)]
        public void CheckDevice_NoUsableFingerprint_RefusedAndCounted(string? fp, string reason)
        {
            var gate = Gate();
            Assert.Equal(reason, gate.CheckDevice(fp, out _));
            Assert.Equal(1, gate.Refused(reason));
        }

        [Fact]
        public void CheckDevice_TrustedStrangerAndSelf_OnlyTheTrustedOneAccepted()
        {
            var gate = Gate();
            Assert.Null(gate.CheckDevice(s_friend.Text, out var id));
            Assert.Equal(s_friend, id);
            Assert.Equal(DiscoveryGate.Untrusted, gate.CheckDevice(s_stranger.Text, out _));
            Assert.Equal(DiscoveryGate.Self, gate.CheckDevice(s_own.Text, out _));
        }

        [Theory]
        [InlineData("10.1.2.9", 43216, null)]
        [InlineData("10.1.3.9", 43216, DiscoveryGate.OffLink)]
        [InlineData("8.8.8.8", 443, DiscoveryGate.OffLink)]
        [InlineData("127.0.0.1", 43217, DiscoveryGate.OffLink)]
        [InlineData("0.0.0.0", 43216, DiscoveryGate.OffLink)]
        [InlineData("10.1.2.3", 43217, DiscoveryGate.OwnAddress)]
        [InlineData("10.1.2.3", 22, DiscoveryGate.OwnAddress)]
        [InlineData("10.1.2.9", 0, DiscoveryGate.BadPort)]
        public void CheckAddress_OnALan_OnlyOtherOnLinkAddressesPass(string address, int port, string? reason)
        {
            Assert.Equal(reason, Gate().CheckAddress(IPAddress.Parse(address), port, s_lan));
        }

        [Theory]
        [InlineData(43316, null)]
        [InlineData(43216, DiscoveryGate.OwnAddress)]
        [InlineData(43217, DiscoveryGate.OwnAddress)]
        public void CheckAddress_OnLoopback_HubsSideBySideButNeverOurOwnPorts(int port, string? reason)
        {
            Assert.Equal(reason, Gate().CheckAddress(IPAddress.Loopback, port, s_loopback));
        }

        [Fact]
        public void CheckAddress_UnknownLink_Refused()
        {
            Assert.Equal(DiscoveryGate.OffLink, Gate().CheckAddress(IPAddress.Parse("10.1.2.9"), 43216, null));
        }
    }
}
