using AetherEdge.Core.Erasure;
using CsCheck;

namespace AetherEdge.Core.Tests.Erasure
{
    public class GaloisFieldTests
    {
        [Fact]
        public void Multiply_MatchesCarrylessReference()
        {
            for (int a = 0; a < 256; a++)
            {
                for (int b = 0; b < 256; b++)
                {
                    Assert.Equal(Reference(a, b), GaloisField.Multiply((byte)a, (byte)b));
                }
            }
        }

        [Fact]
        public void Inverse_TimesSelf_IsOne()
        {
            for (int a = 1; a < 256; a++)
            {
                Assert.Equal(1, GaloisField.Multiply((byte)a, GaloisField.Inverse((byte)a)));
            }
        }

        [Fact]
        public void Inverse_Zero_Throws() => Assert.Throws<ErasureException>(() => GaloisField.Inverse(0));

        [Fact]
        public void Power_MatchesRepeatedMultiply()
        {
            Gen.Select(Gen.Byte, Gen.Int[0, 600]).Sample((a, e) =>
            {
                byte expected = 1;
                for (int i = 0; i < e; i++)
                {
                    expected = GaloisField.Multiply(expected, a);
                }

                return GaloisField.Power(a, e) == expected;
            });
        }

        [Fact]
        public void Invert_RandomInvertibleMatrix_ProductIsIdentity()
        {
            Gen.Select(Gen.Int[1, 12], Gen.Int).Sample((size, seed) =>
            {
                var rnd = new Random(seed);
                byte[] m = new byte[size * size];
                rnd.NextBytes(m);
                byte[] inv;
                try
                {
                    inv = GfMatrix.Invert(m, size);
                }
                catch (ErasureException)
                {
                    return true; // singular draws are allowed; invertible ones must be right
                }

                byte[] product = GfMatrix.Multiply(m, size, size, inv, size);
                for (int r = 0; r < size; r++)
                {
                    for (int c = 0; c < size; c++)
                    {
                        if (product[r * size + c] != (r == c ? 1 : 0))
                        {
                            return false;
                        }
                    }
                }

                return true;
            });
        }

        [Fact]
        public void Invert_Singular_Throws()
        {
            byte[] m = { 1, 2, 1, 2 };
            Assert.Throws<ErasureException>(() => GfMatrix.Invert(m, 2));
        }

        private static byte Reference(int a, int b)
        {
            int p = 0;
            while (b != 0)
            {
                if ((b & 1) != 0)
                {
                    p ^= a;
                }

                a <<= 1;
                if ((a & 0x100) != 0)
                {
                    a ^= GaloisField.Polynomial;
                }

                b >>= 1;
            }

            return (byte)p;
        }
    }
}
