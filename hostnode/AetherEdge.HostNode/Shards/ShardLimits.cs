namespace AetherEdge.HostNode.Shards
{
    /// <summary>Sizes and bounds of the shard pipeline (format in Shards/README.md).</summary>
    public static class ShardLimits
    {
        /// <summary>Default plaintext segment: 4 MiB keeps the stripe buffer near 6 MiB at k=10, n=15.</summary>
        public const int DefaultSegmentBytes = 4 << 20;

        /// <summary>Smallest segment (tests use small ones to get many stripes cheaply).</summary>
        public const int MinSegmentBytes = 1024;

        /// <summary>Largest segment: bounds the memory a manifest can make a reader allocate (n/k × this).</summary>
        public const int MaxSegmentBytes = 64 << 20;

        /// <summary>AES-256 key size.</summary>
        public const int KeyBytes = 32;

        /// <summary>AES-GCM nonce size.</summary>
        public const int NonceBytes = 12;

        /// <summary>AES-GCM tag size, appended to every encrypted segment.</summary>
        public const int TagBytes = 16;

        /// <summary>Random file id size (hex: 32 characters).</summary>
        public const int FileIdBytes = 16;

        /// <summary>Wrapped file key: nonce, encrypted key, tag.</summary>
        public const int WrappedKeyBytes = NonceBytes + KeyBytes + TagBytes;

        /// <summary>Longest recorded relative path (UTF-8 bytes), as Linux's PATH_MAX.</summary>
        public const int MaxPathBytes = 4096;

        /// <summary>SHA-256 size (shard ids and HMAC).</summary>
        public const int HashBytes = 32;
    }
}
