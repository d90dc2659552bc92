using System.Net;
using AetherEdge.HostNode.Discovery;

namespace AetherEdge.HostNode.Tests.Discovery
{
    public class MdnsNetworkInterfaceTests
    {
        private static MdnsNetworkInterface Link() => new(
            "eth0",
            2,
            IPAddress.Parse("192.168.10.20"),
            new[] { IPAddress.Parse("fd00:1:2:3::20") },
            new[] { (IPAddress.Parse("192.168.10.20"), 23), (IPAddress.Parse("fd00:1:2:3::20"), 64) });

        [Theory]
        [InlineData("192.168.10.1", true)]
        [InlineData("192.168.11.254", true)]
        [InlineData("192.168.12.1", false)]
        [InlineData("10.0.0.1", false)]
        [InlineData("fe80::1", true)]
        [InlineData("fd00:1:2:3::99", true)]
        [InlineData("fd00:1:2:4::99", false)]
        [InlineData("::ffff:192.168.10.7", true)]
        public void IsOnLink_SourceAddress_MatchesInterfaceSubnets(string source, bool expected) =>
            Assert.Equal(expected, Link().IsOnLink(IPAddress.Parse(source)));

        [Fact]
        public void Holds_OwnAddressIgnoringScope_TrueOthersFalse()
        {
            var link = Link();
            Assert.True(link.Holds(IPAddress.Parse("192.168.10.20")));
            Assert.True(link.Holds(IPAddress.Parse("::ffff:192.168.10.20")));
            Assert.False(link.Holds(IPAddress.Parse("192.168.10.21")));
        }
    }
}
