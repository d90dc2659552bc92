namespace AetherEdge.Core.Relay
{
    using AetherEdge.Core.Protocol;

    /// <summary>Fields of a parsed shard piece; the bytes stay in the caller's buffer.</summary>
    public sealed class ShardPieceHeader
    {
        /// <summary>Where the 32-byte SHA-256 content id of the whole shard starts.</summary>
        public int ContentIdOffset;

        /// <summary>Bytes of the whole shard.</summary>
        public int ShardLength;

        /// <summary>Bytes of every piece but the last.</summary>
        public int PieceBytes;

        /// <summary>Which piece this is (0-based).</summary>
        public int Index;

        /// <summary>Where this piece's bytes start.</summary>
        public int DataOffset;

        /// <summary>This piece's byte count.</summary>
        public int DataLength;

        /// <summary>Pieces the shard is cut into.</summary>
        public int Count
        {
            get { return ShardPiece.CountFor(ShardLength, PieceBytes); }
        }
    }

    /// <summary>
    /// One piece of a shard too large for one routed packet (a beacon relays packets up to 8 KiB):
    /// <c>kind 6 | SHA-256 content id (32) | shard length u32 | piece bytes u16 | piece index u32 | bytes</c>,
    /// big-endian. Every piece but the last carries exactly <c>piece bytes</c>; the receiver keeps pieces
    /// apart until all are there and the whole shard hashes to the content id, so no partial shard is stored.
    /// Travels sealed (the tag binds it to its sender and receiver), like a whole <see cref="ShardEnvelope"/>.
    /// </summary>
    public static class ShardPiece
    {
        /// <summary>Kind byte of a shard piece (<c>Routing.MeshPayloadKind.ShardPiece</c>).</summary>
        public const byte Kind = 6;

        /// <summary>Bytes before the piece's data.</summary>
        public const int HeaderBytes = 1 + ShardEnvelope.ContentIdBytes + 4 + 2 + 4;

        /// <summary>Largest shard a piece may belong to (64 MiB segments over at least one data shard, plus headers).</summary>
        public const int MaxShardBytes = (64 << 20) + 4096;

        /// <summary>Pieces of <paramref name="pieceBytes"/> needed for <paramref name="shardLength"/> bytes.</summary>
        public static int CountFor(int shardLength, int pieceBytes)
        {
            return pieceBytes < 1 ? 0 : (int)(((long)shardLength + pieceBytes - 1) / pieceBytes);
        }

        /// <summary>Bytes of piece <paramref name="index"/>.</summary>
        public static int LengthOf(int shardLength, int pieceBytes, int index)
        {
            long start = (long)index * pieceBytes;
            long left = shardLength - start;
            return left < pieceBytes ? (int)left : pieceBytes;
        }

        /// <summary>
        /// Writes piece <paramref name="index"/> of <paramref name="shard"/> (whole shard in the buffer) into
        /// <paramref name="destination"/>; returns the bytes written or -1 when it does not fit or is out of range.
        /// </summary>
        public static int Write(byte[] contentId, byte[] shard, int shardOffset, int shardLength, int pieceBytes, int index,
            byte[] destination, int offset)
        {
            if (contentId.Length != ShardEnvelope.ContentIdBytes || pieceBytes < 1 || pieceBytes > 0xFFFF
                || shardLength < 1 || index < 0 || index >= CountFor(shardLength, pieceBytes))
            {
                return -1;
            }

            int length = LengthOf(shardLength, pieceBytes, index);
            if (destination.Length - offset < HeaderBytes + length)
            {
                return -1;
            }

            destination[offset] = Kind;
            System.Array.Copy(contentId, 0, destination, offset + 1, ShardEnvelope.ContentIdBytes);
            NetworkOrder.WriteUInt32(destination, offset + 33, (uint)shardLength);
            NetworkOrder.WriteUInt16(destination, offset + 37, pieceBytes);
            NetworkOrder.WriteUInt32(destination, offset + 39, (uint)index);
            System.Array.Copy(shard, shardOffset + (index * pieceBytes), destination, offset + HeaderBytes, length);
            return HeaderBytes + length;
        }

        /// <summary>Parses and checks a piece; throws <see cref="ProtocolViolationException"/> when it is malformed.</summary>
        public static void Parse(byte[] buffer, int offset, int length, ShardPieceHeader header)
        {
            if (length <= HeaderBytes)
            {
                throw new ProtocolViolationException("shard piece: " + length + " bytes, need more than " + HeaderBytes);
            }

            if (buffer[offset] != Kind)
            {
                throw new ProtocolViolationException("shard piece: kind " + buffer[offset]);
            }

            uint shardLength = NetworkOrder.ReadUInt32(buffer, offset + 33);
            int pieceBytes = NetworkOrder.ReadUInt16(buffer, offset + 37);
            uint index = NetworkOrder.ReadUInt32(buffer, offset + 39);
            if (shardLength < 1 || shardLength > MaxShardBytes || pieceBytes < 1)
            {
                throw new ProtocolViolationException("shard piece: shard of " + shardLength + " bytes in pieces of " + pieceBytes);
            }

            int count = CountFor((int)shardLength, pieceBytes);
            if (index >= (uint)count)
            {
                throw new ProtocolViolationException("shard piece: index " + index + " of " + count);
            }

            int expected = LengthOf((int)shardLength, pieceBytes, (int)index);
            if (length - HeaderBytes != expected)
            {
                throw new ProtocolViolationException("shard piece: " + (length - HeaderBytes) + " bytes, piece " + index + " has " + expected);
            }

            header.ContentIdOffset = offset + 1;
            header.ShardLength = (int)shardLength;
            header.PieceBytes = pieceBytes;
            header.Index = (int)index;
            header.DataOffset = offset + HeaderBytes;
            header.DataLength = expected;
        }
    }
}
