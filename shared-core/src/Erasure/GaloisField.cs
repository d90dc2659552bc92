namespace AetherEdge.Core.Erasure
{
    /// <summary>
    /// Arithmetic in GF(2^8) with the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and
    /// generator 2. Addition is XOR. Tables are built once: exp/log for inversion and a full
    /// 256 × 256 product table so the encoder's inner loop is one lookup per byte.
    /// </summary>
    public static class GaloisField
    {
        /// <summary>The reduction polynomial, including the x^8 term.</summary>
        public const int Polynomial = 0x11D;

        /// <summary>Number of field elements.</summary>
        public const int Order = 256;

        private static readonly byte[] s_exp = new byte[Order * 2];
        private static readonly byte[] s_log = new byte[Order];
        private static readonly byte[] s_mul = new byte[Order * Order];

        static GaloisField()
        {
            int x = 1;
            for (int i = 0; i < Order - 1; i++)
            {
                s_exp[i] = (byte)x;
                s_log[x] = (byte)i;
                x <<= 1;
                if (x >= Order)
                {
                    x ^= Polynomial;
                }
            }

            // Doubling the exp table lets Multiply skip the "mod 255" on log sums.
            for (int i = Order - 1; i < s_exp.Length; i++)
            {
                s_exp[i] = s_exp[i - (Order - 1)];
            }

            for (int a = 1; a < Order; a++)
            {
                int la = s_log[a];
                int row = a * Order;
                for (int b = 1; b < Order; b++)
                {
                    s_mul[row + b] = s_exp[la + s_log[b]];
                }
            }
        }

        /// <summary>
        /// The product table: the product of a and b is at index a * 256 + b. Shared, never modify it.
        /// </summary>
        public static byte[] MultiplicationTable
        {
            get { return s_mul; }
        }

        /// <summary>a × b.</summary>
        public static byte Multiply(byte a, byte b)
        {
            return s_mul[(a << 8) | b];
        }

        /// <summary>The multiplicative inverse of a non-zero element.</summary>
        public static byte Inverse(byte a)
        {
            if (a == 0)
            {
                throw new ErasureException("zero has no inverse in GF(256)");
            }

            return s_exp[(Order - 1) - s_log[a]];
        }

        /// <summary>a / b for non-zero b.</summary>
        public static byte Divide(byte a, byte b)
        {
            return Multiply(a, Inverse(b));
        }

        /// <summary>a raised to a non-negative power.</summary>
        public static byte Power(byte a, int exponent)
        {
            if (exponent == 0)
            {
                return 1;
            }

            if (a == 0)
            {
                return 0;
            }

            return s_exp[(s_log[a] * exponent) % (Order - 1)];
        }
    }
}
