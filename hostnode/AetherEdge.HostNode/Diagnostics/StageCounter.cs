using System.Diagnostics;

namespace AetherEdge.HostNode.Diagnostics
{
    /// <summary>
    /// Cumulative time, bytes and calls of one pipeline stage. Lock-free (Interlocked) and about
    /// 50 ns per call, so it can wrap every chunk; many threads may count at once. The counters
    /// themselves are declared next to the code that counts them (PutStages, StoreStages, SyncStages).
    /// </summary>
    public sealed class StageCounter
    {
        private long _ticks;
        private long _bytes;
        private long _calls;

        public StageCounter(string name)
        {
            Name = name;
        }

        /// <summary>"layer.stage", e.g. "put.encrypt".</summary>
        public string Name { get; }

        /// <summary>A timestamp to hand to <see cref="Stop"/>.</summary>
        public static long Start() => Stopwatch.GetTimestamp();

        /// <summary>Adds the time since <paramref name="started"/> and <paramref name="bytes"/> processed.</summary>
        public void Stop(long started, long bytes)
        {
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
            Interlocked.Add(ref _bytes, bytes);
            Interlocked.Increment(ref _calls);
        }

        public StageSample Sample() => new(
            Name,
            (double)Interlocked.Read(ref _ticks) / Stopwatch.Frequency,
            Interlocked.Read(ref _bytes),
            Interlocked.Read(ref _calls));
    }

    /// <summary>One stage's totals at one moment. Subtract two samples to get what happened between them.</summary>
    public readonly record struct StageSample(string Stage, double Seconds, long Bytes, long Calls)
    {
        public const double GiB = 1024.0 * 1024 * 1024;

        public StageSample Since(StageSample earlier) =>
            new(Stage, Seconds - earlier.Seconds, Bytes - earlier.Bytes, Calls - earlier.Calls);

        /// <summary>Seconds this stage spent per GiB of <paramref name="referenceBytes"/> (e.g. the plaintext put).</summary>
        public double SecondsPerGiB(long referenceBytes) => referenceBytes <= 0 ? 0 : Seconds * GiB / referenceBytes;
    }

    /// <summary>A fixed set of stage counters with one snapshot call (for tests, benchmarks and /metrics).</summary>
    public abstract class StageSet
    {
        private readonly StageCounter[] _all;

        protected StageSet(params StageCounter[] all)
        {
            _all = all;
        }

        public IReadOnlyList<StageCounter> All => _all;

        public StageSample[] Snapshot()
        {
            var s = new StageSample[_all.Length];
            for (int i = 0; i < _all.Length; i++)
            {
                s[i] = _all[i].Sample();
            }

            return s;
        }

        /// <summary>Per stage, what happened since <paramref name="earlier"/> (a snapshot of this set).</summary>
        public StageSample[] Since(StageSample[] earlier)
        {
            var now = Snapshot();
            for (int i = 0; i < now.Length; i++)
            {
                now[i] = now[i].Since(earlier[i]);
            }

            return now;
        }
    }
}
