using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;
using CsCheck;

namespace AetherEdge.Core.Tests.Sync
{
    public class SyncFrameCodecTests
    {
        internal static SyncFrame[] Samples()
        {
            var hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
            var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
            return new SyncFrame[]
            {
                new HelloFrame(1, 3, 10_000_000_000, 1234, 87, HelloFrame.FlagPluggedIn | HelloFrame.FlagAlwaysOn, "pi-hub ü"),
                new InventoryFrame(new[] { new InventoryEntry(SyncItemKind.Shard, "abc.0", 5), new InventoryEntry(SyncItemKind.Manifest, "m:abc", 77) }, true),
                new InventoryFrame(new InventoryEntry[0], false),
                new WantFrame(new[] { new WantEntry("abc.0", 0), new WantEntry("abc.1", 4096) }),
                new HaveFrame("abc.0", true, 1000, hash),
                new ShardChunkFrame("abc.0", 24, 1024, data, 0, 1000),
                new ShardChunkFrame("abc.0", 1024, 1024, data, 0, 0),
                new AckFrame("abc.0", AckStatus.BadHash),
                new ManifestFrame("m:abc", data),
                new ErrorFrame(SyncErrorCode.ShuttingDown, "bye"),
                new DoneFrame(),
            };
        }

        private static byte[] Encode(SyncFrame f)
        {
            var buffer = new byte[SyncFrameCodec.EncodedLength(f)];
            Assert.True(SyncFrameCodec.TryWrite(f, buffer, 0, buffer.Length, out int written));
            Assert.Equal(buffer.Length, written);
            return buffer;
        }

        [Fact]
        public void TryRead_EveryFrameType_RoundTripsByteExact()
        {
            ulong nonce = 1;
            foreach (var f in Samples())
            {
                f.TimestampMilliseconds = 1_700_000_000_000 + (long)nonce;
                f.Nonce = 0xFEDCBA9876543210UL + nonce++;
                byte[] wire = Encode(f);
                Assert.Equal(wire.Length, SyncFrameCodec.TryRead(wire, 0, wire.Length, out var back));
                Assert.NotNull(back);
                Assert.Equal(f.Type, back!.Type);
                Assert.Equal(f.TimestampMilliseconds, back.TimestampMilliseconds);
                Assert.Equal(f.Nonce, back.Nonce);
                Assert.Equal(wire, Encode(back));
            }
        }

        [Fact]
        public void TryRead_HelloFields_Preserved()
        {
            var wire = Encode(Samples()[0]);
            SyncFrameCodec.TryRead(wire, 0, wire.Length, out var f);
            var h = (HelloFrame)f!;
            Assert.Equal(3, h.Kind);
            Assert.Equal(10_000_000_000, h.AllocationBytes);
            Assert.Equal(87, h.BatteryPercent);
            Assert.True(h.Has(HelloFrame.FlagAlwaysOn));
            Assert.False(h.Has(HelloFrame.FlagWifiConnected));
            Assert.Equal("pi-hub ü", h.Name);
        }

        [Fact]
        public void TryRead_Header_MatchesDocumentedLayout()
        {
            var f = new DoneFrame { TimestampMilliseconds = 0x0102030405060708, Nonce = 0x1112131415161718 };
            var wire = Encode(f);
            Assert.Equal(new byte[] { 0xAE, 1, 9, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18 }, wire);
        }

        [Fact]
        public void TryRead_EveryPrefix_ReturnsZeroUntilComplete()
        {
            foreach (var f in Samples())
            {
                var wire = Encode(f);
                for (int n = 0; n < wire.Length; n += 1 + (wire.Length / 50))
                {
                    Assert.Equal(0, SyncFrameCodec.TryRead(wire, 0, n, out var partial));
                    Assert.Null(partial);
                }
            }
        }

        [Fact]
        public void TryWrite_BufferTooSmall_ReturnsFalse()
        {
            var f = Samples()[5];
            var buffer = new byte[SyncFrameCodec.EncodedLength(f) - 1];
            Assert.False(SyncFrameCodec.TryWrite(f, buffer, 0, buffer.Length, out int written));
            Assert.Equal(0, written);
        }

