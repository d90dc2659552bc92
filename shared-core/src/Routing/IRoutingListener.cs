namespace AetherEdge.Core.Routing
{
    /// <summary>What the router reports to the node's application, synchronously.</summary>
    public interface IRoutingListener
    {
        /// <summary>
        /// A packet for this node (or a broadcast) arrived. The payload is lent for the duration of the
        /// call. An end-to-end retransmission can deliver the same payload twice under a new packet id:
        /// the application stores shards idempotently by their SHA-256 content id.
        /// </summary>
        void OnDelivered(PacketHeader header, byte[] buffer, int payloadOffset, int payloadLength);

        /// <summary>The destination acknowledged packet <paramref name="packetId"/> (or, for a broadcast, a neighbour relayed it).</summary>
        void OnDeliveryConfirmed(uint packetId);

        /// <summary>Packet <paramref name="packetId"/> was not acknowledged after every retransmission.</summary>
        void OnDeliveryFailed(uint packetId);
    }
}
