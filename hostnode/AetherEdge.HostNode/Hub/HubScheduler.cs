using AetherEdge.Core.Devices;
using AetherEdge.Core.Scheduling;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>How many rounds the scheduler ran and skipped, by reason (one consistent snapshot).</summary>
    public readonly record struct SchedulerCounts(long Scheduled, long SkippedBattery, long SkippedNetwork, long SkippedFrequency);

    /// <summary>The scheduler's last skip (reason and when; null when it never skipped) and the last completed sync round.</summary>
    public readonly record struct SchedulerHistory(SyncDecision? LastSkip, DateTimeOffset? LastSkipUtc, DateTimeOffset? LastSyncUtc);

    /// <summary>
    /// The core <see cref="SyncScheduler"/> (a single-threaded state machine) owned for the hub: the
    /// sync service asks and reports, the metrics endpoint reads counts, each call under one private lock.
    /// </summary>
    public sealed class HubScheduler
    {
        private readonly SyncScheduler _scheduler = new();
        private readonly TimeProvider _clock;
        private readonly object _gate = new();
        private SchedulerHistory _history;

        public HubScheduler(TimeProvider clock)
        {
            _clock = clock;
        }

        public SyncDecision Request(DeviceProfile device)
        {
            lock (_gate)
            {
                var decision = _scheduler.Request(NowMilliseconds(), device);
                if (decision != SyncDecision.Allowed)
                {
                    _history = _history with { LastSkip = decision, LastSkipUtc = _clock.GetUtcNow() };
                }

                return decision;
            }
        }

        public void Completed(DeviceProfile device)
        {
            lock (_gate)
            {
                _scheduler.Completed(NowMilliseconds(), device);
                _history = _history with { LastSyncUtc = _clock.GetUtcNow() };
            }
        }

        public SchedulerCounts Counts()
        {
            lock (_gate)
            {
                return new SchedulerCounts(_scheduler.ScheduledCount, _scheduler.SkippedBatteryCount, _scheduler.SkippedNetworkCount, _scheduler.SkippedFrequencyCount);
            }
        }

        /// <summary>The last skip and the last completed round (the dashboard shows them).</summary>
        public SchedulerHistory History()
        {
            lock (_gate)
            {
                return _history;
            }
        }

        private long NowMilliseconds() => _clock.GetTimestamp() * 1000 / _clock.TimestampFrequency;
    }
}
