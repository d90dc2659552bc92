namespace AetherEdge.Core.Routing
{
    /// <summary>One decoded packet header; a reusable, mutable value filled by <see cref="PacketHeaderCodec"/>.</summary>
    public sealed class PacketHeader
    {
        /// <summary>The destination should send an end-to-end ack.</summary>
        public bool WantAck;

        /// <summary>This packet is an end-to-end ack; its payload is the acknowledged packet id.</summary>
        public bool IsAck;

        /// <summary>Bulk data (shards). A beacon low on battery stops relaying bulk packets but keeps control traffic.</summary>
        public bool Bulk;

        /// <summary>Relays left (0..7); decremented by each relay.</summary>
        public int HopLimit;

        /// <summary>The originator's hop limit; <c>HopStart − HopLimit</c> = relays so far.</summary>
        public int HopStart;

        /// <summary>Originating node.</summary>
        public uint Source;

        /// <summary>Final destination or <see cref="RoutingLimits.Broadcast"/>.</summary>
        public uint Destination;

        /// <summary>Per-source packet id (sequential; replay-checked by a sliding window).</summary>
        public uint PacketId;

        /// <summary>The neighbour that should relay this copy, or <see cref="RoutingLimits.NoNode"/> for a flood.</summary>
        public uint NextHop;

        /// <summary>Payload bytes after the header.</summary>
        public int PayloadLength;

        /// <summary>Relays this copy has passed through.</summary>
        public int HopsTaken
        {
            get { return HopStart - HopLimit; }
        }

        /// <summary>Copies every field from <paramref name="other"/>.</summary>
        public void CopyFrom(PacketHeader other)
        {
            WantAck = other.WantAck;
            IsAck = other.IsAck;
            Bulk = other.Bulk;
            HopLimit = other.HopLimit;
            HopStart = other.HopStart;
            Source = other.Source;
            Destination = other.Destination;
            PacketId = other.PacketId;
            NextHop = other.NextHop;
            PayloadLength = other.PayloadLength;
        }
    }
}
