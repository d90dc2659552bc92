using AetherEdge.Core.Devices;

namespace AetherEdge.HostNode.Power
{
    /// <summary>Something that can tell this host's battery state: a fuel gauge, the kernel's power_supply class.</summary>
    public interface IBatterySource
    {
        /// <summary>Reads the state; false when this source has nothing to say (no gauge answering, no supplies).</summary>
        bool TryRead(out BatteryReading reading);
    }

    /// <summary>A battery status and where it came from, for the device profile and <c>aether status</c>.</summary>
    /// <param name="Status">Percent and plugged-in, as the scheduler and scorer use them.</param>
    /// <param name="Source">Human text, e.g. "battery BAT0 87 % discharging", "mains AC", "none: assuming mains".</param>
    /// <param name="HasBattery">False when no battery answered (mains only, or nothing): the percent is then a placeholder.</param>
    public sealed record BatteryReading(BatteryStatus Status, string Source, bool HasBattery = true);
}
