using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;

namespace AetherEdge.Core.Tests.Sync
{
    /// <summary>Removals travel (protocol 2): a tombstone reaches the peer, beats its manifest, and is never pulled back.</summary>
    public class SyncRemovalTests
    {
        private const long Now = 1_700_000_000_000;

        private static void Pump(SyncSession a, SyncSession b)
        {
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            for (int i = 0; i < 10_000; i++)
            {
                bool moved = false;
                if (a.TryWriteNext(buffer, 0, buffer.Length, Now, out int n))
                {
                    SyncFrameCodec.TryRead(buffer, 0, n, out var f);
                    b.Receive(f!, Now);
                    moved = true;
                }

                if (b.TryWriteNext(buffer, 0, buffer.Length, Now, out n))
                {
                    SyncFrameCodec.TryRead(buffer, 0, n, out var f);
                    a.Receive(f!, Now);
                    moved = true;
                }

                if (!moved)
                {
                    return;
                }
            }
        }

        private static SyncSession Session(MemorySyncStore store, int protocol, int seed) =>
            new(store, new PullAllHost(store), new SeededRandom(seed), new ReplayWindow(), new HelloFrame(protocol, 3, 0, 0, 100, 0, "n" + seed), 1000);

        [Fact]
        public void Removed_RoundTripsThroughCodec()
        {
            var f = new RemovedFrame(new[] { new RemovalEntry("0123456789abcdef0123456789abcdef", 1_700_000_000_123), new RemovalEntry("m-2", 0) }) { TimestampMilliseconds = Now, Nonce = 5 };
            var buffer = new byte[4096];
            Assert.True(SyncFrameCodec.TryWrite(f, buffer, 0, buffer.Length, out int n));
            Assert.Equal(n, SyncFrameCodec.TryRead(buffer, 0, n, out var back));
            var r = Assert.IsType<RemovedFrame>(back);
            Assert.Equal(2, r.Entries.Length);
            Assert.Equal("0123456789abcdef0123456789abcdef", r.Entries[0].Id);
            Assert.Equal(1_700_000_000_123, r.Entries[0].RemovedAtMilliseconds);
        }

        [Fact]
        public void Removed_EmptyOrNegativeTime_IsViolation()
        {
            var buffer = new byte[4096];
            SyncFrameCodec.TryWrite(new RemovedFrame(new[] { new RemovalEntry("m-1", 7) }) { TimestampMilliseconds = Now, Nonce = 1 }, buffer, 0, buffer.Length, out int n);
            var negative = (byte[])buffer.Clone();
            negative[n - 8] = 0x80;
            Assert.Throws<ProtocolViolationException>(() => SyncFrameCodec.TryRead(negative, 0, n, out _));
            var empty = (byte[])buffer.Clone();
            empty[SyncLimits.HeaderBytes] = 0;
            empty[SyncLimits.HeaderBytes + 1] = 0;
            Assert.Throws<ProtocolViolationException>(() => SyncFrameCodec.TryRead(empty, 0, n, out _));
        }

        [Fact]
        public void TombstoneOnA_PeerDropsManifestKeepsTombstone_AndANeverPullsItBack()
        {
            var a = new MemorySyncStore();
            var b = new MemorySyncStore();
            a.Removals["m-gone"] = Now - 5000;
            b.Manifests["m-gone"] = new byte[] { 1, 2, 3 };
            b.Manifests["m-kept"] = new byte[] { 4 };
            var sa = Session(a, 2, 1);
            var sb = Session(b, 2, 2);
            sa.Start();
            sb.Start();
            Pump(sa, sb);
            Assert.Equal(SyncSessionState.Complete, sa.State);
            Assert.Equal(SyncSessionState.Complete, sb.State);
            Assert.False(b.Manifests.ContainsKey("m-gone"));
            Assert.Equal(Now - 5000, b.Removals["m-gone"]);
            Assert.False(a.Manifests.ContainsKey("m-gone"));
            Assert.True(a.Manifests.ContainsKey("m-kept"));
        }

        [Fact]
        public void PeerOnProtocol1_GetsNoRemovedFrame_AndTheFileIsNotPulledBack()
        {
            var a = new MemorySyncStore();
            var b = new MemorySyncStore();
            a.Removals["m-gone"] = Now;
            b.Manifests["m-gone"] = new byte[] { 1 };
            var sa = Session(a, 2, 3);
            var sb = Session(b, 1, 4);
            sa.Start();
            sb.Start();
            Pump(sa, sb);
            Assert.Equal(SyncSessionState.Complete, sa.State);
            Assert.Equal(SyncSessionState.Complete, sb.State);
            Assert.True(b.Manifests.ContainsKey("m-gone"));
            Assert.Empty(b.Removals);
            Assert.False(a.Manifests.ContainsKey("m-gone"));
        }
    }
}
