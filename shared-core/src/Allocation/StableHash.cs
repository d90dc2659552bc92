namespace AetherEdge.Core.Allocation
{
    /// <summary>
    /// Platform-independent 64-bit hashing (FNV-1a + SplitMix64 finaliser). string.GetHashCode is
    /// randomised per process on .NET and differs on nanoFramework; every node must agree on placement.
    /// </summary>
    public static class StableHash
    {
        private const ulong FnvOffset = 14695981039346656037UL;
        private const ulong FnvPrime = 1099511628211UL;

        /// <summary>Hash of a string's UTF-16 code units.</summary>
        public static ulong Of(string text)
        {
            ulong h = FnvOffset;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                h = (h ^ (byte)(c & 0xFF)) * FnvPrime;
                h = (h ^ (byte)(c >> 8)) * FnvPrime;
            }

            return Mix(h);
        }

        /// <summary>SplitMix64 finaliser: spreads every input bit over the output.</summary>
        public static ulong Mix(ulong x)
        {
            x ^= x >> 30;
            x *= 0xBF58476D1CE4E5B9UL;
            x ^= x >> 27;
            x *= 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return x;
        }

        /// <summary>Hash of a (device, shard) pair.</summary>
        public static ulong Pair(ulong deviceHash, int shard)
        {
            return Mix(deviceHash ^ ((ulong)(uint)shard * 0x9E3779B97F4A7C15UL));
        }

        /// <summary>Maps a hash to a double in (0, 1].</summary>
        public static double Unit(ulong hash)
        {
            return ((hash >> 11) + 1) * (1.0 / 9007199254740992.0);
        }
    }
}
