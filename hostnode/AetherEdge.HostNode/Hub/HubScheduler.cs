using AetherEdge.Core.Devices;
using AetherEdge.Core.Scheduling;
using AetherEdge.HostNode.Diagnostics;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>How many rounds the scheduler ran and skipped, by reason (one consistent snapshot).</summary>
    public readonly record struct SchedulerCounts(long Scheduled, long SkippedBattery, long SkippedNetwork, long SkippedFrequency);

    /// <summary>The scheduler's last skip (reason and when; null when it never skipped) and the last completed sync round.</summary>
    public readonly record struct SchedulerHistory(SyncDecision? LastSkip, DateTimeOffset? LastSkipUtc, DateTimeOffset? LastSyncUtc);

    /// <summary>
    /// The core <see cref="SyncScheduler"/> and <see cref="UsagePredictions"/> (single-threaded state machines)
    /// owned for the hub: the sync service asks and reports, each call under one private lock. Counts the
    /// seed's sync_* metrics on the hub's registry, including how often the adaptive planner's predicted
    /// window held the next use (a use = a sync session that brought new items: someone in the kit put a file).
    /// </summary>
    public sealed class HubScheduler : IMetricsSource
    {
        private readonly SyncScheduler _scheduler = new();
        private readonly UsagePredictions _predictions;
        private readonly TimeProvider _clock;
        private readonly object _gate = new();
        private readonly Counter _scheduled, _skippedBattery, _skippedNetwork, _skippedFrequency;
        private readonly Counter.Child _hits, _misses;
        private SchedulerHistory _history;

        public HubScheduler(TimeProvider clock, IMetricFactory metrics)
        {
            _clock = clock;
            _predictions = new UsagePredictions(UsagePredictions.DefaultCapacity, (int)clock.LocalTimeZone.GetUtcOffset(clock.GetUtcNow()).TotalMinutes);
            _scheduled = metrics.CreateCounter("sync_scheduled_total", "Sync rounds scheduled.");
            _skippedBattery = metrics.CreateCounter("sync_skipped_battery_total", "Sync rounds skipped for low battery.");
            _skippedNetwork = metrics.CreateCounter("sync_skipped_network_total", "Sync rounds skipped for network (cellular only).");
            _skippedFrequency = metrics.CreateCounter("sync_skipped_frequency_total", "Sync rounds skipped for rate limiting.");
            var predictions = metrics.CreateCounter(
                "sync_adaptive_predictions_total",
                "Uses scored against the window the adaptive planner predicted at the use before (hit: inside it). Accuracy = hit / (hit + miss).",
                new[] { "outcome" });
            _hits = predictions.WithLabels("hit");
            _misses = predictions.WithLabels("miss");
        }

        public SyncDecision Request(DeviceProfile device)
        {
            lock (_gate)
            {
                var decision = _scheduler.Request(NowMilliseconds(), device);
                Publish();
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
                Publish();
            }
        }

        /// <summary>The kit was used now: scores the last prediction and predicts the next window.</summary>
        public PredictionOutcome Used()
        {
            lock (_gate)
            {
                var outcome = _predictions.Used(_clock.GetUtcNow().UtcDateTime);
                _hits.IncTo(_predictions.Hits);
                _misses.IncTo(_predictions.Misses);
                return outcome;
            }
        }

        /// <summary>The window predicted after the last use (null before the first).</summary>
        public SyncWindow? PredictedWindow()
        {
            lock (_gate)
            {
                return _predictions.Predicted;
            }
        }

        public SchedulerCounts Counts()
        {
            lock (_gate)
            {
                return new SchedulerCounts(_scheduler.ScheduledCount, _scheduler.SkippedBatteryCount, _scheduler.SkippedNetworkCount, _scheduler.SkippedFrequencyCount);
            }
        }

        private void Publish()
        {
            _scheduled.IncTo(_scheduler.ScheduledCount);
            _skippedBattery.IncTo(_scheduler.SkippedBatteryCount);
            _skippedNetwork.IncTo(_scheduler.SkippedNetworkCount);
            _skippedFrequency.IncTo(_scheduler.SkippedFrequencyCount);
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
