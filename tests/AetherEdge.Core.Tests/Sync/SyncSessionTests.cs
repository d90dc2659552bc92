using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;

namespace AetherEdge.Core.Tests.Sync
{
    public class SyncSessionTests
    {
        private const long Now = 1_700_000_000_000;

        private sealed class Side
        {
            public Side(string name, int seed, int chunk = 1000)
            {
                Store = new MemorySyncStore();
                Host = new PullAllHost(Store);
                Window = new ReplayWindow();
                Chunk = chunk;
                Name = name;
                Seed = seed;
            }

            public string Name { get; }

            public int Seed { get; }

            public int Chunk { get; }

            public MemorySyncStore Store { get; }

            public PullAllHost Host { get; }

            public ReplayWindow Window { get; }

            private int _sessions;

            // A fresh nonce stream per session: reusing one would (rightly) trip the peer's replay window.
            public SyncSession NewSession() =>
                new SyncSession(Store, Host, new SeededRandom((Seed * 1000) + _sessions++), Window, new HelloFrame(1, 3, 1_000_000, 0, 100, HelloFrame.FlagAlwaysOn, Name), Chunk);
        }

        /// <summary>Moves frames both ways through real encode/decode until quiet; stops after <paramref name="maxFrames"/>.</summary>
        private static List<byte[]> Pump(SyncSession a, SyncSession b, int maxFrames = 100_000, List<byte[]>? tapAtoB = null)
        {
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            var log = tapAtoB ?? new List<byte[]>();
            int frames = 0;
            bool progress = true;
            while (progress && frames < maxFrames)
            {
                progress = false;
                foreach (var (from, to, tap) in new[] { (a, b, log), (b, a, (List<byte[]>?)null) })
                {
                    if (frames < maxFrames && from.TryWriteNext(buffer, 0, buffer.Length, Now, out int n))
                    {
                        tap?.Add(buffer.AsSpan(0, n).ToArray());
                        Assert.Equal(n, SyncFrameCodec.TryRead(buffer, 0, n, out var f));
                        if (to.State != SyncSessionState.Failed)
                        {
                            to.Receive(f!, Now);
                        }

                        frames++;
                        progress = true;
                    }
                }
            }

            return log;
        }

        private static byte[] Bytes(int n, int seed)
        {
            var b = new byte[n];
            new Random(seed).NextBytes(b);
            return b;
        }

        [Fact]
        public void Pump_TwoSides_EachEndsWithTheUnionAndVerifiedAcks()
        {
            var a = new Side("a", 1);
            var b = new Side("b", 2);
            a.Store.Shards["f1.0"] = Bytes(2500, 1);
            a.Store.Shards["f1.1"] = Bytes(0, 2);
            a.Store.Manifests["m:f1"] = Bytes(300, 3);
            b.Store.Shards["f2.0"] = Bytes(999, 4);
            var sa = a.NewSession();
            var sb = b.NewSession();
            sa.Start();
            sb.Start();
            Pump(sa, sb);
            Assert.Equal(SyncSessionState.Complete, sa.State);
            Assert.Equal(SyncSessionState.Complete, sb.State);
            Assert.Equal(a.Store.Shards["f1.0"], b.Store.Shards["f1.0"]);
            Assert.Empty(b.Store.Shards["f1.1"]);
            Assert.Equal(a.Store.Manifests["m:f1"], b.Store.Manifests["m:f1"]);
            Assert.Equal(b.Store.Shards["f2.0"], a.Store.Shards["f2.0"]);
            Assert.Equal(new[] { "f1.0", "f1.1" }, a.Host.Served.Where(s => s.Status == AckStatus.Ok).Select(s => s.Id).OrderBy(x => x));
            Assert.Equal("a", b.Host.Peer!.Name);
            Assert.Equal(2500 + 300, b.Host.Bytes);
        }

        [Fact]
        public void Pump_LargeInventory_SpansFramesAndCompletes()
        {
            var a = new Side("a", 1);
            var b = new Side("b", 2);
            for (int i = 0; i < 2500; i++)
            {
                a.Store.Shards["s" + i] = new[] { (byte)i };
            }

            var sa = a.NewSession();
            var sb = b.NewSession();
            sa.Start();
            sb.Start();
            var log = Pump(sa, sb);
            Assert.Equal(3, log.Count(w => w[2] == (byte)SyncFrameType.Inventory));
            Assert.Equal(2500, b.Store.Shards.Count);
            Assert.Equal(SyncSessionState.Complete, sb.State);
        }

        [Fact]
        public void Pump_DroppedMidTransfer_NextSessionResumesFromPartial()
        {
            var a = new Side("a", 1, chunk: 1000);
            var b = new Side("b", 2);
            a.Store.Shards["big.0"] = Bytes(10_000, 9);
            var sa = a.NewSession();
            var sb = b.NewSession();
            sa.Start();
            sb.Start();
            Pump(sa, sb, maxFrames: 12);
            long partial = b.Store.PartialLength("big.0");
            Assert.InRange(partial, 1000, 9000);
            Assert.False(b.Store.Shards.ContainsKey("big.0"));

            sa = a.NewSession();
            sb = b.NewSession();
            sa.Start();
            sb.Start();
            Pump(sa, sb);
            Assert.Equal(SyncSessionState.Complete, sb.State);
            Assert.Equal(a.Store.Shards["big.0"], b.Store.Shards["big.0"]);
            Assert.Equal(10_000 - partial, sa.BytesSent);
        }

