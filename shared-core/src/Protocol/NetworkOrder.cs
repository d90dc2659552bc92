namespace AetherEdge.Core.Protocol
{
    /// <summary>
    /// Big-endian (network order) integer reads and writes over byte[] + offset; nanoFramework has no
    /// BinaryPrimitives. Callers check bounds first.
    /// </summary>
    public static class NetworkOrder
    {
        /// <summary>Writes <paramref name="value"/> as 2 bytes at <paramref name="offset"/>.</summary>
        public static void WriteUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)(value >> 8);
            buffer[offset + 1] = (byte)value;
        }

        /// <summary>Reads 2 bytes at <paramref name="offset"/>.</summary>
        public static int ReadUInt16(byte[] buffer, int offset)
        {
            return (buffer[offset] << 8) | buffer[offset + 1];
        }

        /// <summary>Writes <paramref name="value"/> as 4 bytes at <paramref name="offset"/>.</summary>
        public static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        /// <summary>Reads 4 bytes at <paramref name="offset"/>.</summary>
        public static uint ReadUInt32(byte[] buffer, int offset)
        {
            return ((uint)buffer[offset] << 24)
                | ((uint)buffer[offset + 1] << 16)
                | ((uint)buffer[offset + 2] << 8)
                | buffer[offset + 3];
        }

        /// <summary>Writes <paramref name="value"/> as 8 bytes at <paramref name="offset"/>.</summary>
        public static void WriteUInt64(byte[] buffer, int offset, ulong value)
        {
            for (int i = 7; i >= 0; i--)
            {
                buffer[offset + i] = (byte)value;
                value >>= 8;
            }
        }

        /// <summary>Reads 8 bytes at <paramref name="offset"/>.</summary>
        public static ulong ReadUInt64(byte[] buffer, int offset)
        {
            ulong value = 0;
            for (int i = 0; i < 8; i++)
            {
                value = (value << 8) | buffer[offset + i];
            }

            return value;
        }
    }
}
