using AetherEdge.Core.Gatt;
using AetherEdge.Core.Protocol;
using CsCheck;

namespace AetherEdge.Core.Tests.Gatt
{
    public class GattFrameCodecTests
    {
        [Fact]
        public void Parse_RandomBytes_OnlyProtocolViolation()
        {
            var frame = new GattFrame();
            Gen.Byte.Array[0, 600].Sample(bytes =>
            {
                try
                {
                    GattFrameCodec.Parse(bytes, 0, bytes.Length, frame);
                    Assert.True(frame.PayloadOffset + frame.PayloadLength <= bytes.Length);
                }
                catch (ProtocolViolationException)
                {
                }
            }, iter: 20000);
        }

        [Fact]
        public void DataHeader_RoundTrips()
        {
            Gen.Select(Gen.Int[0, 255], Gen.Int[1, GattLimits.MaxFragments - 1], Gen.Bool, Gen.Bool, Gen.Int[16, 510])
                .Sample((id, seq, last, ack, chunk) =>
                {
                    var buffer = new byte[40];
                    Assert.True(GattFrameCodec.TryWriteDataHeader(buffer, 0, id, seq, false, last, ack, 0, 0, chunk, out int written));
                    var frame = new GattFrame();
                    GattFrameCodec.Parse(buffer, 0, written + 7, frame);
                    Assert.Equal((GattFrameType.Data, id, seq, last, ack, 7), (frame.Type, frame.TransferId, frame.Sequence, frame.Last, frame.AckRequest, frame.PayloadLength));
                });
        }

        [Fact]
        public void FirstHeader_RoundTripsLengthCrcChunk()
        {
            var buffer = new byte[64];
            Assert.True(GattFrameCodec.TryWriteDataHeader(buffer, 2, 9, 0, true, false, true, 65536, 0xDEADBEEF, 240, out int written));
            Assert.Equal(14, written);
            var frame = new GattFrame();
            GattFrameCodec.Parse(buffer, 2, written, frame);
            Assert.True(frame.First);
            Assert.Equal(65536, frame.TotalLength);
            Assert.Equal(0xDEADBEEFu, frame.Crc);
            Assert.Equal(240, frame.ChunkSize);
        }

        [Fact]
        public void TryWrite_BufferTooSmall_ReturnsFalse()
        {
            Assert.False(GattFrameCodec.TryWriteDataHeader(new byte[13], 0, 1, 0, true, false, false, 10, 0, 20, out _));
            Assert.False(GattFrameCodec.TryWriteAck(new byte[6], 0, 1, 0, false, new byte[4], 0, 4, out _));
            Assert.False(GattFrameCodec.TryWriteFail(new byte[2], 0, 1, true, GattFailReason.Timeout, out _));
        }

        [Theory]
        [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00 }, "sequence 0 without the first flag")]
        [InlineData(new byte[] { 0x04, 0x01, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20 }, "total length 0")]
        [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x00, 0x05 }, "bitmap length 5")]
        [InlineData(new byte[] { 0x02, 0x01, 0x63 }, "unknown reason 99")]
        [InlineData(new byte[] { 0x40, 0x01, 0x00, 0x01 }, "reserved flag bits")]
        public void Parse_BadFrame_MessageNamesProblem(byte[] bytes, string expected)
        {
            var e = Assert.Throws<ProtocolViolationException>(() => GattFrameCodec.Parse(bytes, 0, bytes.Length, new GattFrame()));
            Assert.Contains(expected, e.Message);
        }

        [Fact]
        public void Crc32_KnownVector()
        {
            byte[] text = System.Text.Encoding.ASCII.GetBytes("123456789");
            Assert.Equal(0xCBF43926u, Crc32.Compute(text, 0, text.Length));
        }
    }
}
