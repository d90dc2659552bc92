namespace AetherEdge.Core.Gatt
{
    /// <summary>Why a transfer failed; carried in fail frames and reported to listeners.</summary>
    public enum GattFailReason
    {
        /// <summary>No failure.</summary>
        None = 0,

        /// <summary>A fragment was retried <see cref="GattLimits.MaxRetriesPerFragment"/> times without an ack.</summary>
        RetriesExhausted = 1,

        /// <summary>The receiver has no free reassembly slot.</summary>
        NoFreeSlot = 2,

        /// <summary>The announced length exceeds the receiver's transfer limit.</summary>
        TooLarge = 3,

        /// <summary>The reassembled bytes do not match the announced CRC-32.</summary>
        CrcMismatch = 4,

        /// <summary>A fragment referred to a transfer the receiver does not know.</summary>
        UnknownTransfer = 5,

        /// <summary>The peer sent a malformed frame for this transfer.</summary>
        BadFrame = 6,

        /// <summary>No progress for <see cref="GattLimits.ReceiverIdleTimeoutMilliseconds"/>.</summary>
        Timeout = 7,

        /// <summary>The local side cancelled (link lost, shutdown).</summary>
        Cancelled = 8,
    }
}
