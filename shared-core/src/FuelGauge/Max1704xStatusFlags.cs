using System;

namespace AetherEdge.Core.FuelGauge
{
    /// <summary>Bits of the STATUS register (all in the high byte; the low byte is reserved).</summary>
    [Flags]
    public enum Max1704xStatusFlags : ushort
    {
        /// <summary>No flag set.</summary>
        None = 0,

        /// <summary>RI: reset indicator, set at power-up until the host clears it after configuring the IC.</summary>
        ResetIndicator = 0x0100,

        /// <summary>VH: VCELL rose above VALRT.MAX.</summary>
        VoltageHigh = 0x0200,

        /// <summary>VL: VCELL fell below VALRT.MIN.</summary>
        VoltageLow = 0x0400,

        /// <summary>VR: the IC saw a voltage reset (only alerts when EnVr is set).</summary>
        VoltageReset = 0x0800,

        /// <summary>HD: SOC fell below the CONFIG.ATHD empty-alert threshold.</summary>
        SocLow = 0x1000,

        /// <summary>SC: SOC changed by at least 1 % (only when CONFIG.ALSC is set).</summary>
        SocChange = 0x2000,

        /// <summary>EnVr: enables the voltage-reset alert (a setting, not an alert).</summary>
        EnableVoltageResetAlert = 0x4000,
    }
}
