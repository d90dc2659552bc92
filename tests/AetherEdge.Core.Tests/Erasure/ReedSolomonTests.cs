using AetherEdge.Core.Erasure;
using CsCheck;

namespace AetherEdge.Core.Tests.Erasure
{
    public class ReedSolomonTests
    {
        private static readonly Gen<(int K, int M, int Piece, int Seed)> s_codes =
            Gen.Select(Gen.Int[1, 20], Gen.Int[1, 12], Gen.Int[0, 300], Gen.Int);

        [Fact]
        public void Encode_DataPieces_Unchanged()
        {
            var rs = new ReedSolomon(4, 2);
            byte[] stripe = Stripe(4, 2, 10, 1);
            byte[] before = (byte[])stripe.Clone();
            rs.Encode(stripe, 0, 10);
            Assert.Equal(before.AsSpan(0, 40).ToArray(), stripe.AsSpan(0, 40).ToArray());
        }

        [Fact]
        public void Encode_ParityMatchesGeneratorRows()
        {
            // Independent check of the parity bytes: Σ_j C[i][j]·d_j computed with scalar field ops.
            var rs = new ReedSolomon(5, 3);
            byte[] stripe = Stripe(5, 3, 7, 2);
            rs.Encode(stripe, 0, 7);
            for (int i = 0; i < 3; i++)
            {
                for (int x = 0; x < 7; x++)
                {
                    int sum = 0;
                    for (int j = 0; j < 5; j++)
                    {
                        byte c = GaloisField.Inverse((byte)((5 + i) ^ j));
                        sum ^= GaloisField.Multiply(c, stripe[j * 7 + x]);
                    }

                    Assert.Equal((byte)sum, stripe[(5 + i) * 7 + x]);
                }
            }
        }

        [Fact]
        public void Reconstruct_AnyKOfN_RebuildsEverything()
        {
            s_codes.Sample(t =>
            {
                var (k, m, piece, seed) = t;
                var rs = new ReedSolomon(k, m);
                byte[] original = Stripe(k, m, piece, seed);
                rs.Encode(original, 3, piece);
                var rnd = new Random(seed);
                int n = k + m;
                int[] order = Enumerable.Range(0, n).OrderBy(_ => rnd.Next()).ToArray();
                int keep = k + rnd.Next(m + 1);
                bool[] present = new bool[n];
                foreach (int i in order.Take(keep))
                {
                    present[i] = true;
                }

                byte[] damaged = (byte[])original.Clone();
                for (int i = 0; i < n; i++)
                {
                    if (!present[i])
                    {
                        Array.Fill(damaged, (byte)0xEE, 3 + i * piece, piece);
                    }
                }

                rs.Reconstruct(damaged, 3, piece, present, rebuildParity: true);
                return damaged.AsSpan().SequenceEqual(original);
            }, iter: 300);
        }

        [Fact]
        public void Reconstruct_DataOnly_LeavesParityAlone()
        {
            var rs = new ReedSolomon(3, 2);
            byte[] stripe = Stripe(3, 2, 16, 5);
            rs.Encode(stripe, 0, 16);
            byte[] original = (byte[])stripe.Clone();
            bool[] present = { false, true, true, false, true };
            Array.Clear(stripe, 0, 16);
            Array.Fill(stripe, (byte)0x55, 48, 16);
            rs.Reconstruct(stripe, 0, 16, present, rebuildParity: false);
            Assert.Equal(original.AsSpan(0, 48).ToArray(), stripe.AsSpan(0, 48).ToArray());
            Assert.All(stripe.AsSpan(48, 16).ToArray(), b => Assert.Equal(0x55, b));
        }

        [Fact]
        public void Reconstruct_FewerThanK_ThrowsNamingCounts()
        {
            var rs = new ReedSolomon(10, 5);
            byte[] stripe = new byte[15 * 4];
            bool[] present = new bool[15];
            for (int i = 0; i < 9; i++)
            {
                present[i * 1 + 6] = true;
            }

            var e = Assert.Throws<ErasureException>(() => rs.Reconstruct(stripe, 0, 4, present, false));
            Assert.Contains("only 9 of 15", e.Message);
            Assert.Contains("10 needed", e.Message);
        }

        [Fact]
        public void Reconstruct_RepeatedPatternsAcrossStripes_UsesRightMatrix()
        {
            // The decode matrix is cached per presence pattern; alternating patterns must not reuse a stale one.
            var rs = new ReedSolomon(4, 3);
            bool[][] patterns =
            {
                new[] { false, true, true, true, true, false, false },
                new[] { true, false, false, true, true, true, false },
                new[] { false, true, true, true, true, false, false },
            };
            for (int s = 0; s < patterns.Length; s++)
            {
                byte[] stripe = Stripe(4, 3, 33, 10 + s);
                rs.Encode(stripe, 0, 33);
                byte[] original = (byte[])stripe.Clone();
                for (int i = 0; i < 7; i++)
                {
                    if (!patterns[s][i])
                    {
                        Array.Clear(stripe, i * 33, 33);
                    }
                }

                rs.Reconstruct(stripe, 0, 33, patterns[s], true);
                Assert.Equal(original, stripe);
            }
        }

        [Theory]
        [InlineData(0, 5)]
        [InlineData(10, 0)]
        [InlineData(200, 56)]
        public void Constructor_InvalidCounts_Throws(int k, int m)
        {
            var e = Assert.Throws<ErasureException>(() => new ReedSolomon(k, m));
            Assert.NotEmpty(e.Message);
        }

        [Fact]
        public void Constructor_MaxShards_EveryParityCoefficientNonZero()
        {
            var rs = new ReedSolomon(200, 55);
            for (int i = 0; i < 55; i++)
            {
                for (int j = 0; j < 200; j++)
                {
                    Assert.NotEqual(0, rs.ParityCoefficient(i, j));
                }
            }
        }

        [Fact]
        public void Encode_BufferTooSmall_Throws()
        {
            var rs = new ReedSolomon(10, 5);
            Assert.Throws<ErasureException>(() => rs.Encode(new byte[149], 0, 10));
        }

        private static byte[] Stripe(int k, int m, int piece, int seed)
        {
            var data = new byte[3 + (k + m) * piece + 5];
            new Random(seed).NextBytes(data);
            return data;
        }
    }
}
