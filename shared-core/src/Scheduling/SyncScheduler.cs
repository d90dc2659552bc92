namespace AetherEdge.Core.Scheduling
{
    using AetherEdge.Core.Devices;

    /// <summary>
    /// Decides when this device syncs. Drive it with <see cref="Step"/> from a timer (hub) or the
    /// main loop (beacon); call <see cref="Request"/> when a peer appears. Counts every scheduled
    /// sync and every skip by reason for the metrics endpoint.
    /// </summary>
    public sealed class SyncScheduler
    {
        /// <summary>After a skip, the rules are checked again this much later (not at the full interval).</summary>
        public const long RecheckAfterSkipMilliseconds = 60 * 1000L;

        private long _lastSyncMs = -1;
        private long _nextCheckMs;

        /// <summary>Syncs started (metric sync_scheduled_count).</summary>
        public long ScheduledCount { get; private set; }

        /// <summary>Skips for battery (metric sync_skipped_battery).</summary>
        public long SkippedBatteryCount { get; private set; }

        /// <summary>Skips for network (metric sync_skipped_network).</summary>
        public long SkippedNetworkCount { get; private set; }

        /// <summary>Skips for spacing (metric sync_skipped_frequency).</summary>
        public long SkippedFrequencyCount { get; private set; }

        /// <summary>When the next periodic check is due.</summary>
        public long NextCheckMilliseconds
        {
            get { return _nextCheckMs; }
        }

        /// <summary>
        /// Periodic tick. Returns true and sets <paramref name="decision"/> when a check was due; false
        /// when nothing is due yet. On <see cref="SyncDecision.Allowed"/> the caller syncs, then calls
        /// <see cref="Completed"/>.
        /// </summary>
        public bool Step(long nowMs, DeviceProfile device, out SyncDecision decision)
        {
            decision = SyncDecision.Allowed;
            if (nowMs < _nextCheckMs)
            {
                return false;
            }

            decision = Check(nowMs, device);
            return true;
        }

        /// <summary>An on-demand sync wish (a peer appeared). Applies the same rules, spacing included.</summary>
        public SyncDecision Request(long nowMs, DeviceProfile device)
        {
            return Check(nowMs, device);
        }

        /// <summary>Records a finished sync; the next periodic check is one interval later.</summary>
        public void Completed(long nowMs, DeviceProfile device)
        {
            _lastSyncMs = nowMs;
            _nextCheckMs = nowMs + SyncPolicy.SyncIntervalMilliseconds(device);
        }

        private SyncDecision Check(long nowMs, DeviceProfile device)
        {
            long since = _lastSyncMs < 0 ? -1 : nowMs - _lastSyncMs;
            SyncDecision decision = SyncPolicy.ShouldSyncNow(device, since);
            switch (decision)
            {
                case SyncDecision.Allowed:
                    ScheduledCount++;
                    _nextCheckMs = nowMs + SyncPolicy.SyncIntervalMilliseconds(device);
                    break;
                case SyncDecision.SkippedBattery:
                    SkippedBatteryCount++;
                    _nextCheckMs = nowMs + RecheckAfterSkipMilliseconds;
                    break;
                case SyncDecision.SkippedNetwork:
                    SkippedNetworkCount++;
                    _nextCheckMs = nowMs + RecheckAfterSkipMilliseconds;
                    break;
                default:
                    SkippedFrequencyCount++;
                    _nextCheckMs = _lastSyncMs + SyncPolicy.MobileMinimumSpacingMilliseconds + 1;
                    break;
            }

            return decision;
        }
    }
}
