using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;

namespace AetherEdge.Core.Tests.Sync
{
    /// <summary>Protocol 2 (KeepAlive) next to protocol-1 peers, and a clear refusal of older ones.</summary>
    public class SyncProtocolVersionTests
    {
        private const long Now = 1_700_000_000_000;

        private static SyncSession Session(int protocol, int seed) =>
            new(new MemorySyncStore(), new PullAllHost(new MemorySyncStore()), new SeededRandom(seed), new ReplayWindow(),
                new HelloFrame(protocol, 3, 1_000_000, 0, 100, HelloFrame.FlagAlwaysOn, "n" + seed), 1000);

        private static SyncFrame RoundTrip(SyncFrame f, long at, ulong nonce)
        {
            f.TimestampMilliseconds = at;
            f.Nonce = nonce;
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            Assert.True(SyncFrameCodec.TryWrite(f, buffer, 0, buffer.Length, out int n));
            Assert.Equal(n, SyncFrameCodec.TryRead(buffer, 0, n, out var back));
            return back!;
        }

        [Fact]
        public void KeepAlive_EncodesAsEmptyType10_AndDecodes()
        {
            var back = RoundTrip(new KeepAliveFrame(), Now, 9);
            Assert.IsType<KeepAliveFrame>(back);
            Assert.Equal(SyncFrameType.KeepAlive, back.Type);
            Assert.Equal(SyncLimits.HeaderBytes, SyncFrameCodec.EncodedLength(back));
        }

        [Fact]
        public void KeepAlive_WithPayloadBytes_IsViolation()
        {
            var buffer = new byte[64];
            SyncFrameCodec.TryWrite(new KeepAliveFrame { TimestampMilliseconds = Now, Nonce = 1 }, buffer, 0, buffer.Length, out int n);
            buffer[7] = 1;
            Assert.Throws<ProtocolViolationException>(() => SyncFrameCodec.TryRead(buffer, 0, n + 1, out _));
        }

        [Theory]
        [InlineData(1, false)]
        [InlineData(2, true)]
        [InlineData(3, true)]
        public void QueueKeepAlive_OnlyToPeersWhoseHelloSaysProtocol2(int peerProtocol, bool queued)
        {
            var s = Session(SyncLimits.ProtocolVersion, 1);
            s.Start();
            Assert.False(s.QueueKeepAlive());
            s.Receive(RoundTrip(new HelloFrame(peerProtocol, 3, 0, 0, 100, 0, "p"), Now, 1), Now);
            Assert.Equal(SyncSessionState.Syncing, s.State);
            Assert.Equal(queued, s.QueueKeepAlive());
        }

        [Fact]
        public void Receive_KeepAlive_KeepsSessionRunning_AndIsReplayChecked()
        {
            var s = Session(SyncLimits.ProtocolVersion, 2);
            s.Start();
            s.Receive(RoundTrip(new HelloFrame(2, 3, 0, 0, 100, 0, "p"), Now, 1), Now);
            s.Receive(RoundTrip(new KeepAliveFrame(), Now, 2), Now);
            Assert.Equal(SyncSessionState.Syncing, s.State);
            Assert.Throws<ProtocolViolationException>(() => s.Receive(RoundTrip(new KeepAliveFrame(), Now, 2), Now));
        }

        [Fact]
        public void Receive_KeepAliveBeforeHello_IsViolation()
        {
            var s = Session(SyncLimits.ProtocolVersion, 3);
            s.Start();
            Assert.Throws<ProtocolViolationException>(() => s.Receive(RoundTrip(new KeepAliveFrame(), Now, 1), Now));
        }

        [Fact]
        public void Receive_HelloOfProtocol0_RefusedWithUnsupportedVersionError()
        {
            var s = Session(SyncLimits.ProtocolVersion, 4);
            s.Start();
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            while (s.TryWriteNext(buffer, 0, buffer.Length, Now, out _))
            {
            }

            s.Receive(RoundTrip(new HelloFrame(0, 3, 0, 0, 100, 0, "ancient"), Now, 1), Now);
            Assert.Equal(SyncSessionState.Failed, s.State);
            Assert.Contains("protocol 0", s.FailureReason);
            Assert.True(s.TryWriteNext(buffer, 0, buffer.Length, Now, out int n));
            SyncFrameCodec.TryRead(buffer, 0, n, out var error);
            Assert.Equal(SyncErrorCode.UnsupportedVersion, Assert.IsType<ErrorFrame>(error).Code);
        }

        [Fact]
        public void TwoSessions_Protocol2And1_CompleteWithoutKeepAliveToTheOldOne()
        {
            var store = new MemorySyncStore();
            store.Shards["x.0"] = new byte[] { 1, 2, 3 };
            var a = new SyncSession(store, new PullAllHost(store), new SeededRandom(5), new ReplayWindow(), new HelloFrame(2, 3, 0, 0, 100, 0, "a"), 1000);
            var other = new MemorySyncStore();
            var b = new SyncSession(other, new PullAllHost(other), new SeededRandom(6), new ReplayWindow(), new HelloFrame(1, 3, 0, 0, 100, 0, "b"), 1000);
            a.Start();
            b.Start();
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            for (int i = 0; i < 1000; i++)
            {
                bool moved = false;
                if (a.TryWriteNext(buffer, 0, buffer.Length, Now, out int n))
                {
                    SyncFrameCodec.TryRead(buffer, 0, n, out var f);
                    Assert.NotEqual(SyncFrameType.KeepAlive, f!.Type);
                    b.Receive(f, Now);
                    moved = true;
                }

                Assert.False(a.QueueKeepAlive());
                if (b.TryWriteNext(buffer, 0, buffer.Length, Now, out n))
                {
                    SyncFrameCodec.TryRead(buffer, 0, n, out var f);
                    a.Receive(f!, Now);
                    moved = true;
                }

                if (!moved)
                {
                    break;
                }
            }

            Assert.Equal(SyncSessionState.Complete, a.State);
            Assert.Equal(SyncSessionState.Complete, b.State);
            Assert.True(other.Shards.ContainsKey("x.0"));
        }
    }
}
