using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;

namespace AetherEdge.Core.Tests.Sync
{
    /// <summary>
    /// Protocol 3: each side says which version of the other's inventory it holds and gets only the changes since;
    /// whole inventories span frames and are handed on part by part (no per-session limit of 2^20 entries).
    /// </summary>
    public class SyncInventoryVersionTests
    {
        private const long Now = 1_700_000_000_000;

        private sealed class Side
        {
            private int _sessions;

            public Side(string name, int seed, int protocol = SyncLimits.ProtocolVersion)
            {
                Store = new MemorySyncStore();
                Host = new PullAllHost(Store);
                Name = name;
                Seed = seed;
                Protocol = protocol;
            }

            public string Name { get; }

            public int Seed { get; }

            public int Protocol { get; }

            public MemorySyncStore Store { get; }

            public PullAllHost Host { get; }

            public ReplayWindow Window { get; } = new ReplayWindow();

            public SyncSession NewSession(ISyncStore? store = null, ISyncSessionHost? host = null) =>
                new SyncSession(store ?? Store, host ?? Host, new SeededRandom((Seed * 1000) + _sessions++), Window, new HelloFrame(Protocol, 3, 1_000_000, 0, 100, 0, Name), 1000);
        }

        private static SyncFrame RoundTrip(SyncFrame f, ulong nonce)
        {
            f.TimestampMilliseconds = Now;
            f.Nonce = nonce;
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            Assert.True(SyncFrameCodec.TryWrite(f, buffer, 0, buffer.Length, out int n));
            Assert.Equal(n, SyncFrameCodec.TryRead(buffer, 0, n, out var back));
            return back!;
        }

        // Runs one session each way through real encode/decode; returns the frame types A sent.
        private static List<SyncFrameType> Sync(Side a, Side b, SyncSession? sa = null, SyncSession? sb = null)
        {
            sa ??= a.NewSession();
            sb ??= b.NewSession();
            sa.Start();
            sb.Start();
            var sent = new List<SyncFrameType>();
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            bool progress = true;
            while (progress)
            {
                progress = false;
                foreach (var (from, to) in new[] { (sa, sb), (sb, sa) })
                {
                    if (from.TryWriteNext(buffer, 0, buffer.Length, Now, out int n))
                    {
                        Assert.Equal(n, SyncFrameCodec.TryRead(buffer, 0, n, out var f));
                        if (from == sa)
                        {
                            sent.Add(f!.Type);
                        }

                        to.Receive(f!, Now);
                        progress = true;
                    }
                }
            }

            Assert.Equal(SyncSessionState.Complete, sa.State);
            Assert.Equal(SyncSessionState.Complete, sb.State);
            return sent;
        }

        private static Side WithShards(string name, int seed, int count, int protocol = SyncLimits.ProtocolVersion)
        {
            var side = new Side(name, seed, protocol);
            for (int i = 0; i < count; i++)
            {
                side.Store.Shards["s" + i] = new[] { (byte)i };
            }

            return side;
        }

        [Fact]
        public void IdleSession_10000Items_ExchangesNoInventoryEntries()
        {
            var a = WithShards("a", 1, 10_000);
            var b = new Side("b", 2);
            Sync(a, b);
            Assert.Equal(10_000, b.Store.Shards.Count);

            // B's inventory changed in the first session (it pulled everything): A learns that in the second.
            Sync(a, b);
            long heard = a.Host.EntriesHeard + b.Host.EntriesHeard;

            var sa = a.NewSession();
            var sb = b.NewSession();
            var sent = Sync(a, b, sa, sb);

            Assert.Equal(0, sa.InventoryEntriesSent + sa.InventoryEntriesReceived + sb.InventoryEntriesSent + sb.InventoryEntriesReceived);
            Assert.Equal(heard, a.Host.EntriesHeard + b.Host.EntriesHeard);
            Assert.Equal(1, sent.Count(t => t == SyncFrameType.InventoryDelta));
            Assert.Equal(0, sa.BytesSent + sb.BytesSent);
        }

