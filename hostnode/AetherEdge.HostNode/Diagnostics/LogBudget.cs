namespace AetherEdge.HostNode.Diagnostics
{
    /// <summary>
    /// Bounds how often one kind of log line is written, so input an outsider controls (announcements,
    /// connections) cannot flood the log: a token bucket per kind, <c>linesPerMinute</c> lines a minute
    /// with bursts of the same size. Lines withheld are counted and the next line written says how many.
    /// Kinds are the caller's fixed words (never text from the network); beyond <see cref="MaxKinds"/>
    /// kinds all share one bucket. Thread-safe.
    /// </summary>
    public sealed class LogBudget
    {
        public const int MaxKinds = 64;
        private const string Overflow = "\u0000other";

        private readonly int _perMinute;
        private readonly TimeProvider _clock;
        private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

        public LogBudget(int linesPerMinute, TimeProvider? clock = null)
        {
            _perMinute = Math.Max(1, linesPerMinute);
            _clock = clock ?? TimeProvider.System;
        }

        /// <summary>True when a line of <paramref name="kind"/> may be written now; <paramref name="suppressed"/> = lines withheld since the last one written.</summary>
        public bool TryTake(string kind, out long suppressed)
        {
            long now = _clock.GetTimestamp();
            lock (_buckets)
            {
                if (!_buckets.TryGetValue(kind, out var b))
                {
                    if (_buckets.Count >= MaxKinds)
                    {
                        kind = Overflow;
                    }

                    if (!_buckets.TryGetValue(kind, out b))
                    {
                        b = new Bucket { Tokens = _perMinute, Stamp = now };
                        _buckets[kind] = b;
                    }
                }

                double minutes = (double)(now - b.Stamp) / _clock.TimestampFrequency / 60.0;
                b.Tokens = Math.Min(_perMinute, b.Tokens + (minutes * _perMinute));
                b.Stamp = now;
                if (b.Tokens < 1)
                {
                    b.Suppressed++;
                    suppressed = 0;
                    return false;
                }

                b.Tokens -= 1;
                suppressed = b.Suppressed;
                b.Suppressed = 0;
                return true;
            }
        }

        /// <summary>" (N similar lines withheld)" or empty, for the end of a line.</summary>
        public static string Withheld(long suppressed) =>
            suppressed == 0 ? string.Empty : " (" + suppressed + " similar lines withheld)";

        private sealed class Bucket
        {
            public double Tokens;
            public long Stamp;
            public long Suppressed;
        }
    }
}
