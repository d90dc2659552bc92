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

        private static string Shard(int i) => Convert.ToHexStringLower(SHA256.HashData(new[] { (byte)i }));

        [Fact]
        public void Holds_InventoryReplacesServedAdds()
        {
            var k = Knowledge();
            Assert.False(k.HasInventory(_peer));
            k.Served(_peer, Shard(1));
            Assert.True(k.Holds(_peer, Shard(1)));

            k.Inventory(_peer, new[] { Shard(2) });
            Assert.True(k.HasInventory(_peer));
            Assert.False(k.Holds(_peer, Shard(1)));
            Assert.True(k.Holds(_peer, Shard(2)));
            Assert.Equal(new[] { Shard(2) }, k.ShardsHeldBy(_peer));
        }

        [Fact]
        public void Inventory_IdsThatAreNotShardIds_AreNotKept()
        {
            var k = Knowledge();
            k.Inventory(_peer, new[] { Shard(1), "not-a-shard", Shard(1).ToUpperInvariant(), Shard(2)[..63] });

            Assert.Equal(1, k.HeldCount(_peer));
            Assert.False(k.Holds(_peer, "not-a-shard"));
            Assert.False(k.Holds(_peer, Shard(1).ToUpperInvariant()));
        }

        [Fact]
        public void Inventory_WholeAgain_LogsOnlyTheShardsThatDiffer()
        {
            var k = Knowledge();
            k.Inventory(_peer, new[] { Shard(1), Shard(2), Shard(3) });
            long cursor = k.ChangeCursor;
            long version = k.Version;

            k.Inventory(_peer, new[] { Shard(1), Shard(2), Shard(3) });
            Assert.Empty(k.ChangedSince(cursor)!);
            Assert.Equal(version, k.Version);

            k.Inventory(_peer, new[] { Shard(2), Shard(3), Shard(4) });
            Assert.Equal(new[] { Shard(1), Shard(4) }, k.ChangedSince(cursor)!.OrderBy(id => id == Shard(1) ? 0 : 1));
            Assert.True(k.Version > version);
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
