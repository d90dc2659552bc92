using System;

namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// Routed: one mesh packet (the 20-byte routing header and its payload, <c>Routing/README.md</c>) carried
    /// between two neighbours over an authenticated link. The frame header's timestamp and nonce are the
    /// link's replay defence like any frame's; the packet's own ids are the router's.
    /// </summary>
    public sealed class RoutedFrame : SyncFrame
    {
        /// <summary>Creates a frame referring to <paramref name="packet"/> (not copied).</summary>
        public RoutedFrame(byte[] packet, int offset, int length)
            : base(SyncFrameType.Routed)
        {
            if (length < Routing.RoutingLimits.HeaderBytes || length > Routing.RoutingLimits.MaxPacketBytes || offset < 0 || offset + length > packet.Length)
            {
                throw new ArgumentException("a routed packet is " + Routing.RoutingLimits.HeaderBytes + ".." + Routing.RoutingLimits.MaxPacketBytes + " bytes inside its buffer");
            }

            Packet = packet;
            PacketOffset = offset;
            PacketLength = length;
        }

        /// <summary>Buffer holding the packet.</summary>
        public byte[] Packet { get; }

        /// <summary>Start of the packet in <see cref="Packet"/>.</summary>
        public int PacketOffset { get; }

        /// <summary>Packet length.</summary>
        public int PacketLength { get; }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return PacketLength; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            Array.Copy(Packet, PacketOffset, b, o, PacketLength);
        }
    }
}
