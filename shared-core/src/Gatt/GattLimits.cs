namespace AetherEdge.Core.Gatt
{
    /// <summary>Every size, count and timeout of the GATT transfer protocol.</summary>
    public static class GattLimits
    {
        /// <summary>Smallest ATT MTU every BLE link supports (Core spec default).</summary>
        public const int MinAttMtu = 23;

        /// <summary>Largest ATT MTU (512-byte attribute value + 5).</summary>
        public const int MaxAttMtu = 517;

        /// <summary>ATT write/notify header (opcode + handle): payload = MTU − 3.</summary>
        public const int AttHeaderBytes = 3;

        /// <summary>iOS never negotiates an ATT MTU above this.</summary>
        public const int IosMaxAttMtu = 185;

        /// <summary>MTU needed to carry a seed-style 512-byte chunk in one write.</summary>
        public const int MtuFor512ByteChunks = 515;

        /// <summary>Header of every data fragment: flags, transfer id, sequence (2).</summary>
        public const int DataHeaderBytes = 4;

        /// <summary>Extra header of the first fragment: total length (4), CRC-32 (4), chunk size (2).</summary>
        public const int FirstHeaderExtraBytes = 10;

        /// <summary>Header of an ack frame before its bitmap: flags, transfer id, next expected (2), bitmap length.</summary>
        public const int AckHeaderBytes = 5;

        /// <summary>Longest ack bitmap (256 fragments past the cumulative point).</summary>
        public const int MaxAckBitmapBytes = 32;

        /// <summary>Length of a fail frame: flags, transfer id, reason.</summary>
        public const int FailFrameBytes = 3;

        /// <summary>Largest transfer (one routed packet: header + shard payload).</summary>
        public const int MaxTransferBytes = 65536;

        /// <summary>
        /// Most fragments per transfer: MaxTransferBytes at the minimum MTU (6 bytes in fragment 0,
        /// then 16 per fragment: 1 + 65530/16 rounded up). Sequence numbers are 16-bit.
        /// </summary>
        public const int MaxFragments = 4097;

        /// <summary>Default number of transfers a sender or receiver holds at once (fixed pool slots).</summary>
        public const int DefaultConcurrentTransfers = 2;

        /// <summary>Hard cap on pool slots (transfer ids are 8-bit; keep memory bounded on ESP32).</summary>
        public const int MaxConcurrentTransfers = 8;

        /// <summary>Seed: each fragment is tried 3 more times, then the transfer fails.</summary>
        public const int MaxRetriesPerFragment = 3;

        /// <summary>Fragments sent before the sender asks for an ack.</summary>
        public const int WindowFragments = 32;

        /// <summary>Sender waits this long for an ack before repeating the ack-requesting fragment.</summary>
        public const long AckTimeoutMilliseconds = 300;

        /// <summary>
        /// A receiver with no free slot answers NoFreeSlot; the sender restarts the transfer after this
        /// many milliseconds times the attempt number, at most <see cref="MaxRetriesPerFragment"/> times.
        /// </summary>
        public const long BusyBackoffMilliseconds = 100;

        /// <summary>A receiver drops a transfer that made no progress for this long.</summary>
        public const long ReceiverIdleTimeoutMilliseconds = 10000;

        /// <summary>A completed receive slot keeps answering repeated fragments for this long.</summary>
        public const long CompletedLingerMilliseconds = 2000;

        /// <summary>ATT payload for a negotiated MTU (MTU − 3), after checking the MTU range.</summary>
        public static int AttPayloadForMtu(int mtu)
        {
            if (mtu < MinAttMtu || mtu > MaxAttMtu)
            {
                throw new System.ArgumentOutOfRangeException("mtu", "ATT MTU must be " + MinAttMtu + ".." + MaxAttMtu);
            }

            return mtu - AttHeaderBytes;
        }
    }
}
