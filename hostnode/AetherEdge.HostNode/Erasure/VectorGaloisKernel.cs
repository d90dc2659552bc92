using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AetherEdge.Core.Erasure;

namespace AetherEdge.HostNode.Erasure
{
    /// <summary>
    /// GF(2^8) multiply-accumulate with SIMD byte shuffles (x86 pshufb, ARM tbl): c × x = T_lo[x &amp; 15]
    /// XOR T_hi[x &gt;&gt; 4], two 16-entry tables per coefficient, 32 or 16 bytes per step. Falls back to
    /// the portable table kernel where vectors are not accelerated and for the tail.
    /// </summary>
    public sealed class VectorGaloisKernel : IGaloisKernel
    {
        public static readonly VectorGaloisKernel Instance = new();

        private static readonly byte[] s_low = BuildNibbleTables(shift: 0);
        private static readonly byte[] s_high = BuildNibbleTables(shift: 4);

        /// <summary>True when this machine runs the vector path (else every call uses the table kernel).</summary>
        public static bool IsAccelerated => Avx2.IsSupported || Vector128.IsHardwareAccelerated;

        public void MultiplyAdd(byte coefficient, byte[] source, int sourceOffset, byte[] destination, int destinationOffset, int count, bool accumulate)
        {
            if (coefficient <= 1 || !IsAccelerated || (uint)sourceOffset + (uint)count > (uint)source.Length
                || (uint)destinationOffset + (uint)count > (uint)destination.Length)
            {
                TableGaloisKernel.Instance.MultiplyAdd(coefficient, source, sourceOffset, destination, destinationOffset, count, accumulate);
                return;
            }

            ref byte src = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(source), sourceOffset);
            ref byte dst = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(destination), destinationOffset);
            var low128 = Vector128.LoadUnsafe(ref s_low[coefficient * 16]);
            var high128 = Vector128.LoadUnsafe(ref s_high[coefficient * 16]);
            int i = 0;
            if (Avx2.IsSupported)
            {
                var low = Vector256.Create(low128, low128);
                var high = Vector256.Create(high128, high128);
                var mask = Vector256.Create((byte)0x0F);
                for (; i <= count - 32; i += 32)
                {
                    var x = Vector256.LoadUnsafe(ref src, (nuint)i);
                    var product = Avx2.Shuffle(low, x & mask) ^ Avx2.Shuffle(high, Vector256.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & mask);
                    if (accumulate)
                    {
                        product ^= Vector256.LoadUnsafe(ref dst, (nuint)i);
                    }

                    product.StoreUnsafe(ref dst, (nuint)i);
                }
            }

            var mask128 = Vector128.Create((byte)0x0F);
            for (; i <= count - 16; i += 16)
            {
                var x = Vector128.LoadUnsafe(ref src, (nuint)i);
                var product = Vector128.ShuffleNative(low128, x & mask128) ^ Vector128.ShuffleNative(high128, Vector128.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & mask128);
                if (accumulate)
                {
                    product ^= Vector128.LoadUnsafe(ref dst, (nuint)i);
                }

                product.StoreUnsafe(ref dst, (nuint)i);
            }

            if (i < count)
            {
                TableGaloisKernel.Instance.MultiplyAdd(coefficient, source, sourceOffset + i, destination, destinationOffset + i, count - i, accumulate);
            }
        }

        private static byte[] BuildNibbleTables(int shift)
        {
            var t = new byte[256 * 16];
            for (int c = 0; c < 256; c++)
            {
                for (int x = 0; x < 16; x++)
                {
                    t[c * 16 + x] = GaloisField.Multiply((byte)c, (byte)(x << shift));
                }
            }

            return t;
        }
    }
}