        [Fact]
        public void PutOfOneFile_16Items_ExchangesThose16Entries()
        {
            var a = WithShards("a", 1, 10_000);
            var b = new Side("b", 2);
            Sync(a, b);
            Sync(a, b);
            a.Store.Manifests["m:new"] = new byte[] { 9 };
            for (int i = 0; i < 15; i++)
            {
                a.Store.Shards["new." + i] = new[] { (byte)i };
            }

            var sa = a.NewSession();
            var sb = b.NewSession();
            Sync(a, b, sa, sb);

            Assert.Equal(16, sa.InventoryEntriesSent);
            Assert.Equal(16, sb.InventoryEntriesReceived);
            Assert.Equal(0, sb.InventoryEntriesSent);
            Assert.Equal(16, sb.ItemsReceived);
            Assert.True(b.Store.Manifests.ContainsKey("m:new"));
        }

        [Fact]
        public void RemovedItem_TravelsAsGone_AndThePeersViewDropsIt()
        {
            var a = WithShards("a", 1, 50);
            var b = new Side("b", 2);
            b.Host.Filter = e => e.Id != "s7";
            Sync(a, b);
            Assert.Contains("s7", b.Host.Offered);
            a.Store.Shards.Remove("s7");

            var sa = a.NewSession();
            Sync(a, b, sa);

            Assert.Equal(1, sa.InventoryEntriesSent);
            Assert.DoesNotContain("s7", b.Host.Offered);
            Assert.Equal(49, b.Host.Offered.Count);
        }

        [Fact]
        public void HostHoldingNothing_GetsTheWholeInventory()
        {
            var a = WithShards("a", 1, 2500);
            var b = new Side("b", 2);
            b.Host.KeepInventory = false;
            Sync(a, b);
            var sa = a.NewSession();
            var sent = Sync(a, b, sa);

            Assert.Equal(2500, sa.InventoryEntriesSent);
            Assert.Equal(3, sent.Count(t => t == SyncFrameType.InventoryDelta));
            Assert.DoesNotContain(SyncFrameType.Inventory, sent);
        }

        [Fact]
        public void Protocol3WithProtocol2Peer_WholeInventoryFrames_BothComplete()
        {
            var a = WithShards("a", 1, 30);
            var b = new Side("b", 2, protocol: 2);
            var sent = Sync(a, b);

            Assert.Contains(SyncFrameType.Inventory, sent);
            Assert.DoesNotContain(SyncFrameType.InventoryHeld, sent);
            Assert.DoesNotContain(SyncFrameType.InventoryDelta, sent);
            Assert.Equal(30, b.Store.Shards.Count);
            Assert.Equal(0, b.Host.HeldPeerInventoryVersion());
        }

        [Fact]
        public void WholeInventoryOver2To20Entries_SpansFramesAndCompletes_WhichOneInventoryCouldNotBefore()
        {
            int n = SyncLimits.MaxInventoryEntries + 1000;
            var big = new FixedInventoryStore(n);
            var a = new Side("a", 1);
            var b = new Side("b", 2);
            var counter = new CountingHost();
            var sa = a.NewSession(store: big);
            var sb = b.NewSession(host: counter);
            var sent = Sync(a, b, sa, sb);

            Assert.Equal(n, counter.Entries);
            Assert.Equal((n + SyncLimits.MaxInventoryEntriesPerFrame - 1) / SyncLimits.MaxInventoryEntriesPerFrame, sent.Count(t => t == SyncFrameType.InventoryDelta));
            Assert.Equal(1, counter.Finals);
        }

