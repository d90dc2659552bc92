namespace AetherEdge.Core.Scheduling
{
    using System;

    /// <summary>A time span in which a sync is expected to find the device plugged in and on Wi-Fi.</summary>
    public sealed class SyncWindow
    {
        /// <summary>Creates a window.</summary>
        public SyncWindow(DateTime startUtc, DateTime endUtc)
        {
            StartUtc = startUtc;
            EndUtc = endUtc;
        }

        /// <summary>Start (UTC).</summary>
        public DateTime StartUtc { get; }

        /// <summary>End (UTC, exclusive).</summary>
        public DateTime EndUtc { get; }
    }
}
