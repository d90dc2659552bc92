namespace AetherEdge.Core.FuelGauge
{
    /// <summary>
    /// Register addresses of the MAX17048/MAX17049 fuel gauge. Every register is a 16-bit word,
    /// sent most significant byte first; reads and writes must cover both bytes.
    /// </summary>
    public enum Max1704xRegister : byte
    {
        /// <summary>VCELL: ADC measurement of the cell voltage, 78.125 µV per cell per LSB. Read-only.</summary>
        VCell = 0x02,

        /// <summary>SOC: state of charge, 1/256 % per LSB (high byte = whole percent). Read-only.</summary>
        Soc = 0x04,

        /// <summary>MODE: Quick-Start, EnSleep and HibStat bits. Write-only except HibStat.</summary>
        Mode = 0x06,

        /// <summary>VERSION: production version, 0x001x. Read-only.</summary>
        Version = 0x08,

        /// <summary>HIBRT: hibernate threshold (high byte, 0.208 %/h) and active threshold (low byte, 1.25 mV).</summary>
        Hibrt = 0x0A,

        /// <summary>CONFIG: RCOMP (high byte), SLEEP, ALSC, ALRT and ATHD (low byte). Default 0x971C.</summary>
        Config = 0x0C,

        /// <summary>VALRT: voltage alert window, minimum (high byte) and maximum (low byte), 20 mV per cell per LSB.</summary>
        Valrt = 0x14,

        /// <summary>CRATE: signed charge or discharge rate, 0.208 %/h per LSB. Read-only.</summary>
        CRate = 0x16,

        /// <summary>VRESET/ID: reset voltage (bits 15..9, 40 mV per LSB), Dis (bit 8), factory ID (low byte).</summary>
        VResetId = 0x18,

        /// <summary>STATUS: alert flags RI, VH, VL, VR, HD, SC and the EnVr enable (high byte).</summary>
        Status = 0x1A,

        /// <summary>CMD: write <see cref="Max1704xCodec.PowerOnResetCommand"/> to reset the IC.</summary>
        Cmd = 0xFE,
    }
}
