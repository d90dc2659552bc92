namespace AetherEdge.Core.Routing
{
    using AetherEdge.Core.Abstractions;

    /// <summary>
    /// Layer 2: managed flooding. A new packet not addressed only to this node is rebroadcast once with
    /// its hop limit decremented, after a delay that grows with link quality (near nodes wait, far
    /// nodes relay first) plus random jitter. Hearing enough other copies while waiting cancels ours
    /// (counter-based suppression: <see cref="RouterConfig.SuppressionThreshold"/> copies, the first
    /// included; Meshtastic cancels on the first overheard relay, which strands nodes behind a relay
    /// whose own neighbours relayed first). A packet that arrives with hop limit 0 is not relayed. The relay policy can veto relaying.
    /// </summary>
    public class FloodingRouter : DedupRouter
    {
        private readonly PacketHeader _relay = new PacketHeader();

        /// <summary>Creates the router.</summary>
        public FloodingRouter(RouterConfig config, IMeshRadio radio, IRoutingListener listener, IRandomSource random)
            : base(config, radio, listener, random)
        {
        }

        /// <summary>Rebroadcasts queued.</summary>
        public long RelaysQueued { get; private set; }

        /// <summary>Rebroadcasts cancelled because a neighbour relayed first.</summary>
        public long Suppressed { get; private set; }

        /// <summary>Packets not relayed because their hop limit was spent.</summary>
        public long HopLimitReached { get; private set; }

        /// <summary>Packets not relayed because the relay policy said no (e.g. low battery, bulk).</summary>
        public long PolicyDrops { get; private set; }

        /// <inheritdoc/>
        protected override void SniffReceived(PacketHeader header, uint fromNeighbour, int linkQuality, byte[] buffer, int payloadOffset, long nowMs)
        {
            base.SniffReceived(header, fromNeighbour, linkQuality, buffer, payloadOffset, nowMs);
            if (header.Destination == NodeId || !ShouldRelay(header))
            {
                return;
            }

            if (header.HopLimit == 0)
            {
                HopLimitReached++;
                return;
            }

            if (Config.RelayPolicy != null && !Config.RelayPolicy.MayRelay(header))
            {
                PolicyDrops++;
                return;
            }

            _relay.CopyFrom(header);
            _relay.HopLimit = header.HopLimit - 1;
            _relay.NextHop = RelayNextHop(header, fromNeighbour, nowMs);
            bool flood = _relay.NextHop == RoutingLimits.NoNode;
            long due = flood ? nowMs + RebroadcastDelay(linkQuality) : nowMs;
            if (Enqueue(_relay, buffer, payloadOffset, due, fromNeighbour, flood))
            {
                RelaysQueued++;
            }
        }

        /// <inheritdoc/>
        protected override void OnDuplicate(PacketHeader header, uint fromNeighbour, long nowMs)
        {
            base.OnDuplicate(header, fromNeighbour, nowMs);
            if (Queue.NoteDuplicate(header.Source, header.PacketId, Config.SuppressionThreshold))
            {
                Suppressed++;
            }
        }

        /// <summary>Whether this node is a relay candidate for the packet. Base: always (flood).</summary>
        protected virtual bool ShouldRelay(PacketHeader header)
        {
            return true;
        }

        /// <summary>Next hop for a relayed copy. Base: none (flood).</summary>
        protected virtual uint RelayNextHop(PacketHeader header, uint fromNeighbour, long nowMs)
        {
            return RoutingLimits.NoNode;
        }

        /// <summary>Delay before a flood rebroadcast for a packet heard at <paramref name="linkQuality"/>.</summary>
        protected long RebroadcastDelay(int linkQuality)
        {
            int q = linkQuality < 0 ? 0 : (linkQuality > RoutingLimits.MaxLinkQuality ? RoutingLimits.MaxLinkQuality : linkQuality);
            return RoutingLimits.RebroadcastMinDelayMilliseconds
                + (RoutingLimits.RebroadcastQualitySpanMilliseconds * q / RoutingLimits.MaxLinkQuality)
                + Random.Next(RoutingLimits.RebroadcastJitterMilliseconds + 1);
        }
    }
}
