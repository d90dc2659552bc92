using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Erasure;
using CsCheck;

namespace AetherEdge.HostNode.Tests.Erasure
{
    public class VectorGaloisKernelTests
    {
        [Fact]
        public void MultiplyAdd_AnyCoefficientOffsetLength_SameAsTableKernel()
        {
            Gen.Select(Gen.Byte, Gen.Int[0, 200], Gen.Int[0, 7], Gen.Int[0, 7], Gen.Bool, Gen.Int).Sample((c, count, so, d0, accumulate, seed) =>
            {
                var rnd = new Random(seed);
                byte[] source = new byte[count + so + 3];
                byte[] expected = new byte[count + d0 + 3];
                rnd.NextBytes(source);
                rnd.NextBytes(expected);
                byte[] actual = (byte[])expected.Clone();
                TableGaloisKernel.Instance.MultiplyAdd(c, source, so, expected, d0, count, accumulate);
                VectorGaloisKernel.Instance.MultiplyAdd(c, source, so, actual, d0, count, accumulate);
                return expected.AsSpan().SequenceEqual(actual);
            }, iter: 2000);
        }

        [Fact]
        public void MultiplyAdd_EveryCoefficient_MatchesFieldMultiply()
        {
            byte[] source = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
            byte[] product = new byte[256];
            for (int c = 0; c < 256; c++)
            {
                VectorGaloisKernel.Instance.MultiplyAdd((byte)c, source, 0, product, 0, 256, accumulate: false);
                for (int x = 0; x < 256; x++)
                {
                    Assert.Equal(GaloisField.Multiply((byte)c, (byte)x), product[x]);
                }
            }
        }

        [Fact]
        public void ReedSolomon_VectorKernel_RebuildsLikeTableKernel()
        {
            Gen.Select(Gen.Int[1, 12], Gen.Int[1, 6], Gen.Int[0, 700], Gen.Int).Sample((k, m, piece, seed) =>
            {
                var rnd = new Random(seed);
                int n = k + m;
                byte[] stripe = new byte[n * piece];
                rnd.NextBytes(stripe);
                new ReedSolomon(k, m, VectorGaloisKernel.Instance).Encode(stripe, 0, piece);
                byte[] reference = (byte[])stripe.Clone();
                new ReedSolomon(k, m).Encode(reference, 0, piece);
                if (!stripe.AsSpan().SequenceEqual(reference))
                {
                    return false;
                }

                bool[] present = new bool[n];
                foreach (int i in Enumerable.Range(0, n).OrderBy(_ => rnd.Next()).Take(k))
                {
                    present[i] = true;
                }

                byte[] damaged = (byte[])stripe.Clone();
                for (int i = 0; i < n; i++)
                {
                    if (!present[i])
                    {
                        Array.Clear(damaged, i * piece, piece);
                    }
                }

                new ReedSolomon(k, m, VectorGaloisKernel.Instance).Reconstruct(damaged, 0, piece, present, true);
                return damaged.AsSpan().SequenceEqual(stripe);
            }, iter: 200);
        }
    }
}
