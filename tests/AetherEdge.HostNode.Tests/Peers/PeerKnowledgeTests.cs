using System.Security.Cryptography;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;

namespace AetherEdge.HostNode.Tests.Peers
{
    public sealed class PeerKnowledgeTests
    {
        private static readonly TimeSpan s_window = TimeSpan.FromMinutes(3);
        private readonly DeviceId _peer = DeviceId.FromPublicKeyInfo(RandomNumberGenerator.GetBytes(64));
        private readonly ManualClock _clock = new();
        private readonly HashSet<DeviceId> _trusted = new();

        private PeerKnowledge Knowledge() => new(_trusted.Contains, s_window, _clock);

        private static HelloFrame Hello(DeviceKind kind) =>
            new(SyncLimits.Version, (int)kind, 5L << 30, 1L << 30, 80, HelloFrame.FlagAlwaysOn | HelloFrame.FlagWifiConnected, "peer");

        [Fact]
        public void Online_HeardWithinTheWindow_UntilItPasses()
        {
            _trusted.Add(_peer);
            var k = Knowledge();
            k.Heard(_peer, Hello(DeviceKind.Desktop));

            _clock.Advance(s_window);
            var (id, profile) = Assert.Single(k.Online());
            Assert.Equal(_peer, id);
            Assert.Equal(DeviceKind.Desktop, profile.Kind);
            Assert.True(profile.AlwaysOn);

            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Empty(k.Online());
        }

        [Fact]
        public void Online_RemovedFromTheCircle_DropsOutAtOnce()
        {
            _trusted.Add(_peer);
            var k = Knowledge();
            k.Heard(_peer, Hello(DeviceKind.Hub));
            Assert.Single(k.Online());

            _trusted.Remove(_peer);
            Assert.Empty(k.Online());
        }

        [Fact]
        public void Holds_InventoryReplacesServedAdds()
        {
            var k = Knowledge();
            Assert.False(k.HasInventory(_peer));
            k.Served(_peer, "a");
            Assert.True(k.Holds(_peer, "a"));

            k.Inventory(_peer, new[] { "b" });
            Assert.True(k.HasInventory(_peer));
            Assert.False(k.Holds(_peer, "a"));
            Assert.True(k.Holds(_peer, "b"));
        }

        private sealed class ManualClock : TimeProvider
        {
            private long _ticks = 1_000_000;

            public override long TimestampFrequency => TimeSpan.TicksPerSecond;

            public override long GetTimestamp() => _ticks;

            public void Advance(TimeSpan by) => _ticks += by.Ticks;
        }
    }
}
