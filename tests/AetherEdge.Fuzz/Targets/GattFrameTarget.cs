using AetherEdge.Core.Gatt;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// GattFrameCodec.Parse (every GATT write and notification a phone or beacon sends). Properties: the payload
    /// lies inside the frame, and a parsed frame writes back to exactly its bytes.
    /// </summary>
    public sealed class GattFrameTarget : FuzzTarget
    {
        public override string Name => "gatt-frame";

        public override string Source => "BLE GATT writes/notifications (network)";

        public override byte[][] Seeds()
        {
            var seeds = new List<byte[]>();
            var payload = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
            seeds.Add(Data(7, 0, true, false, true, 1000, 0xDEADBEEF, 240, payload));
            seeds.Add(Data(7, 3, false, true, false, 0, 0, 0, payload));
            seeds.Add(Data(9, 1, false, false, true, 0, 0, 0, Array.Empty<byte>()));
            var bitmap = new byte[] { 0xF0, 0x0F, 0x01 };
            var ack = new byte[GattLimits.AckHeaderBytes + bitmap.Length];
            GattFrameCodec.TryWriteAck(ack, 0, 7, 12, false, bitmap, 0, bitmap.Length, out _);
            seeds.Add(ack);
            var done = new byte[GattLimits.AckHeaderBytes];
            GattFrameCodec.TryWriteAck(done, 0, 7, 25, true, bitmap, 0, 0, out _);
            seeds.Add(done);
            var fail = new byte[GattLimits.FailFrameBytes];
            GattFrameCodec.TryWriteFail(fail, 0, 7, true, GattFailReason.TooLarge, out _);
            seeds.Add(fail);
            return seeds.ToArray();
        }

        public override int[] LengthFieldOffsets(byte[] input) => new[] { 2, 4, 12 };

        public override bool Execute(byte[] input)
        {
            var frame = new GattFrame();
            GattFrameCodec.Parse(input, 0, input.Length, frame);
            FuzzPropertyException.Check(
                frame.PayloadOffset >= 0 && frame.PayloadLength >= 0 && frame.PayloadOffset + frame.PayloadLength <= input.Length,
                "payload [" + frame.PayloadOffset + ", +" + frame.PayloadLength + ") outside a frame of " + input.Length + " bytes");
            byte[] back;
            switch (frame.Type)
            {
                case GattFrameType.Data:
                    back = Data(frame.TransferId, frame.Sequence, frame.First, frame.Last, frame.AckRequest, frame.TotalLength, frame.Crc, frame.ChunkSize,
                        input.AsSpan(frame.PayloadOffset, frame.PayloadLength).ToArray());
                    break;
                case GattFrameType.Ack:
                    back = new byte[GattLimits.AckHeaderBytes + frame.PayloadLength];
                    FuzzPropertyException.Check(
                        GattFrameCodec.TryWriteAck(back, 0, frame.TransferId, frame.NextExpected, frame.Complete, input, frame.PayloadOffset, frame.PayloadLength, out _),
                        "ack does not write");
                    break;
                case GattFrameType.Fail:
                    back = new byte[GattLimits.FailFrameBytes];
                    FuzzPropertyException.Check(GattFrameCodec.TryWriteFail(back, 0, frame.TransferId, frame.FromReceiver, frame.Reason, out _), "fail does not write");
                    break;
                default:
                    throw new FuzzPropertyException("parsed an unknown frame type " + frame.Type);
            }

            FuzzPropertyException.Equal(input, back, "a parsed " + frame.Type + " frame does not write back to its bytes");
            return true;
        }

        private static byte[] Data(int transferId, int sequence, bool first, bool last, bool ackRequest, int total, uint crc, int chunk, byte[] payload)
        {
            var frame = new byte[GattLimits.DataHeaderBytes + (first ? GattLimits.FirstHeaderExtraBytes : 0) + payload.Length];
            FuzzPropertyException.Check(
                GattFrameCodec.TryWriteDataHeader(frame, 0, transferId, sequence, first, last, ackRequest, total, crc, chunk, out int header),
                "data header does not write");
            payload.CopyTo(frame, header);
            return frame;
        }
    }
}
