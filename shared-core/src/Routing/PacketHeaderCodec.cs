namespace AetherEdge.Core.Routing
{
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Pure codec of the 20-byte routing header (README.md). <see cref="TryWrite"/> returns false when
    /// the buffer is short; <see cref="Parse"/> throws <see cref="ProtocolViolationException"/>.
    /// </summary>
    public static class PacketHeaderCodec
    {
        /// <summary>Flag: want end-to-end ack.</summary>
        public const int FlagWantAck = 0x01;

        /// <summary>Flag: this is an ack.</summary>
        public const int FlagIsAck = 0x02;

        /// <summary>Flag: bulk data.</summary>
        public const int FlagBulk = 0x04;

        private const int KnownFlags = FlagWantAck | FlagIsAck | FlagBulk;

        /// <summary>Writes <paramref name="header"/> at <paramref name="offset"/>.</summary>
        public static bool TryWrite(PacketHeader header, byte[] destination, int offset, out int written)
        {
            written = 0;
            if (destination.Length - offset < RoutingLimits.HeaderBytes)
            {
                return false;
            }

            int flags = (header.WantAck ? FlagWantAck : 0) | (header.IsAck ? FlagIsAck : 0) | (header.Bulk ? FlagBulk : 0);
            destination[offset] = (byte)((RoutingLimits.Version << 4) | flags);
            destination[offset + 1] = (byte)((header.HopLimit & 0x07) | ((header.HopStart & 0x07) << 3));
            NetworkOrder.WriteUInt32(destination, offset + 2, header.Source);
            NetworkOrder.WriteUInt32(destination, offset + 6, header.Destination);
            NetworkOrder.WriteUInt32(destination, offset + 10, header.PacketId);
            NetworkOrder.WriteUInt32(destination, offset + 14, header.NextHop);
            NetworkOrder.WriteUInt16(destination, offset + 18, header.PayloadLength);
            written = RoutingLimits.HeaderBytes;
            return true;
        }

        /// <summary>
        /// Decodes the header of a packet of exactly <paramref name="length"/> bytes; the payload length
        /// must account for every byte after the header.
        /// </summary>
        public static void Parse(byte[] buffer, int offset, int length, PacketHeader header)
        {
            if (length < RoutingLimits.HeaderBytes)
            {
                throw new ProtocolViolationException("routing header: " + length + " bytes, need " + RoutingLimits.HeaderBytes);
            }

            int first = buffer[offset];
            int version = first >> 4;
            if (version != RoutingLimits.Version)
            {
                throw new ProtocolViolationException("routing header: version " + version + ", expected " + RoutingLimits.Version);
            }

            if ((first & ~KnownFlags & 0x0F) != 0)
            {
                throw new ProtocolViolationException("routing header: reserved flag bits set (0x" + first.ToString("X2") + ")");
            }

            int hops = buffer[offset + 1];
            if ((hops & 0xC0) != 0)
            {
                throw new ProtocolViolationException("routing header: reserved hop bits set (0x" + hops.ToString("X2") + ")");
            }

            header.WantAck = (first & FlagWantAck) != 0;
            header.IsAck = (first & FlagIsAck) != 0;
            header.Bulk = (first & FlagBulk) != 0;
            header.HopLimit = hops & 0x07;
            header.HopStart = (hops >> 3) & 0x07;
            if (header.HopLimit > header.HopStart)
            {
                throw new ProtocolViolationException("routing header: hop limit " + header.HopLimit + " above hop start " + header.HopStart);
            }

            header.Source = NetworkOrder.ReadUInt32(buffer, offset + 2);
            header.Destination = NetworkOrder.ReadUInt32(buffer, offset + 6);
            header.PacketId = NetworkOrder.ReadUInt32(buffer, offset + 10);
            header.NextHop = NetworkOrder.ReadUInt32(buffer, offset + 14);
            header.PayloadLength = NetworkOrder.ReadUInt16(buffer, offset + 18);
            if (header.Source == RoutingLimits.NoNode || header.Source == RoutingLimits.Broadcast)
            {
                throw new ProtocolViolationException("routing header: invalid source 0x" + header.Source.ToString("X8"));
            }

            if (header.Destination == RoutingLimits.NoNode)
            {
                throw new ProtocolViolationException("routing header: destination 0 (no node)");
            }

            if (header.NextHop == RoutingLimits.Broadcast)
            {
                throw new ProtocolViolationException("routing header: next hop cannot be the broadcast address");
            }

            if (header.PayloadLength != length - RoutingLimits.HeaderBytes)
            {
                throw new ProtocolViolationException("routing header: payload length " + header.PayloadLength + " but " + (length - RoutingLimits.HeaderBytes) + " bytes follow");
            }

            if (header.IsAck && header.PayloadLength != RoutingLimits.AckPayloadBytes)
            {
                throw new ProtocolViolationException("routing header: ack with " + header.PayloadLength + "-byte payload, expected " + RoutingLimits.AckPayloadBytes);
            }
        }
    }
}
