using AetherEdge.Core.Protocol;
using AetherEdge.Core.Routing;
using CsCheck;

namespace AetherEdge.Core.Tests.Routing
{
    public class PacketHeaderCodecTests
    {
        [Fact]
        public void Parse_RandomBytes_OnlyProtocolViolation()
        {
            var header = new PacketHeader();
            Gen.Byte.Array[0, 80].Sample(bytes =>
            {
                try
                {
                    PacketHeaderCodec.Parse(bytes, 0, bytes.Length, header);
                    Assert.Equal(bytes.Length, RoutingLimits.HeaderBytes + header.PayloadLength);
                }
                catch (ProtocolViolationException)
                {
                }
            }, iter: 20000);
        }

        [Fact]
        public void Header_RoundTrips()
        {
            Gen.Select(Gen.Int[0, 7], Gen.UInt[1, 0xFFFFFFFE], Gen.UInt[1, uint.MaxValue], Gen.UInt, Gen.UInt[0, 0xFFFFFFFE], Gen.Bool, Gen.Bool, Gen.Int[0, 300])
                .Sample((hopStart, source, destination, id, nextHop, wantAck, bulk, length) =>
                {
                    var h = new PacketHeader
                    {
                        HopStart = hopStart,
                        HopLimit = hopStart / 2,
                        Source = source,
                        Destination = destination,
                        PacketId = id,
                        NextHop = nextHop,
                        WantAck = wantAck,
                        Bulk = bulk,
                        PayloadLength = length,
                    };
                    var buffer = new byte[RoutingLimits.HeaderBytes + length];
                    Assert.True(PacketHeaderCodec.TryWrite(h, buffer, 0, out int written));
                    var back = new PacketHeader();
                    PacketHeaderCodec.Parse(buffer, 0, buffer.Length, back);
                    Assert.Equal(
                        (h.HopStart, h.HopLimit, h.Source, h.Destination, h.PacketId, h.NextHop, h.WantAck, h.Bulk, h.PayloadLength),
                        (back.HopStart, back.HopLimit, back.Source, back.Destination, back.PacketId, back.NextHop, back.WantAck, back.Bulk, back.PayloadLength));
                });
        }

        [Fact]
        public void TryWrite_ShortBuffer_ReturnsFalse()
        {
            Assert.False(PacketHeaderCodec.TryWrite(new PacketHeader(), new byte[19], 0, out _));
        }

        [Theory]
        [InlineData("20", "version 2")]
        [InlineData("18", "reserved flag bits")]
        [InlineData("10 1D", "hop limit 5 above hop start 3")]
        public void Parse_BadHeader_NamesProblem(string prefix, string expected)
        {
            byte[] bytes = Valid();
            byte[] p = Convert.FromHexString(prefix.Replace(" ", string.Empty));
            p.CopyTo(bytes, 0);
            var e = Assert.Throws<ProtocolViolationException>(() => PacketHeaderCodec.Parse(bytes, 0, bytes.Length, new PacketHeader()));
            Assert.Contains(expected, e.Message);
        }

        [Fact]
        public void Parse_PayloadLengthMismatch_Throws()
        {
            byte[] bytes = Valid();
            var e = Assert.Throws<ProtocolViolationException>(() => PacketHeaderCodec.Parse(bytes, 0, bytes.Length - 1, new PacketHeader()));
            Assert.Contains("payload length 3", e.Message);
        }

        private static byte[] Valid()
        {
            var h = new PacketHeader { HopStart = 3, HopLimit = 3, Source = 7, Destination = 9, PacketId = 1, PayloadLength = 3 };
            var buffer = new byte[RoutingLimits.HeaderBytes + 3];
            PacketHeaderCodec.TryWrite(h, buffer, 0, out _);
            return buffer;
        }
    }
}
