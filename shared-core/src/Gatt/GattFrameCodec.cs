namespace AetherEdge.Core.Gatt
{
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Pure encoder/decoder of transfer frames (wire format in README.md). Writers return false when
    /// the destination is too small; <see cref="Parse"/> throws <see cref="ProtocolViolationException"/>.
    /// </summary>
    public static class GattFrameCodec
    {
        /// <summary>Data flag: first fragment.</summary>
        public const int FlagFirst = 0x04;

        /// <summary>Data flag: last fragment.</summary>
        public const int FlagLast = 0x08;

        /// <summary>Data flag: ack requested.</summary>
        public const int FlagAckRequest = 0x10;

        /// <summary>Ack flag: transfer complete and verified.</summary>
        public const int FlagComplete = 0x20;

        /// <summary>Fail flag: sent by the receiving side (names the peer's outgoing transfer).</summary>
        public const int FlagFromReceiver = 0x04;

        private const int TypeMask = 0x03;
        private const int DataFlagsMask = FlagFirst | FlagLast | FlagAckRequest;

        /// <summary>
        /// Writes a data fragment header at <paramref name="offset"/> (the caller copies the payload
        /// after it). For a first fragment also writes length, CRC and chunk size.
        /// </summary>
        public static bool TryWriteDataHeader(
            byte[] destination,
            int offset,
            int transferId,
            int sequence,
            bool first,
            bool last,
            bool ackRequest,
            int totalLength,
            uint crc,
            int chunkSize,
            out int written)
        {
            int needed = GattLimits.DataHeaderBytes + (first ? GattLimits.FirstHeaderExtraBytes : 0);
            written = 0;
            if (destination.Length - offset < needed)
            {
                return false;
            }

            int flags = (int)GattFrameType.Data;
            if (first)
            {
                flags |= FlagFirst;
            }

            if (last)
            {
                flags |= FlagLast;
            }

            if (ackRequest)
            {
                flags |= FlagAckRequest;
            }

            destination[offset] = (byte)flags;
            destination[offset + 1] = (byte)transferId;
            NetworkOrder.WriteUInt16(destination, offset + 2, sequence);
            if (first)
            {
                NetworkOrder.WriteUInt32(destination, offset + 4, (uint)totalLength);
                NetworkOrder.WriteUInt32(destination, offset + 8, crc);
                NetworkOrder.WriteUInt16(destination, offset + 12, chunkSize);
            }

            written = needed;
            return true;
        }

        /// <summary>
        /// Writes an ack. <paramref name="bitmap"/> bit i (LSB first within each byte) set means fragment
        /// <c>nextExpected + 1 + i</c> arrived.
        /// </summary>
        public static bool TryWriteAck(
            byte[] destination,
            int offset,
            int transferId,
            int nextExpected,
            bool complete,
            byte[] bitmap,
            int bitmapOffset,
            int bitmapLength,
            out int written)
        {
            written = 0;
            if (bitmapLength < 0 || bitmapLength > GattLimits.MaxAckBitmapBytes
                || destination.Length - offset < GattLimits.AckHeaderBytes + bitmapLength)
            {
                return false;
            }

            destination[offset] = (byte)((int)GattFrameType.Ack | (complete ? FlagComplete : 0));
            destination[offset + 1] = (byte)transferId;
            NetworkOrder.WriteUInt16(destination, offset + 2, nextExpected);
            destination[offset + 4] = (byte)bitmapLength;
            System.Array.Copy(bitmap, bitmapOffset, destination, offset + GattLimits.AckHeaderBytes, bitmapLength);
            written = GattLimits.AckHeaderBytes + bitmapLength;
            return true;
        }

        /// <summary>
        /// Writes a fail frame. <paramref name="fromReceiver"/> tells the peer which of its transfer id
        /// spaces is meant (each direction numbers its transfers independently).
        /// </summary>
        public static bool TryWriteFail(byte[] destination, int offset, int transferId, bool fromReceiver, GattFailReason reason, out int written)
        {
            written = 0;
            if (destination.Length - offset < GattLimits.FailFrameBytes)
            {
                return false;
            }

            destination[offset] = (byte)((int)GattFrameType.Fail | (fromReceiver ? FlagFromReceiver : 0));
            destination[offset + 1] = (byte)transferId;
            destination[offset + 2] = (byte)reason;
            written = GattLimits.FailFrameBytes;
            return true;
        }

        /// <summary>Decodes one frame of <paramref name="length"/> bytes into <paramref name="frame"/>.</summary>
        public static void Parse(byte[] buffer, int offset, int length, GattFrame frame)
        {
            if (length < 2)
            {
                throw new ProtocolViolationException("GATT frame: " + length + " bytes, need at least 2");
            }

            int flags = buffer[offset];
            int type = flags & TypeMask;
            frame.TransferId = buffer[offset + 1];
            frame.First = false;
            frame.Last = false;
            frame.AckRequest = false;
            frame.Complete = false;
            frame.FromReceiver = false;
            frame.Reason = GattFailReason.None;
            frame.TotalLength = 0;
            frame.Crc = 0;
            frame.ChunkSize = 0;
            frame.Sequence = 0;
            frame.NextExpected = 0;
            if (type == (int)GattFrameType.Data)
            {
                ParseData(buffer, offset, length, flags, frame);
            }
            else if (type == (int)GattFrameType.Ack)
            {
                ParseAck(buffer, offset, length, flags, frame);
            }
            else if (type == (int)GattFrameType.Fail)
            {
                if ((flags & ~(TypeMask | FlagFromReceiver)) != 0 || length != GattLimits.FailFrameBytes)
                {
                    throw new ProtocolViolationException("GATT fail frame: bad flags or length " + length);
                }

                int reason = buffer[offset + 2];
                if (reason < (int)GattFailReason.RetriesExhausted || reason > (int)GattFailReason.Cancelled)
                {
                    throw new ProtocolViolationException("GATT fail frame: unknown reason " + reason);
                }

                frame.Type = GattFrameType.Fail;
                frame.FromReceiver = (flags & FlagFromReceiver) != 0;
                frame.Reason = (GattFailReason)reason;
                frame.PayloadOffset = offset + 3;
                frame.PayloadLength = 0;
            }
            else
            {
                throw new ProtocolViolationException("GATT frame: unknown type " + type);
            }
        }

        private static void ParseData(byte[] buffer, int offset, int length, int flags, GattFrame frame)
        {
            if ((flags & ~(TypeMask | DataFlagsMask)) != 0)
            {
                throw new ProtocolViolationException("GATT data frame: reserved flag bits set (0x" + flags.ToString("X2") + ")");
            }

            frame.Type = GattFrameType.Data;
            frame.First = (flags & FlagFirst) != 0;
            frame.Last = (flags & FlagLast) != 0;
            frame.AckRequest = (flags & FlagAckRequest) != 0;
            int header = GattLimits.DataHeaderBytes + (frame.First ? GattLimits.FirstHeaderExtraBytes : 0);
            if (length < header)
            {
                throw new ProtocolViolationException("GATT data frame: " + length + " bytes, header needs " + header);
            }

            frame.Sequence = NetworkOrder.ReadUInt16(buffer, offset + 2);
            if (frame.Sequence >= GattLimits.MaxFragments)
            {
                throw new ProtocolViolationException("GATT data frame: sequence " + frame.Sequence + " over limit " + GattLimits.MaxFragments);
            }

            if (frame.First)
            {
                if (frame.Sequence != 0)
                {
                    throw new ProtocolViolationException("GATT data frame: first fragment with sequence " + frame.Sequence);
                }

                uint total = NetworkOrder.ReadUInt32(buffer, offset + 4);
                if (total == 0 || total > GattLimits.MaxTransferBytes)
                {
                    throw new ProtocolViolationException("GATT data frame: total length " + total + " outside 1.." + GattLimits.MaxTransferBytes);
                }

                frame.TotalLength = (int)total;
                frame.Crc = NetworkOrder.ReadUInt32(buffer, offset + 8);
                frame.ChunkSize = NetworkOrder.ReadUInt16(buffer, offset + 12);
                int minChunk = GattLimits.AttPayloadForMtu(GattLimits.MinAttMtu) - GattLimits.DataHeaderBytes;
                int maxChunk = GattLimits.AttPayloadForMtu(GattLimits.MaxAttMtu) - GattLimits.DataHeaderBytes;
                if (frame.ChunkSize < minChunk || frame.ChunkSize > maxChunk)
                {
                    throw new ProtocolViolationException("GATT data frame: chunk size " + frame.ChunkSize + " outside " + minChunk + ".." + maxChunk);
                }
            }
            else if (frame.Sequence == 0)
            {
                throw new ProtocolViolationException("GATT data frame: sequence 0 without the first flag");
            }

            frame.PayloadOffset = offset + header;
            frame.PayloadLength = length - header;
        }

        private static void ParseAck(byte[] buffer, int offset, int length, int flags, GattFrame frame)
        {
            if ((flags & ~(TypeMask | FlagComplete)) != 0)
            {
                throw new ProtocolViolationException("GATT ack frame: reserved flag bits set (0x" + flags.ToString("X2") + ")");
            }

            if (length < GattLimits.AckHeaderBytes)
            {
                throw new ProtocolViolationException("GATT ack frame: " + length + " bytes, header needs " + GattLimits.AckHeaderBytes);
            }

            int bitmapLength = buffer[offset + 4];
            if (bitmapLength > GattLimits.MaxAckBitmapBytes || length != GattLimits.AckHeaderBytes + bitmapLength)
            {
                throw new ProtocolViolationException("GATT ack frame: bitmap length " + bitmapLength + " does not fit frame length " + length);
            }

            frame.Type = GattFrameType.Ack;
            frame.Complete = (flags & FlagComplete) != 0;
            frame.NextExpected = NetworkOrder.ReadUInt16(buffer, offset + 2);
            if (frame.NextExpected > GattLimits.MaxFragments)
            {
                throw new ProtocolViolationException("GATT ack frame: next expected " + frame.NextExpected + " over limit " + GattLimits.MaxFragments);
            }

            frame.PayloadOffset = offset + GattLimits.AckHeaderBytes;
            frame.PayloadLength = bitmapLength;
        }
    }
}
