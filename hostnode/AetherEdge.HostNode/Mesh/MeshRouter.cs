using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Routing;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// The shared-core reliable router with one hub-side fact added: a neighbour with a link up is its own
    /// next hop, before any packet of it was heard (the shared-core layers only learn routes from traffic).
    /// </summary>
    public sealed class MeshRouter : ReliableRouter
    {
        private readonly Func<uint, bool> _isNeighbour;

        public MeshRouter(RouterConfig config, IMeshRadio radio, IRoutingListener listener, IRandomSource random, Func<uint, bool> isNeighbour)
            : base(config, radio, listener, random)
        {
            _isNeighbour = isNeighbour;
        }

        protected override uint NextHopFor(uint destination, long nowMs) =>
            _isNeighbour(destination) ? destination : base.NextHopFor(destination, nowMs);

        protected override uint RelayNextHop(PacketHeader header, uint fromNeighbour, long nowMs) =>
            header.Destination != RoutingLimits.Broadcast && header.Destination != fromNeighbour && _isNeighbour(header.Destination)
                ? header.Destination
                : base.RelayNextHop(header, fromNeighbour, nowMs);
    }
}
