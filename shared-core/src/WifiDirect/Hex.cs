using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.WifiDirect
{
    /// <summary>Hex text as wpa_supplicant's control interface carries TLVs (lower case, no separators).</summary>
    public static class Hex
    {
        private const string Digits = "0123456789abcdef";

        /// <summary>The value of one hex digit, -1 when it is not one.</summary>
        public static int Value(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }

        /// <summary>Decodes; throws <see cref="ProtocolViolationException"/> for odd length or a non-hex digit.</summary>
        public static byte[] Decode(string text)
        {
            if (text.Length % 2 != 0)
            {
                throw new ProtocolViolationException("hex text has odd length " + text.Length);
            }

            byte[] result = new byte[text.Length / 2];
            for (int i = 0; i < result.Length; i++)
            {
                int hi = Value(text[2 * i]);
                int lo = Value(text[(2 * i) + 1]);
                if (hi < 0 || lo < 0)
                {
                    throw new ProtocolViolationException("hex text has a non-hex digit at " + (2 * i));
                }

                result[i] = (byte)((hi << 4) | lo);
            }

            return result;
        }

        /// <summary>Lower-case hex of <paramref name="length"/> bytes from <paramref name="offset"/>.</summary>
        public static string Encode(byte[] data, int offset, int length)
        {
            StringBuilder sb = new StringBuilder(length * 2);
            for (int i = offset; i < offset + length; i++)
            {
                sb.Append(Digits[data[i] >> 4]);
                sb.Append(Digits[data[i] & 15]);
            }

            return sb.ToString();
        }

        /// <summary>Lower-case hex of all of <paramref name="data"/>.</summary>
        public static string Encode(byte[] data)
        {
            return Encode(data, 0, data.Length);
        }
    }
}
