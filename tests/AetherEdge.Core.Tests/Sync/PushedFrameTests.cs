using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;

namespace AetherEdge.Core.Tests.Sync
{
    /// <summary>The push links' one frame of their own: codec round trip, truncation, refused inside a session.</summary>
    public sealed class PushedFrameTests
    {
        private const long Now = 1_700_000_000_000;

        private static byte[] Hash()
        {
            var h = new byte[SyncLimits.HashBytes];
            for (int i = 0; i < h.Length; i++)
            {
                h[i] = (byte)(i * 7);
            }

            return h;
        }

        [Fact]
        public void Pushed_RoundTripsThroughCodec()
        {
            var buffer = new byte[4096];
            Assert.True(SyncFrameCodec.TryWrite(new PushedFrame("push.0123456789abcdef0123456789abcdef.3", Hash()) { TimestampMilliseconds = Now, Nonce = 9 }, buffer, 0, buffer.Length, out int n));

            Assert.Equal(n, SyncFrameCodec.TryRead(buffer, 0, n, out var back));

            var p = Assert.IsType<PushedFrame>(back);
            Assert.Equal("push.0123456789abcdef0123456789abcdef.3", p.Id);
            Assert.Equal(Hash(), p.Hash);
        }

        [Fact]
        public void Pushed_HashCutShort_IsViolation()
        {
            var buffer = new byte[4096];
            SyncFrameCodec.TryWrite(new PushedFrame("p-1", Hash()) { TimestampMilliseconds = Now, Nonce = 1 }, buffer, 0, buffer.Length, out int n);
            buffer[7] = (byte)(buffer[7] - 1);

            Assert.Throws<ProtocolViolationException>(() => SyncFrameCodec.TryRead(buffer, 0, n - 1, out _));
        }

        [Fact]
        public void Pushed_InsideASyncSession_IsViolation()
        {
            var store = new MemorySyncStore();
            var session = new SyncSession(store, new NullHost(), new SeededRandom(1), new ReplayWindow(), new HelloFrame(2, 0, 0, 0, 100, 0, "a"), SyncLimits.DefaultChunkBytes);
            session.Start();
            session.Receive(new HelloFrame(2, 0, 0, 0, 100, 0, "b") { TimestampMilliseconds = Now, Nonce = 1 }, Now);

            Assert.Throws<ProtocolViolationException>(() => session.Receive(new PushedFrame("p-1", Hash()) { TimestampMilliseconds = Now, Nonce = 2 }, Now));
            Assert.Equal(SyncSessionState.Failed, session.State);
        }

        private sealed class NullHost : ISyncSessionHost
        {
            public void OnPeerHello(HelloFrame hello)
            {
            }

            public long HeldPeerInventoryVersion() => 0;

            public void OnPeerInventory(InventoryChanges part, bool first, bool final)
            {
            }

            public string[] ChooseWants() => System.Array.Empty<string>();

            public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes)
            {
            }

            public void OnItemServed(string id, AckStatus status)
            {
            }

            public void OnBytesReceived(long bytes)
            {
            }
        }
    }
}
