namespace AetherEdge.Core.Routing
{
    /// <summary>
    /// Learned routes: for each source, the neighbour its packets arrived from with the fewest relays.
    /// Fixed arrays; the least recently refreshed entry is replaced when full; entries expire after
    /// <see cref="RoutingLimits.NextHopLifetimeMilliseconds"/>.
    /// </summary>
    public sealed class NextHopTable
    {
        private readonly uint[] _destinations;
        private readonly uint[] _neighbours;
        private readonly int[] _hops;
        private readonly long[] _refreshed;
        private readonly bool[] _used;

        /// <summary>Creates a table of <paramref name="capacity"/> routes.</summary>
        public NextHopTable(int capacity)
        {
            _destinations = new uint[capacity];
            _neighbours = new uint[capacity];
            _hops = new int[capacity];
            _refreshed = new long[capacity];
            _used = new bool[capacity];
        }

        /// <summary>
        /// Records that a packet from <paramref name="destination"/> came through <paramref name="neighbour"/>
        /// after <paramref name="hops"/> relays. Keeps the current route unless the new one is no longer,
        /// comes through the same neighbour, or the current one expired.
        /// </summary>
        public void Learn(uint destination, uint neighbour, int hops, long nowMs)
        {
            int slot = Find(destination, nowMs);
            if (slot >= 0)
            {
                if (_neighbours[slot] == neighbour || hops <= _hops[slot])
                {
                    _neighbours[slot] = neighbour;
                    _hops[slot] = hops;
                    _refreshed[slot] = nowMs;
                }

                return;
            }

            int victim = 0;
            for (int i = 0; i < _used.Length; i++)
            {
                if (!_used[i])
                {
                    victim = i;
                    break;
                }

                if (_refreshed[i] < _refreshed[victim])
                {
                    victim = i;
                }
            }

            _used[victim] = true;
            _destinations[victim] = destination;
            _neighbours[victim] = neighbour;
            _hops[victim] = hops;
            _refreshed[victim] = nowMs;
        }

        /// <summary>The neighbour towards <paramref name="destination"/>, or <see cref="RoutingLimits.NoNode"/>.</summary>
        public uint Lookup(uint destination, long nowMs)
        {
            int slot = Find(destination, nowMs);
            return slot < 0 ? RoutingLimits.NoNode : _neighbours[slot];
        }

        /// <summary>Forgets the route to <paramref name="destination"/> (after a failed delivery).</summary>
        public void Forget(uint destination)
        {
            for (int i = 0; i < _used.Length; i++)
            {
                if (_used[i] && _destinations[i] == destination)
                {
                    _used[i] = false;
                }
            }
        }

        private int Find(uint destination, long nowMs)
        {
            for (int i = 0; i < _used.Length; i++)
            {
                if (_used[i] && _destinations[i] == destination)
                {
                    if (nowMs - _refreshed[i] >= RoutingLimits.NextHopLifetimeMilliseconds)
                    {
                        _used[i] = false;
                        return -1;
                    }

                    return i;
                }
            }

            return -1;
        }
    }
}
