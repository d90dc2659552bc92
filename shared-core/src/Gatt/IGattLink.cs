namespace AetherEdge.Core.Gatt
{
    /// <summary>
    /// One BLE connection as the transfer protocol sees it: bytes out, one ATT value per write.
    /// Implementations: the nanoFramework GATT server adapter, the hub's BlueZ client, the simulated radio.
    /// </summary>
    public interface IGattLink
    {
        /// <summary>Largest value one write or notification can carry: negotiated ATT MTU − 3.</summary>
        int MaxWriteLength { get; }

        /// <summary>
        /// Queues one frame. Must copy the bytes before returning (the caller reuses its buffer).
        /// Returns false when the link cannot take a frame now (flow control); the caller retries on a later step.
        /// </summary>
        bool TryWrite(byte[] buffer, int offset, int length);
    }
}
