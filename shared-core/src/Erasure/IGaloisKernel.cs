namespace AetherEdge.Core.Erasure
{
    /// <summary>
    /// The encoder's inner loop: multiply a byte range by a constant in GF(2^8) and store or XOR it
    /// into another range. <see cref="TableGaloisKernel"/> is the portable one; the hub plugs in a
    /// vectorised kernel (same results, many bytes per instruction).
    /// </summary>
    public interface IGaloisKernel
    {
        /// <summary>
        /// For i in [0, count): destination[destinationOffset + i] = (accumulate ? destination[...] : 0)
        /// XOR coefficient × source[sourceOffset + i]. Ranges may be in the same array but must not overlap.
        /// </summary>
        void MultiplyAdd(byte coefficient, byte[] source, int sourceOffset, byte[] destination, int destinationOffset, int count, bool accumulate);
    }
}
