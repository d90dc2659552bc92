using AetherEdge.HostNode.Mesh;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// What a hub may hold while relaying tunnels (their flow-control windows and splice buffers) stays within
    /// --relay-buffer for every setting, whatever the size of what crosses it. The first version let one tunnel
    /// through whatever the setting, so a buffer under one tunnel (2.125 MiB) was exceeded.
    /// </summary>
    public sealed class MeshTunnelOptionsTests
    {
        [Theory]
        [InlineData(1024L, 0)]
        [InlineData(2L << 20, 0)]
        [InlineData((2L << 20) + (128L << 10), 1)]
        [InlineData(3_000_000L, 1)]
        [InlineData(16L << 20, 7)]
        [InlineData(1L << 30, 481)]
        [InlineData(long.MaxValue, int.MaxValue)]
        public void RelayedTunnels_FitTheRelayBufferWhole_NoneWhenItIsSmallerThanOne(long relayBytes, int tunnels)
        {
            var options = new MeshTunnelOptions { RelayBytes = relayBytes };
            Assert.Equal((2L << 20) + (128L << 10), options.BytesPerRelayedTunnel);
            Assert.Equal(tunnels, options.MaxRelayedTunnels);
            Assert.True((long)options.MaxRelayedTunnels * options.BytesPerRelayedTunnel <= relayBytes);
        }
    }
}