        [Theory]
        [InlineData(0, 0x00, "magic")]
        [InlineData(1, 0x02, "version")]
        [InlineData(2, 0x63, "unknown frame type")]
        [InlineData(3, 0x01, "reserved")]
        [InlineData(4, 0x7F, "limit")]
        public void TryRead_CorruptHeader_ThrowsNamingField(int index, byte value, string expected)
        {
            var wire = Encode(new DoneFrame());
            wire[index] = value;
            var e = Assert.Throws<ProtocolViolationException>(() => SyncFrameCodec.TryRead(wire, 0, wire.Length, out _));
            Assert.Contains(expected, e.Message);
        }

        [Fact]
        public void TryRead_ChunkOutsideItem_Throws()
        {
            var wire = Encode(new ShardChunkFrame("x", 0, 10, new byte[10], 0, 10));
            // total length field sits after: header(24) + id(1+1) + offset(8)
            wire[24 + 2 + 8 + 7] = 5;
            var e = Assert.Throws<ProtocolViolationException>(() => SyncFrameCodec.TryRead(wire, 0, wire.Length, out _));
            Assert.Contains("outside the item", e.Message);
        }

        [Fact]
        public void TryWrite_ChunkDataAlreadyAtDataStart_EncodesSameBytesAsACopiedChunk()
        {
            var data = Enumerable.Range(0, 300).Select(i => (byte)(i * 13)).ToArray();
            var copied = Encode(new ShardChunkFrame("item.7", 600, 2000, data, 0, data.Length));

            const int frameAt = 5;
            var buffer = new byte[frameAt + copied.Length + 3];
            int at = frameAt + ShardChunkFrame.DataStart("item.7");
            Array.Copy(data, 0, buffer, at, data.Length);
            var inPlace = new ShardChunkFrame("item.7", 600, 2000, buffer, at, data.Length);
            Assert.True(SyncFrameCodec.TryWrite(inPlace, buffer, frameAt, buffer.Length - frameAt, out int written));

            Assert.Equal(copied, buffer.Skip(frameAt).Take(written).ToArray());
        }

        [Fact]
        public void TryRead_TrailingBytesInPayload_Throws()
        {
            var f = new AckFrame("x", AckStatus.Ok);
            var wire = Encode(f);
            var longer = new byte[wire.Length + 1];
            Array.Copy(wire, longer, wire.Length);
            longer[7]++;
            var e = Assert.Throws<ProtocolViolationException>(() => SyncFrameCodec.TryRead(longer, 0, longer.Length, out _));
            Assert.Contains("trailing", e.Message);
        }

        [Fact]
        public void TryRead_RandomBytes_OnlyProtocolViolations()
        {
            Gen.Byte.Array[0, 300].Sample(bytes =>
            {
                if (bytes.Length > 0)
                {
                    bytes[0] = SyncLimits.Magic;
                }

                if (bytes.Length > 1)
                {
                    bytes[1] = SyncLimits.Version;
                }

                try
                {
                    SyncFrameCodec.TryRead(bytes, 0, bytes.Length, out _);
                }
                catch (ProtocolViolationException)
                {
                }
            }, iter: 20_000);
        }

        [Fact]
        public void TryRead_MutatedValidFrames_OnlyProtocolViolationsOrValidFrames()
        {
            var wires = Samples().Select(Encode).ToArray();
            Gen.Select(Gen.Int[0, wires.Length - 1], Gen.Int[0, 10_000], Gen.Byte).Sample((w, pos, value) =>
            {
                var wire = (byte[])wires[w].Clone();
                wire[pos % wire.Length] = value;
                try
                {
                    int n = SyncFrameCodec.TryRead(wire, 0, wire.Length, out var f);
                    if (n > 0)
                    {
                        Assert.Equal(wire.AsSpan(0, n).ToArray(), Encode(f!));
                    }
                }
                catch (ProtocolViolationException)
                {
                }
            }, iter: 20_000);
        }
    }
}
