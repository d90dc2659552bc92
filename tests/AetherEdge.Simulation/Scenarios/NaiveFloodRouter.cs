using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Routing;

namespace AetherEdge.Simulation.Scenarios
{
    /// <summary>
    /// Baseline: every node rebroadcasts every new packet once (dedup only, so floods end), after a
    /// small random jitter, whatever its link quality and whatever it overhears.
    /// </summary>
    public sealed class NaiveFloodRouter : DedupRouter
    {
        private readonly PacketHeader _relay = new();

        public NaiveFloodRouter(RouterConfig config, IMeshRadio radio, IRoutingListener listener, IRandomSource random)
            : base(config, radio, listener, random)
        {
        }

        protected override void SniffReceived(PacketHeader header, uint fromNeighbour, int linkQuality, byte[] buffer, int payloadOffset, long nowMs)
        {
            base.SniffReceived(header, fromNeighbour, linkQuality, buffer, payloadOffset, nowMs);
            if (header.Destination == NodeId || header.HopLimit == 0)
            {
                return;
            }

            _relay.CopyFrom(header);
            _relay.HopLimit--;
            _relay.NextHop = RoutingLimits.NoNode;
            Enqueue(_relay, buffer, payloadOffset, nowMs + Random.Next(RoutingLimits.RebroadcastJitterMilliseconds + 1), fromNeighbour, false);
        }
    }
}