        [Fact]
        public void DeltaFromAVersionThisSideNeverClaimed_IsViolation()
        {
            var b = new Side("b", 2);
            var s = b.NewSession();
            s.Start();
            s.Receive(RoundTrip(new HelloFrame(3, 3, 0, 0, 100, 0, "p"), 1), Now);
            var delta = new InventoryDeltaFrame(false, true, 5, 6, new InventoryEntry[0], new[] { "x.0" });

            var e = Assert.Throws<ProtocolViolationException>(() => s.Receive(RoundTrip(delta, 2), Now));

            Assert.Contains("since version 5", e.Message);
            Assert.Equal(SyncSessionState.Failed, s.State);
        }

        [Theory]
        [InlineData(2)]
        [InlineData(1)]
        public void VersionFramesFromAPeerBelowProtocol3_AreViolations(int peerProtocol)
        {
            var b = new Side("b", 2);
            var s = b.NewSession();
            s.Start();
            s.Receive(RoundTrip(new HelloFrame(peerProtocol, 3, 0, 0, 100, 0, "p"), 1), Now);

            Assert.Throws<ProtocolViolationException>(() => s.Receive(RoundTrip(new InventoryHeldFrame(0), 2), Now));
        }

        [Fact]
        public void InventoryFrameFromAProtocol3Peer_IsViolation()
        {
            var s = new Side("b", 2).NewSession();
            s.Start();
            s.Receive(RoundTrip(new HelloFrame(3, 3, 0, 0, 100, 0, "p"), 1), Now);

            Assert.Throws<ProtocolViolationException>(() => s.Receive(RoundTrip(new InventoryFrame(new InventoryEntry[0], true), 2), Now));
        }

        [Fact]
        public void PeerInventoryOverTheSessionLimit_IsViolation()
        {
            var s = new Side("b", 2).NewSession(host: new CountingHost());
            s.Start();
            s.Receive(RoundTrip(new HelloFrame(3, 3, 0, 0, 100, 0, "p"), 1), Now);
            var part = new InventoryEntry[SyncLimits.MaxInventoryEntriesPerFrame];
            for (int i = 0; i < part.Length; i++)
            {
                part[i] = new InventoryEntry(SyncItemKind.Shard, "s" + i, 1);
            }

            ulong nonce = 2;
            int frames = SyncLimits.MaxPeerInventoryEntries / part.Length;
            for (int f = 0; f < frames; f++)
            {
                s.Receive(new InventoryDeltaFrame(true, false, 0, 1, part, new string[0]) { TimestampMilliseconds = Now, Nonce = nonce++ }, Now);
            }

            var e = Assert.Throws<ProtocolViolationException>(() => s.Receive(new InventoryDeltaFrame(true, true, 0, 1, part, new string[0]) { TimestampMilliseconds = Now, Nonce = nonce++ }, Now));
            Assert.Contains("over " + SyncLimits.MaxPeerInventoryEntries, e.Message);
        }

        [Fact]
        public void Codec_InventoryFrames_RoundTripFields()
        {
            var held = Assert.IsType<InventoryHeldFrame>(RoundTrip(new InventoryHeldFrame(123_456_789_012), 1));
            Assert.Equal(123_456_789_012, held.Version);
            var delta = Assert.IsType<InventoryDeltaFrame>(RoundTrip(new InventoryDeltaFrame(false, true, 4, 9, new[] { new InventoryEntry(SyncItemKind.Manifest, "m:a", 12) }, new[] { "a.1", "a.2" }), 2));
            Assert.False(delta.Whole);
            Assert.True(delta.Final);
            Assert.Equal(4, delta.Since);
            Assert.Equal(9, delta.Version);
            Assert.Equal(SyncItemKind.Manifest, delta.Present[0].Kind);
            Assert.Equal(12, delta.Present[0].Length);
            Assert.Equal(new[] { "a.1", "a.2" }, delta.Gone);
        }

