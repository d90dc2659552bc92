namespace AetherEdge.HostNode.Mesh
{
    /// <summary>Settings of the shard sender (the hub's defaults; tests shrink them).</summary>
    public sealed record MeshShardSenderOptions
    {
        /// <summary>Shard bytes held for sending and relaying at once (the relay cache); a job over it is refused.</summary>
        public long CacheBytes { get; init; } = 16L << 20;

        /// <summary>Data bytes per piece: a piece plus headers stays under the 8 KiB a beacon relays.</summary>
        public int PieceBytes { get; init; } = 4096;

        /// <summary>Reliable packets of shard data outstanding at once (the router has 8 pending slots for everyone).</summary>
        public int MaxInFlight { get; init; } = 4;

        /// <summary>Transfers interleaved at once.</summary>
        public int MaxActive { get; init; } = 2;

        /// <summary>Router failures (each after its own retransmissions) a piece may take before the transfer fails.</summary>
        public int MaxPieceFailures { get; init; } = 2;

        /// <summary>A failed (device, shard) is not taken again before this long; its confirmed pieces are kept for the retry.</summary>
        public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(30);

        /// <summary>How long after its last packet was acknowledged a shard waits for the receiver's receipt.</summary>
        public TimeSpan ReceiptWait { get; init; } = TimeSpan.FromSeconds(20);

        /// <summary>Receipts waiting to be sent (any more are dropped, counted: their senders time out and retry).</summary>
        public int MaxReceipts { get; init; } = 256;

        /// <summary>First wait after a receiver had no room to put a shard together (doubles per try).</summary>
        public TimeSpan NoRoomBackoff { get; init; } = TimeSpan.FromSeconds(5);

        /// <summary>Tries after a `no_room` receipt before the transfer fails as `no_room` (5 + 10 + 20 + 40 s at the default).</summary>
        public int NoRoomRetries { get; init; } = 4;
    }
}
