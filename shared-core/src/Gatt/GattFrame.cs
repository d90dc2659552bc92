namespace AetherEdge.Core.Gatt
{
    /// <summary>
    /// One decoded transfer frame. A reusable, mutable view: <see cref="GattFrameCodec.Parse"/> fills it
    /// without allocating, and payload/bitmap stay in the caller's buffer (offset + length).
    /// </summary>
    public sealed class GattFrame
    {
        /// <summary>Frame kind.</summary>
        public GattFrameType Type;

        /// <summary>Transfer id chosen by the sender (per direction of a link).</summary>
        public int TransferId;

        /// <summary>Data: this is fragment 0 and carries the transfer's length, CRC and chunk size.</summary>
        public bool First;

        /// <summary>Data: this is the highest-numbered fragment.</summary>
        public bool Last;

        /// <summary>Data: the receiver should answer with an ack now.</summary>
        public bool AckRequest;

        /// <summary>Data: fragment sequence number.</summary>
        public int Sequence;

        /// <summary>Data (first): total transfer length in bytes.</summary>
        public int TotalLength;

        /// <summary>Data (first): CRC-32 of the whole transfer.</summary>
        public uint Crc;

        /// <summary>Data (first): payload bytes of every fragment after the first (except the last).</summary>
        public int ChunkSize;

        /// <summary>Data: payload offset in the parsed buffer. Ack: bitmap offset.</summary>
        public int PayloadOffset;

        /// <summary>Data: payload length. Ack: bitmap length in bytes.</summary>
        public int PayloadLength;

        /// <summary>Ack: every fragment below this sequence number has arrived.</summary>
        public int NextExpected;

        /// <summary>Ack: the whole transfer arrived and its CRC matched.</summary>
        public bool Complete;

        /// <summary>Fail: sent by the peer's receiver, so it names a transfer this side is sending.</summary>
        public bool FromReceiver;

        /// <summary>Fail: the reason.</summary>
        public GattFailReason Reason;
    }
}
