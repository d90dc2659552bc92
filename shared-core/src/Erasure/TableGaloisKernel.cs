using System;

namespace AetherEdge.Core.Erasure
{
    /// <summary>Portable kernel: one lookup in the 64 KiB product table per byte.</summary>
    public sealed class TableGaloisKernel : IGaloisKernel
    {
        /// <summary>The shared instance (stateless).</summary>
        public static readonly TableGaloisKernel Instance = new TableGaloisKernel();

        /// <inheritdoc/>
        public void MultiplyAdd(byte coefficient, byte[] source, int sourceOffset, byte[] destination, int destinationOffset, int count, bool accumulate)
        {
            byte[] mul = GaloisField.MultiplicationTable;
            int end = destinationOffset + count;
            int src = sourceOffset;
            if (coefficient == 0)
            {
                if (!accumulate)
                {
                    Array.Clear(destination, destinationOffset, count);
                }
            }
            else if (coefficient == 1)
            {
                if (!accumulate)
                {
                    Array.Copy(source, sourceOffset, destination, destinationOffset, count);
                }
                else
                {
                    for (int x = destinationOffset; x < end; x++, src++)
                    {
                        destination[x] ^= source[src];
                    }
                }
            }
            else
            {
                int row = coefficient << 8;
                if (accumulate)
                {
                    for (int x = destinationOffset; x < end; x++, src++)
                    {
                        destination[x] ^= mul[row | source[src]];
                    }
                }
                else
                {
                    for (int x = destinationOffset; x < end; x++, src++)
                    {
                        destination[x] = mul[row | source[src]];
                    }
                }
            }
        }
    }
}
