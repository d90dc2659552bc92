using AetherEdge.Core.Abstractions;

namespace AetherEdge.Simulation
{
    /// <summary>
    /// Discrete-event clock in microseconds. Events at the same time run in scheduling order; a
    /// millisecond tick (node state machines' Step) runs after the events of its instant.
    /// </summary>
    public sealed class EventScheduler : IClock
    {
        private readonly PriorityQueue<Action, (long At, long Seq)> _events = new();
        private long _seq;

        public long NowMicroseconds { get; private set; }

        public long MonotonicMilliseconds => NowMicroseconds / 1000;

        public DateTime UtcNow => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(NowMicroseconds * 10);

        public long EventsRun { get; private set; }

        public void At(long atMicroseconds, Action action)
        {
            if (atMicroseconds < NowMicroseconds)
            {
                atMicroseconds = NowMicroseconds;
            }

            _events.Enqueue(action, (atMicroseconds, _seq++));
        }

        /// <summary>Runs events and a tick every millisecond until <paramref name="endMicroseconds"/> or <paramref name="done"/>.</summary>
        public void RunUntil(long endMicroseconds, Action<long> tickMs, Func<bool>? done = null)
        {
            long nextTick = (NowMicroseconds / 1000 + 1) * 1000;
            while (NowMicroseconds < endMicroseconds)
            {
                if (_events.TryPeek(out _, out var key) && key.At <= nextTick)
                {
                    _events.Dequeue()();
                    NowMicroseconds = Math.Max(NowMicroseconds, key.At);
                    EventsRun++;
                    continue;
                }

                NowMicroseconds = nextTick;
                tickMs(NowMicroseconds / 1000);
                nextTick += 1000;
                if (done != null && done())
                {
                    return;
                }
            }
        }
    }
}
