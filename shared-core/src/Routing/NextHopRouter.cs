namespace AetherEdge.Core.Routing
{
    using AetherEdge.Core.Abstractions;

    /// <summary>
    /// Layer 3: next-hop learning. Every packet teaches which neighbour leads back to its source.
    /// Packets to a known destination carry that neighbour as next hop; only the named neighbour relays
    /// a directed copy (at once, no flood delay), others just listen. Unknown destinations, broadcasts
    /// and directed copies whose relay has no route fall back to managed flooding.
    /// </summary>
    public class NextHopRouter : FloodingRouter
    {
        private readonly NextHopTable _routes = new NextHopTable(RoutingLimits.NextHopEntries);

        /// <summary>Creates the router.</summary>
        public NextHopRouter(RouterConfig config, IMeshRadio radio, IRoutingListener listener, IRandomSource random)
            : base(config, radio, listener, random)
        {
        }

        /// <summary>Directed copies this node ignored because another neighbour was named.</summary>
        public long NotMyHop { get; private set; }

        /// <summary>The learned neighbour towards <paramref name="destination"/>, or NoNode.</summary>
        public uint RouteTo(uint destination, long nowMs)
        {
            return _routes.Lookup(destination, nowMs);
        }

        /// <summary>Drops the learned route so the next packet floods.</summary>
        public void ForgetRoute(uint destination)
        {
            _routes.Forget(destination);
        }

        /// <inheritdoc/>
        protected override void SniffReceived(PacketHeader header, uint fromNeighbour, int linkQuality, byte[] buffer, int payloadOffset, long nowMs)
        {
            if (fromNeighbour != RoutingLimits.NoNode && fromNeighbour != RoutingLimits.Broadcast)
            {
                _routes.Learn(header.Source, fromNeighbour, header.HopsTaken, nowMs);
            }

            base.SniffReceived(header, fromNeighbour, linkQuality, buffer, payloadOffset, nowMs);
        }

        /// <inheritdoc/>
        protected override bool ShouldRelay(PacketHeader header)
        {
            if (header.NextHop != RoutingLimits.NoNode && header.NextHop != NodeId)
            {
                NotMyHop++;
                return false;
            }

            return base.ShouldRelay(header);
        }

        /// <inheritdoc/>
        protected override uint RelayNextHop(PacketHeader header, uint fromNeighbour, long nowMs)
        {
            if (header.Destination == RoutingLimits.Broadcast)
            {
                return RoutingLimits.NoNode;
            }

            uint next = _routes.Lookup(header.Destination, nowMs);
            return next == fromNeighbour ? RoutingLimits.NoNode : next;
        }

        /// <inheritdoc/>
        protected override uint NextHopFor(uint destination, long nowMs)
        {
            return _routes.Lookup(destination, nowMs);
        }
    }
}
