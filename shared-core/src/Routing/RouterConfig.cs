namespace AetherEdge.Core.Routing
{
    /// <summary>Per-node router settings; defaults are the named limits.</summary>
    public sealed class RouterConfig
    {
        /// <summary>Creates settings for node <paramref name="nodeId"/>.</summary>
        public RouterConfig(uint nodeId)
        {
            if (nodeId == RoutingLimits.NoNode || nodeId == RoutingLimits.Broadcast)
            {
                throw new System.ArgumentOutOfRangeException("nodeId");
            }

            NodeId = nodeId;
        }

        /// <summary>This node's address.</summary>
        public uint NodeId { get; }

        /// <summary>Hop limit for packets this node originates (clamped to <see cref="RoutingLimits.MaxHopLimit"/>).</summary>
        public int HopLimit = RoutingLimits.DefaultHopLimit;

        /// <summary>Transmit queue slots (each holds one packet of <see cref="MaxPacketBytes"/>).</summary>
        public int QueueSlots = RoutingLimits.DefaultQueueSlots;

        /// <summary>Largest packet this node sends or relays (sizes the preallocated queue).</summary>
        public int MaxPacketBytes = 1024;

        /// <summary>
        /// First packet id used after start. Firmware persists a high-water mark so a reboot does not
        /// reuse ids that neighbours' replay windows would reject.
        /// </summary>
        public uint FirstPacketId = 1;

        /// <summary>
        /// True on a shared medium where a node hears its neighbours' relays (advertising bearer, the
        /// simulated radio): the first hop's rebroadcast then counts as an implicit ack. False on
        /// point-to-point GATT links, where only the end-to-end ack counts.
        /// </summary>
        public bool OverhearsNeighbours = true;

        /// <summary>Reliable sends outstanding at once (each keeps a copy of <see cref="MaxPacketBytes"/>).</summary>
        public int PendingSlots = RoutingLimits.MaxPendingReliable;

        /// <summary>Copies heard (the first included) that cancel a waiting flood rebroadcast.</summary>
        public int SuppressionThreshold = RoutingLimits.DefaultSuppressionThreshold;

        /// <summary>Reliable sends retry after this long without an end-to-end ack.</summary>
        public long AckTimeoutMilliseconds = RoutingLimits.AckTimeoutMilliseconds;

        /// <summary>Decides whether this node relays a packet (battery rules); null relays everything.</summary>
        public IRelayPolicy? RelayPolicy;
    }
}