        [Theory]
        [InlineData(2, 0L, 0L, "version 0")] // whole needs a positive version
        [InlineData(2, 3L, 4L, "whole")] // a whole inventory has no base
        [InlineData(0, 0L, 4L, "base")] // a delta needs one
        [InlineData(4, 0L, 4L, "flags")]
        public void Codec_InventoryDeltaHeaderOutOfRange_IsViolationNamingIt(int flags, long since, long version, string named)
        {
            var good = new InventoryDeltaFrame(true, false, 0, 1, new InventoryEntry[0], new string[0]) { TimestampMilliseconds = Now, Nonce = 1 };
            var buffer = new byte[256];
            Assert.True(SyncFrameCodec.TryWrite(good, buffer, 0, buffer.Length, out int n));
            buffer[SyncLimits.HeaderBytes] = (byte)flags;
            WireFormatForTests.WriteInt64(buffer, SyncLimits.HeaderBytes + 1, since);
            WireFormatForTests.WriteInt64(buffer, SyncLimits.HeaderBytes + 9, version);

            var e = Assert.Throws<ProtocolViolationException>(() => SyncFrameCodec.TryRead(buffer, 0, n, out _));
            Assert.Contains(named, e.Message);
        }

        [Fact]
        public void Codec_GoneIdsInAWholeInventory_IsViolation()
        {
            var delta = new InventoryDeltaFrame(false, true, 1, 2, new InventoryEntry[0], new[] { "a.1" }) { TimestampMilliseconds = Now, Nonce = 1 };
            var buffer = new byte[256];
            Assert.True(SyncFrameCodec.TryWrite(delta, buffer, 0, buffer.Length, out int n));
            buffer[SyncLimits.HeaderBytes] = InventoryDeltaFrame.FlagWhole | InventoryDeltaFrame.FlagFinal;
            WireFormatForTests.WriteInt64(buffer, SyncLimits.HeaderBytes + 1, 0);

            Assert.Throws<ProtocolViolationException>(() => SyncFrameCodec.TryRead(buffer, 0, n, out _));
        }

        private static class WireFormatForTests
        {
            public static void WriteInt64(byte[] b, int o, long v)
            {
                for (int i = 7; i >= 0; i--)
                {
                    b[o + i] = (byte)v;
                    v >>= 8;
                }
            }
        }

        /// <summary>Counts the peer's inventory entries and wants nothing (a receiver that keeps no inventory).</summary>
        private sealed class CountingHost : ISyncSessionHost
        {
            public long Entries { get; private set; }

            public int Finals { get; private set; }

            public void OnPeerHello(HelloFrame hello)
            {
            }

            public long HeldPeerInventoryVersion() => 0;

            public void OnPeerInventory(InventoryChanges part, bool first, bool final)
            {
                Entries += part.Count;
                Finals += final ? 1 : 0;
            }

            public string[] ChooseWants() => new string[0];

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

        /// <summary>An inventory of <c>n</c> shard entries (ids only; nothing is served).</summary>
        private sealed class FixedInventoryStore : ISyncStore
        {
            private readonly InventoryEntry[] _items;

            public FixedInventoryStore(int n)
            {
                _items = new InventoryEntry[n];
                for (int i = 0; i < n; i++)
                {
                    _items[i] = new InventoryEntry(SyncItemKind.Shard, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab" + i.ToString("x6"), 256);
                }
            }

            public InventoryEntry[] ListItems() => _items;

            public InventoryChanges InventorySince(long since) => InventoryChanges.WholeAt(7, _items);

            public long LengthOf(string id) => -1;

            public byte[]? HashOf(string id) => null;

            public int Read(string id, long position, byte[] buffer, int offset, int count) => 0;

            public byte[]? ReadManifest(string id) => null;

            public long PartialLength(string id) => 0;

            public void DiscardPartial(string id)
            {
            }

            public void AppendPartial(string id, long position, byte[] data, int offset, int count)
            {
            }

            public AckStatus CompletePartial(string id, long totalLength, byte[] hash) => AckStatus.StoreError;

            public AckStatus StoreManifest(string id, byte[] data) => AckStatus.StoreError;

            public RemovalEntry[] ListRemovals() => new RemovalEntry[0];

            public void ApplyRemoval(string id, long removedAtMilliseconds)
            {
            }
        }
    }
}
