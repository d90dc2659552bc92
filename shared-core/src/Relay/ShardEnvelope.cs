namespace AetherEdge.Core.Relay
{
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Payload of a routed bulk packet carrying one encrypted shard:
    /// <c>kind (1 = shard) | SHA-256 content id (32) | shard bytes</c>. Relays cache it by content id;
    /// only endpoints that have SHA-256 verify the id (nanoFramework's mscorlib has none), relays keep a
    /// CRC-32 per cached copy.
    /// </summary>
    public static class ShardEnvelope
    {
        /// <summary>Kind byte of a shard envelope.</summary>
        public const byte KindShard = 1;

        /// <summary>Length of the content id (SHA-256).</summary>
        public const int ContentIdBytes = 32;

        /// <summary>Bytes before the shard.</summary>
        public const int HeaderBytes = 1 + ContentIdBytes;

        /// <summary>Writes an envelope for <paramref name="shardLength"/> bytes of shard; false when it does not fit.</summary>
        public static bool TryWrite(byte[] contentId, byte[] shard, int shardOffset, int shardLength, byte[] destination, int offset, out int written)
        {
            written = 0;
            if (contentId.Length != ContentIdBytes || destination.Length - offset < HeaderBytes + shardLength)
            {
                return false;
            }

            destination[offset] = KindShard;
            System.Array.Copy(contentId, 0, destination, offset + 1, ContentIdBytes);
            System.Array.Copy(shard, shardOffset, destination, offset + HeaderBytes, shardLength);
            written = HeaderBytes + shardLength;
            return true;
        }

        /// <summary>True when the payload starts like a shard envelope (kind byte and room for an id).</summary>
        public static bool IsShard(byte[] buffer, int offset, int length)
        {
            return length > HeaderBytes && buffer[offset] == KindShard;
        }

        /// <summary>Checks an envelope; returns the offset of the shard bytes (the id is at offset + 1).</summary>
        public static int Parse(byte[] buffer, int offset, int length)
        {
            if (length <= HeaderBytes)
            {
                throw new ProtocolViolationException("shard envelope: " + length + " bytes, need more than " + HeaderBytes);
            }

            if (buffer[offset] != KindShard)
            {
                throw new ProtocolViolationException("shard envelope: kind " + buffer[offset] + ", expected " + KindShard);
            }

            return offset + HeaderBytes;
        }
    }
}
