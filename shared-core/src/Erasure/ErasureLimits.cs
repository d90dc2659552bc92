namespace AetherEdge.Core.Erasure
{
    /// <summary>Bounds and defaults of the Reed-Solomon code over GF(2^8).</summary>
    public static class ErasureLimits
    {
        /// <summary>GF(2^8) has 256 elements; a Cauchy code needs n distinct points, so n is at most 255 here (one spare).</summary>
        public const int MaxTotalShards = 255;

        /// <summary>At least one data shard.</summary>
        public const int MinDataShards = 1;

        /// <summary>At least one parity shard: a code without parity is just a split and protects nothing.</summary>
        public const int MinParityShards = 1;

        /// <summary>Default k: ten data shards, each a tenth of the file.</summary>
        public const int DefaultDataShards = 10;

        /// <summary>Default n - k: five parity shards, so any five of fifteen may be lost (50 % overhead).</summary>
        public const int DefaultParityShards = 5;

        /// <summary>Default n.</summary>
        public const int DefaultTotalShards = DefaultDataShards + DefaultParityShards;

        /// <summary>
        /// Null when k data and m parity shards form a valid code, otherwise a message naming the problem.
        /// </summary>
        public static string? ValidationError(int dataShards, int parityShards)
        {
            if (dataShards < MinDataShards)
            {
                return "data shards must be at least " + MinDataShards.ToString() + ", got " + dataShards.ToString();
            }

            if (parityShards < MinParityShards)
            {
                return "parity shards must be at least " + MinParityShards.ToString() + ", got " + parityShards.ToString();
            }

            if (dataShards + parityShards > MaxTotalShards)
            {
                return "data + parity shards must be at most " + MaxTotalShards.ToString() + ", got "
                    + dataShards.ToString() + " + " + parityShards.ToString();
            }

            return null;
        }
    }
}
