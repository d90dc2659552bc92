namespace AetherEdge.Core.Routing
{
    /// <summary>
    /// Duplicate and replay protection: per source, the newest packet id and a 64-bit window of the ids
    /// behind it (RFC 6479-style, serial-number arithmetic on 32-bit ids). A bounded ring of sources;
    /// the least recently heard source is evicted, and sources silent for
    /// <see cref="RoutingLimits.DedupLifetimeMilliseconds"/> start afresh. Fixed arrays, no allocation.
    /// </summary>
    public sealed class DedupCache
    {
        private readonly uint[] _sources;
        private readonly uint[] _newest;
        private readonly ulong[] _window;
        private readonly long[] _lastSeen;
        private readonly bool[] _used;

        /// <summary>Creates a cache for <paramref name="capacity"/> sources.</summary>
        public DedupCache(int capacity)
        {
            if (capacity < 1)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            _sources = new uint[capacity];
            _newest = new uint[capacity];
            _window = new ulong[capacity];
            _lastSeen = new long[capacity];
            _used = new bool[capacity];
        }

        /// <summary>Sources evicted to make room.</summary>
        public long Evictions { get; private set; }

        /// <summary>Checks (<paramref name="source"/>, <paramref name="packetId"/>) and records it when new.</summary>
        public DedupVerdict CheckAndMark(uint source, uint packetId, long nowMs)
        {
            int slot = FindOrClaim(source, nowMs);
            _lastSeen[slot] = nowMs;
            if (!_used[slot])
            {
                _used[slot] = true;
                _sources[slot] = source;
                _newest[slot] = packetId;
                _window[slot] = 1;
                return DedupVerdict.New;
            }

            int ahead = (int)(packetId - _newest[slot]);
            if (ahead > 0)
            {
                _window[slot] = ahead >= RoutingLimits.ReplayWindow ? 1UL : (_window[slot] << ahead) | 1UL;
                _newest[slot] = packetId;
                return DedupVerdict.New;
            }

            if (ahead == int.MinValue || -ahead >= RoutingLimits.ReplayWindow)
            {
                return DedupVerdict.Stale;
            }

            ulong bit = 1UL << -ahead;
            if ((_window[slot] & bit) != 0)
            {
                return DedupVerdict.Duplicate;
            }

            _window[slot] |= bit;
            return DedupVerdict.New;
        }

        private int FindOrClaim(uint source, long nowMs)
        {
            int oldest = 0;
            int free = -1;
            for (int i = 0; i < _sources.Length; i++)
            {
                if (_used[i] && nowMs - _lastSeen[i] >= RoutingLimits.DedupLifetimeMilliseconds)
                {
                    _used[i] = false;
                }

                if (_used[i] && _sources[i] == source)
                {
                    return i;
                }

                if (!_used[i])
                {
                    if (free < 0)
                    {
                        free = i;
                    }
                }
                else if (_lastSeen[i] < _lastSeen[oldest] || !_used[oldest])
                {
                    oldest = i;
                }
            }

            if (free >= 0)
            {
                return free;
            }

            Evictions++;
            _used[oldest] = false;
            return oldest;
        }
    }
}
