namespace AetherEdge.HostNode.Power
{
    /// <summary>Kind of a Linux power supply (the <c>type</c> attribute).</summary>
    public enum PowerSupplyType
    {
        /// <summary>Missing or unrecognised type.</summary>
        Unknown,

        /// <summary>"Battery".</summary>
        Battery,

        /// <summary>"UPS".</summary>
        Ups,

        /// <summary>"Mains".</summary>
        Mains,

        /// <summary>"USB" (and USB-C/PD variants reported as USB*).</summary>
        Usb,

        /// <summary>"Wireless" charger.</summary>
        Wireless,
    }

    /// <summary>Charging state of a battery (the <c>status</c> attribute).</summary>
    public enum PowerSupplyStatus
    {
        /// <summary>"Unknown", missing or unrecognised.</summary>
        Unknown,

        /// <summary>"Charging".</summary>
        Charging,

        /// <summary>"Discharging".</summary>
        Discharging,

        /// <summary>"Not charging": on external power but held (e.g. charge limit).</summary>
        NotCharging,

        /// <summary>"Full".</summary>
        Full,
    }

    /// <summary>What was read from one <c>/sys/class/power_supply/NAME</c> directory; unknown values are null.</summary>
    /// <param name="Name">Directory name, e.g. BAT0, AC, ADP1.</param>
    /// <param name="Type">The type attribute.</param>
    /// <param name="CapacityPercent">0..100 from capacity (or energy/charge now÷full), null when unknown.</param>
    /// <param name="Status">The status attribute (batteries).</param>
    /// <param name="Online">The online attribute (mains/USB), null when absent.</param>
    /// <param name="IsDeviceScope">True for peripherals' batteries (scope = Device: mice, headsets), which do not power the host.</param>
    /// <param name="Present">The present attribute, null when absent.</param>
    public sealed record PowerSupplyInfo(
        string Name,
        PowerSupplyType Type,
        int? CapacityPercent,
        PowerSupplyStatus Status,
        bool? Online,
        bool IsDeviceScope,
        bool? Present);
}
