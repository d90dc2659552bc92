namespace AetherEdge.Firmware.Beacon
{
    using AetherEdge.Core.Gatt;
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Journal header and record layout (README.md). Every header and record carries its own CRC-32,
    /// so a torn write at the tail is detected and ignored at mount.
    /// </summary>
    public static class JournalCodec
    {
        /// <summary>Record type: a shard was stored.</summary>
        public const byte Put = 1;

        /// <summary>Record type: a shard was evicted or dropped.</summary>
        public const byte Remove = 2;

        private const uint Magic = 0x41454A31; // "AEJ1"

        /// <summary>Writes a header for <paramref name="generation"/>.</summary>
        public static void WriteHeader(byte[] buffer, uint generation)
        {
            NetworkOrder.WriteUInt32(buffer, 0, Magic);
            NetworkOrder.WriteUInt32(buffer, 4, generation);
            NetworkOrder.WriteUInt32(buffer, 8, ShardCacheLimits.RecordBytes);
            NetworkOrder.WriteUInt32(buffer, 12, Crc32.Compute(buffer, 0, 12));
        }

        /// <summary>The generation of a valid header, or 0 when the bytes are not one.</summary>
        public static uint ReadHeader(byte[] buffer, int length)
        {
            if (length < ShardCacheLimits.JournalHeaderBytes
                || NetworkOrder.ReadUInt32(buffer, 0) != Magic
                || NetworkOrder.ReadUInt32(buffer, 8) != ShardCacheLimits.RecordBytes
                || NetworkOrder.ReadUInt32(buffer, 12) != Crc32.Compute(buffer, 0, 12))
            {
                return 0;
            }

            return NetworkOrder.ReadUInt32(buffer, 4);
        }

        /// <summary>Writes a record into <paramref name="buffer"/> (at least RecordBytes long).</summary>
        public static void WriteRecord(byte[] buffer, byte type, byte[] contentId, int idOffset, uint fileNumber, int length, uint dataCrc)
        {
            buffer[0] = type;
            System.Array.Copy(contentId, idOffset, buffer, 1, ShardCacheLimits.ContentIdBytes);
            NetworkOrder.WriteUInt32(buffer, 33, fileNumber);
            NetworkOrder.WriteUInt32(buffer, 37, (uint)length);
            NetworkOrder.WriteUInt32(buffer, 41, dataCrc);
            buffer[45] = 0;
            buffer[46] = 0;
            buffer[47] = 0;
            NetworkOrder.WriteUInt32(buffer, 48, Crc32.Compute(buffer, 0, 48));
        }

        /// <summary>True when <paramref name="buffer"/> holds a whole, intact record.</summary>
        public static bool IsValidRecord(byte[] buffer, int length)
        {
            return length >= ShardCacheLimits.RecordBytes
                && (buffer[0] == Put || buffer[0] == Remove)
                && NetworkOrder.ReadUInt32(buffer, 48) == Crc32.Compute(buffer, 0, 48);
        }
    }
}
