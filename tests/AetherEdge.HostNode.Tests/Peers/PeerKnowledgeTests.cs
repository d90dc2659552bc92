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

        private static void Delta(PeerKnowledge k, DeviceId peer, long since, long version, string[] present, string[] gone)
        {
            var entries = Array.ConvertAll(present, id => new InventoryEntry(SyncItemKind.Shard, id, 10));
            k.StageInventory(peer, new InventoryChanges(version, false, since, entries, gone), true);
            k.CommitInventory(peer, version);
        }

        [Fact]
        public void Served_ThenADeltaThatDoesNotListIt_IsForgotten_OneThatListsItKeepsIt()
        {
            var k = Knowledge();
            k.Inventory(_peer, new[] { Shard(1) }, 5);

            // Acknowledged, then dropped by the peer's placement before the next session: the delta since 5 does not
            // list it as present (here: the peer's inventory is unchanged since 5).
            k.Served(_peer, Shard(2));
            Assert.True(k.Holds(_peer, Shard(2)));
            Delta(k, _peer, 5, 5, Array.Empty<string>(), Array.Empty<string>());
            Assert.False(k.Holds(_peer, Shard(2)));
            Assert.True(k.Holds(_peer, Shard(1)));

            // Acknowledged and still held: the delta lists it and it stays, also through a later unchanged delta.
            k.Served(_peer, Shard(3));
            Delta(k, _peer, 5, 7, new[] { Shard(3) }, Array.Empty<string>());
            Delta(k, _peer, 7, 7, Array.Empty<string>(), Array.Empty<string>());
            Assert.True(k.Holds(_peer, Shard(3)));
            Assert.Equal(2, k.HeldCount(_peer));
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
