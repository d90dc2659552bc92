namespace AetherEdge.Core.Devices
{
    /// <summary>Charge state as reported by a fuel gauge or the OS.</summary>
    public sealed class BatteryStatus
    {
        /// <summary>Highest valid state of charge.</summary>
        public const int MaxPercent = 100;

        /// <summary>Creates a status; <paramref name="percent"/> is clamped to 0..100.</summary>
        public BatteryStatus(int percent, bool pluggedIn)
        {
            Percent = percent < 0 ? 0 : (percent > MaxPercent ? MaxPercent : percent);
            PluggedIn = pluggedIn;
        }

        /// <summary>A device on mains power with no battery (desktop, hub without UPS).</summary>
        public static BatteryStatus Mains
        {
            get { return new BatteryStatus(MaxPercent, true); }
        }

        /// <summary>State of charge, 0..100.</summary>
        public int Percent { get; }

        /// <summary>True when external power is connected.</summary>
        public bool PluggedIn { get; }
    }
}
