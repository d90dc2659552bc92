namespace AetherEdge.Core.Scheduling
{
    using System;

    /// <summary>What became of the window predicted before a use.</summary>
    public enum PredictionOutcome
    {
        /// <summary>No window had been predicted yet (the first use).</summary>
        None = 0,

        /// <summary>The use fell inside the predicted window.</summary>
        Hit = 1,

        /// <summary>The use fell outside it.</summary>
        Miss = 2,
    }

    /// <summary>
    /// Scores the seed's adaptive planner against what happens: at every use of the device the planner is
    /// asked, from the history before this use, for its window at that moment (<see cref="AdaptiveSyncPlanner.NextWindow"/>:
    /// the rest of the hour when it is a peak, else the next peak hour); the use is a hit when it falls inside.
    /// Then the use joins a bounded history. Single-threaded; the caller passes the time.
    /// </summary>
    public sealed class UsagePredictions
    {
        /// <summary>A month of hourly uses.</summary>
        public const int DefaultCapacity = 720;

        private readonly DateTime[] _usage;
        private readonly int _utcOffsetMinutes;
        private int _count;
        private int _next;
        private SyncWindow? _predicted;

        /// <summary>Keeps the last <paramref name="capacity"/> uses; hours are UTC plus <paramref name="utcOffsetMinutes"/>.</summary>
        public UsagePredictions(int capacity, int utcOffsetMinutes)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException("capacity");
            }

            _usage = new DateTime[capacity];
            _utcOffsetMinutes = utcOffsetMinutes;
        }

        /// <summary>Uses that fell inside the window predicted before them.</summary>
        public long Hits { get; private set; }

        /// <summary>Uses that fell outside it.</summary>
        public long Misses { get; private set; }

        /// <summary>Uses in the history (at most the capacity).</summary>
        public int Remembered
        {
            get { return _count; }
        }

        /// <summary>The window predicted right after the last use, or null before the first.</summary>
        public SyncWindow? Predicted
        {
            get { return _predicted; }
        }

        /// <summary>Records a use at <paramref name="nowUtc"/>; returns whether the window predicted without it held it.</summary>
        public PredictionOutcome Used(DateTime nowUtc)
        {
            PredictionOutcome outcome = PredictionOutcome.None;
            if (_count > 0)
            {
                // With no history the planner's window is "any time": nothing to score.
                SyncWindow before = AdaptiveSyncPlanner.NextWindow(_usage, _count, nowUtc, _utcOffsetMinutes);
                bool hit = nowUtc >= before.StartUtc && nowUtc < before.EndUtc;
                outcome = hit ? PredictionOutcome.Hit : PredictionOutcome.Miss;
                if (hit)
                {
                    Hits++;
                }
                else
                {
                    Misses++;
                }
            }

            _usage[_next] = nowUtc;
            _next = (_next + 1) % _usage.Length;
            if (_count < _usage.Length)
            {
                _count++;
            }

            // Order does not matter to the planner (it counts per hour), so the ring is passed as it is.
            _predicted = AdaptiveSyncPlanner.NextWindow(_usage, _count, nowUtc, _utcOffsetMinutes);
            return outcome;
        }
    }
}