        [Fact]
        public void Pump_CorruptPartial_AckBadHashAndNothingStored()
        {
            var a = new Side("a", 1);
            var b = new Side("b", 2);
            a.Store.Shards["x.0"] = Bytes(3000, 5);
            b.Store.Partials["x.0"] = new List<byte>(new byte[1500]);
            var sa = a.NewSession();
            var sb = b.NewSession();
            sa.Start();
            sb.Start();
            Pump(sa, sb);
            Assert.Contains(("x.0", AckStatus.BadHash), a.Host.Served);
            Assert.Contains(("x.0", AckStatus.BadHash), b.Host.Received);
            Assert.False(b.Store.Shards.ContainsKey("x.0"));
        }

        [Fact]
        public void Pump_WantForItemPeerLacks_ReportedNotHeld()
        {
            var a = new Side("a", 1);
            var b = new Side("b", 2);
            a.Store.Shards["gone.0"] = Bytes(10, 5);
            var sa = a.NewSession();
            var sb = b.NewSession();
            sa.Start();
            sb.Start();
            a.Store.Shards.Remove("gone.0");
            Pump(sa, sb);
            Assert.Contains(("gone.0", AckStatus.NotHeld), b.Host.Received);
            Assert.Equal(SyncSessionState.Complete, sb.State);
        }

        [Fact]
        public void Receive_ReplayedFrame_RejectedAndSessionFailsWithErrorFrame()
        {
            var a = new Side("a", 1);
            var b = new Side("b", 2);
            var sa = a.NewSession();
            var sb = b.NewSession();
            sa.Start();
            sb.Start();
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            Assert.True(sa.TryWriteNext(buffer, 0, buffer.Length, Now, out int n));
            SyncFrameCodec.TryRead(buffer, 0, n, out var hello);
            sb.Receive(hello!, Now);
            SyncFrameCodec.TryRead(buffer, 0, n, out var again);
            var e = Assert.Throws<ProtocolViolationException>(() => sb.Receive(again!, Now + 1));
            Assert.Contains("replayed", e.Message);
            Assert.Equal(SyncSessionState.Failed, sb.State);
            Assert.True(sb.TryWriteNext(buffer, 0, buffer.Length, Now, out n));
            SyncFrameCodec.TryRead(buffer, 0, n, out var error);
            Assert.Equal(SyncFrameType.Error, error!.Type);
        }

        [Fact]
        public void Receive_ReplayAcrossSessions_RejectedByPeerWindow()
        {
            var a = new Side("a", 1);
            var b = new Side("b", 2);
            var sa = a.NewSession();
            var sb = b.NewSession();
            sa.Start();
            sb.Start();
            var recorded = Pump(sa, sb);
            var sb2 = b.NewSession();
            sb2.Start();
            SyncFrameCodec.TryRead(recorded[0], 0, recorded[0].Length, out var oldHello);
            Assert.Throws<ProtocolViolationException>(() => sb2.Receive(oldHello!, Now + 1000));
        }

        [Fact]
        public void Receive_StaleHello_Rejected()
        {
            var b = new Side("b", 2).NewSession();
            b.Start();
            var hello = new HelloFrame(1, 0, 0, 0, 50, 0, "old") { TimestampMilliseconds = Now - 121_000, Nonce = 7 };
            var e = Assert.Throws<ProtocolViolationException>(() => b.Receive(hello, Now));
            Assert.Contains("stale", e.Message);
        }

        [Fact]
        public void Receive_ChunkBeforeHello_Rejected()
        {
            var b = new Side("b", 2).NewSession();
            b.Start();
            var chunk = new ShardChunkFrame("x", 0, 1, new byte[1], 0, 1) { TimestampMilliseconds = Now, Nonce = 1 };
            var e = Assert.Throws<ProtocolViolationException>(() => b.Receive(chunk, Now));
            Assert.Contains("before Hello", e.Message);
        }

        [Fact]
        public void Receive_UnrequestedChunk_RejectedNothingStored()
        {
            var bSide = new Side("b", 2);
            var b = bSide.NewSession();
            b.Start();
            b.Receive(new HelloFrame(1, 0, 0, 0, 50, 0, "a") { TimestampMilliseconds = Now, Nonce = 1 }, Now);
            var chunk = new ShardChunkFrame("x", 0, 1, new byte[1], 0, 1) { TimestampMilliseconds = Now, Nonce = 2 };
            Assert.Throws<ProtocolViolationException>(() => b.Receive(chunk, Now));
            Assert.Empty(bSide.Store.Partials);
        }
    }
}
