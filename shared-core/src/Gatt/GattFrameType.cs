namespace AetherEdge.Core.Gatt
{
    /// <summary>Kind of a transfer frame (low two bits of its first byte).</summary>
    public enum GattFrameType
    {
        /// <summary>A fragment of a transfer (sender → receiver).</summary>
        Data = 0,

        /// <summary>Cumulative + selective acknowledgement (receiver → sender).</summary>
        Ack = 1,

        /// <summary>Abort of a transfer with a reason (either direction).</summary>
        Fail = 2,
    }
}
