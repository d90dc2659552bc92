namespace AetherEdge.Core.Routing
{
    using AetherEdge.Core.Abstractions;

    /// <summary>
    /// Layer 1: drops duplicates and replays through the per-source sliding window
    /// (<see cref="DedupCache"/>), and shows every dropped copy to <see cref="OnDuplicate"/> so the
    /// layers above can use overheard rebroadcasts (flood suppression, implicit acks).
    /// </summary>
    public class DedupRouter : Router
    {
        private readonly DedupCache _seen = new DedupCache(RoutingLimits.DedupSources);

        /// <summary>Creates the router.</summary>
        public DedupRouter(RouterConfig config, IMeshRadio radio, IRoutingListener listener, IRandomSource random)
            : base(config, radio, listener, random)
        {
        }

        /// <summary>Copies dropped as already seen (including echoes of own packets).</summary>
        public long Duplicates { get; private set; }

        /// <summary>Copies dropped as older than the replay window.</summary>
        public long Replays { get; private set; }

        /// <inheritdoc/>
        protected override bool ShouldFilterReceived(PacketHeader header, uint fromNeighbour, long nowMs)
        {
            if (header.Source == NodeId)
            {
                Duplicates++;
                OnDuplicate(header, fromNeighbour, nowMs);
                return true;
            }

            DedupVerdict verdict = _seen.CheckAndMark(header.Source, header.PacketId, nowMs);
            if (verdict == DedupVerdict.Duplicate)
            {
                Duplicates++;
                OnDuplicate(header, fromNeighbour, nowMs);
                return true;
            }

            if (verdict == DedupVerdict.Stale)
            {
                Replays++;
                return true;
            }

            return base.ShouldFilterReceived(header, fromNeighbour, nowMs);
        }

        /// <summary>A copy of an already-seen packet was overheard. Base: nothing.</summary>
        protected virtual void OnDuplicate(PacketHeader header, uint fromNeighbour, long nowMs)
        {
        }
    }
}
