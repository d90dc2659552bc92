namespace AetherEdge.Core.Mdns
{
    /// <summary>
    /// Bounds unicast replies (legacy §6.7 and QU §5.4), which, unlike multicast answers, §6's
    /// once-per-second rule does not cover: a reply is several times the size of the query that drew
    /// it, so an unbounded responder amplifies a flood (11 MB of legacy queries drew 58.9 MB). Each
    /// source address gets a small bucket (<see cref="MdnsLimits.UnicastReplyBurst"/> replies, one more
    /// per <see cref="MdnsLimits.UnicastReplyIntervalMs"/>), and all sources share one more bucket, so
    /// spoofing many addresses gains nothing. At most <see cref="MdnsLimits.MaxUnicastSources"/> sources
    /// are remembered (the least recently seen is forgotten), so the state is fixed however many
    /// addresses an attacker forges.
    /// </summary>
    public sealed class MdnsReplyLimiter
    {
        private static readonly object s_unknown = new object();
        private readonly object?[] _sources = new object?[MdnsLimits.MaxUnicastSources];
        private readonly long[] _credit = new long[MdnsLimits.MaxUnicastSources];
        private readonly long[] _seenMs = new long[MdnsLimits.MaxUnicastSources];
        // Credit in millionths of a reply, so both refill rates are whole numbers per millisecond.
        private const long Reply = 1000000;
        private const long SourceEarnPerMs = Reply / MdnsLimits.UnicastReplyIntervalMs;
        private const long GlobalEarnPerMs = Reply * MdnsLimits.UnicastRepliesPerSecond / 1000;
        private long _globalCredit = MdnsLimits.UnicastRepliesPerSecond * Reply;
        private long _globalMs = long.MinValue;

        /// <summary>Unicast replies allowed so far.</summary>
        public long Allowed { get; private set; }

        /// <summary>Unicast replies refused by either bucket (counted, never sent).</summary>
        public long Dropped { get; private set; }

        /// <summary>Takes one reply for <paramref name="source"/> at <paramref name="nowMs"/>; false means drop it.</summary>
        public bool TryTake(object? source, long nowMs)
        {
            int slot = Find(source, nowMs);
            long perSource = Refill(_credit[slot], (nowMs - _seenMs[slot]) * SourceEarnPerMs, MdnsLimits.UnicastReplyBurst * Reply);
            _seenMs[slot] = nowMs;
            _credit[slot] = perSource;
            if (_globalMs != long.MinValue)
            {
                _globalCredit = Refill(_globalCredit, (nowMs - _globalMs) * GlobalEarnPerMs, MdnsLimits.UnicastRepliesPerSecond * Reply);
            }

            _globalMs = nowMs;
            if (perSource < Reply || _globalCredit < Reply)
            {
                Dropped++;
                return false;
            }

            _credit[slot] = perSource - Reply;
            _globalCredit -= Reply;
            Allowed++;
            return true;
        }

        private static long Refill(long credit, long earned, long cap)
        {
            if (earned < 0)
            {
                earned = 0;
            }

            long sum = credit + earned;
            return sum > cap || sum < credit ? cap : sum;
        }

        /// <summary>The slot of <paramref name="source"/>; a new source takes a free or the least recently seen slot, with a full bucket.</summary>
        private int Find(object? source, long nowMs)
        {
            object key = source ?? s_unknown;
            int oldest = 0;
            for (int i = 0; i < _sources.Length; i++)
            {
                if (_sources[i] != null && _sources[i]!.Equals(key))
                {
                    return i;
                }

                if (_sources[i] == null || (_sources[oldest] != null && _seenMs[i] < _seenMs[oldest]))
                {
                    oldest = i;
                }
            }

            _sources[oldest] = key;
            _credit[oldest] = MdnsLimits.UnicastReplyBurst * Reply;
            _seenMs[oldest] = nowMs;
            return oldest;
        }
    }
}
