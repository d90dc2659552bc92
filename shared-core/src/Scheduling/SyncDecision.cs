namespace AetherEdge.Core.Scheduling
{
    /// <summary>Outcome of a should-sync check; every skip names its reason so metrics can count it.</summary>
    public enum SyncDecision
    {
        /// <summary>Sync may run now.</summary>
        Allowed = 0,

        /// <summary>Skipped: battery too low and not plugged in (metric sync_skipped_battery).</summary>
        SkippedBattery = 1,

        /// <summary>Skipped: no acceptable network, e.g. cellular only (metric sync_skipped_network).</summary>
        SkippedNetwork = 2,

        /// <summary>Skipped: too soon after the last sync (metric sync_skipped_frequency).</summary>
        SkippedFrequency = 3,
    }
}
