using AetherEdge.Core.Devices;
using AetherEdge.Core.Scheduling;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>How many rounds the scheduler ran and skipped, by reason (one consistent snapshot).</summary>
    public readonly record struct SchedulerCounts(long Scheduled, long SkippedBattery, long SkippedNetwork, long SkippedFrequency);

    /// <summary>
    /// The core <see cref="SyncScheduler"/> (a single-threaded state machine) owned for the hub: the
    /// sync service asks and reports, the metrics endpoint reads counts, each call under one private lock.
    /// </summary>
    public sealed class HubScheduler
    {
        private readonly SyncScheduler _scheduler = new();
        private readonly TimeProvider _clock;
        private readonly object _gate = new();

        public HubScheduler(TimeProvider clock)
        {
            _clock = clock;
        }

        public SyncDecision Request(DeviceProfile device)
        {
            lock (_gate)
            {
                return _scheduler.Request(NowMilliseconds(), device);
            }
        }

        public void Completed(DeviceProfile device)
        {
            lock (_gate)
            {
                _scheduler.Completed(NowMilliseconds(), device);
            }
        }

        public SchedulerCounts Counts()
        {
            lock (_gate)
            {
                return new SchedulerCounts(_scheduler.ScheduledCount, _scheduler.SkippedBatteryCount, _scheduler.SkippedNetworkCount, _scheduler.SkippedFrequencyCount);
            }
        }

        private long NowMilliseconds() => _clock.GetTimestamp() * 1000 / _clock.TimestampFrequency;
    }
}
