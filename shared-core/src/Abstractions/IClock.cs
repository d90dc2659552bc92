using System;

namespace AetherEdge.Core.Abstractions
{
    /// <summary>
    /// Time as the core sees it. Injected so state machines are deterministic in tests;
    /// the firmware backs it with the RTC/tick counter, the hub with the system clock.
    /// </summary>
    public interface IClock
    {
        /// <summary>Milliseconds from an arbitrary origin; never goes backwards.</summary>
        long MonotonicMilliseconds { get; }

        /// <summary>Wall-clock time in UTC (may jump when the device learns the time).</summary>
        DateTime UtcNow { get; }
    }
}
