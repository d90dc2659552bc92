namespace AetherEdge.Core.Gatt
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF). Link
    /// integrity of a reassembled transfer only; end-to-end integrity is the shard's SHA-256
    /// content id, checked by the receiving application.
    /// </summary>
    public static class Crc32
    {
        private static readonly uint[] s_table = BuildTable();

        /// <summary>Initial running value for <see cref="Update"/>.</summary>
        public const uint Seed = 0xFFFFFFFF;

        /// <summary>CRC-32 of <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Seed, data, offset, count));
        }

        /// <summary>Feeds bytes into a running value that started at <see cref="Seed"/>.</summary>
        public static uint Update(uint running, byte[] data, int offset, int count)
        {
            uint crc = running;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = s_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        /// <summary>Final XOR of a running value.</summary>
        public static uint Finish(uint running)
        {
            return running ^ 0xFFFFFFFF;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
