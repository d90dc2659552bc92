using System;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.FuelGauge
{
    /// <summary>
    /// Pure decoding and encoding of MAX17048/MAX17049 register words: raw 16-bit values in,
    /// values with their unit in the name out, and back. No I/O; the bindings do the bus.
    /// </summary>
    public static class Max1704xCodec
    {
        /// <summary>Fixed 7-bit I2C address of the whole family.</summary>
        public const int I2cAddress = 0x36;

        /// <summary>Bytes in one register word.</summary>
        public const int WordLength = 2;

        /// <summary>Bytes of a register write: address, high byte, low byte.</summary>
        public const int RegisterWriteLength = 3;

        /// <summary>VCELL scale: 78.125 µV per LSB per cell (MAX17049 spans two cells, so twice this per LSB).</summary>
        public const double VCellMicrovoltsPerLsbPerCell = 78.125;

        /// <summary>SOC scale: 1/256 % per LSB, so the high byte is whole percent.</summary>
        public const double SocPercentPerLsb = 1.0 / 256.0;

        /// <summary>CRATE scale: 0.208 %/h per LSB, two's complement (negative = discharging).</summary>
        public const double CRatePercentPerHourPerLsb = 0.208;

        /// <summary>HIBRT.HibThr scale: 0.208 %/h per LSB.</summary>
        public const double HibernateThresholdPercentPerHourPerLsb = 0.208;

        /// <summary>HIBRT.ActThr scale: 1.25 mV per LSB.</summary>
        public const double ActiveThresholdMillivoltsPerLsb = 1.25;

        /// <summary>VALRT scale: 20 mV per LSB per cell.</summary>
        public const int VoltageAlertMillivoltsPerLsb = 20;

        /// <summary>VRESET scale: 40 mV per LSB of the 7-bit field.</summary>
        public const int ResetVoltageMillivoltsPerLsb = 40;

        /// <summary>CONFIG power-up default: RCOMP 0x97, empty alert at 4 %.</summary>
        public const ushort ConfigDefault = 0x971C;

        /// <summary>HIBRT power-up default: HibThr 0x80, ActThr 0x30.</summary>
        public const ushort HibrtDefault = 0x8030;

        /// <summary>HIBRT value that disables hibernation.</summary>
        public const ushort HibrtNeverHibernate = 0x0000;

        /// <summary>VALRT power-up default: 0 V minimum, 5.1 V maximum (no voltage alerts).</summary>
        public const ushort ValrtDefault = 0x00FF;

        /// <summary>MODE word that starts a Quick-Start (restart of the SOC estimate).</summary>
        public const ushort ModeQuickStart = 0x4000;

        /// <summary>MODE.EnSleep: allows CONFIG.SLEEP to put the IC to sleep.</summary>
        public const ushort ModeEnableSleep = 0x2000;

        /// <summary>MODE.HibStat: read-only, set while the IC hibernates.</summary>
        public const ushort ModeHibernating = 0x1000;

        /// <summary>CMD word that resets the IC as at power-on (the IC does not ACK it).</summary>
        public const ushort PowerOnResetCommand = 0x5400;

        /// <summary>CONFIG.SLEEP: forces sleep when MODE.EnSleep is set.</summary>
        public const ushort ConfigSleep = 0x0080;

        /// <summary>CONFIG.ALSC: alert on every 1 % SOC change.</summary>
        public const ushort ConfigSocChangeAlert = 0x0040;

        /// <summary>CONFIG.ALRT: set by the IC when it asserts the ALRT pin; the host clears it.</summary>
        public const ushort ConfigAlert = 0x0020;

        /// <summary>CONFIG.ATHD mask: empty-alert threshold = 32 − ATHD %.</summary>
        public const ushort ConfigAlertThresholdMask = 0x001F;

        /// <summary>Lowest empty-alert threshold the ATHD field can hold (ATHD = 31).</summary>
        public const int AlertThresholdMinPercent = 1;

        /// <summary>Highest empty-alert threshold the ATHD field can hold (ATHD = 0).</summary>
        public const int AlertThresholdMaxPercent = 32;

        /// <summary>Mask of the STATUS bits that are alerts (RI, VH, VL, VR, HD, SC).</summary>
        public const ushort StatusAlertMask = 0x3F00;

        /// <summary>VERSION values of the family are 0x001x; this masks the family part.</summary>
        public const ushort VersionFamilyMask = 0xFFF0;

        /// <summary>Family part of VERSION for MAX17048/MAX17049.</summary>
        public const ushort VersionFamily = 0x0010;

        /// <summary>True when <paramref name="address"/> is one of the documented registers.</summary>
        public static bool IsKnownRegister(int address)
        {
            switch (address)
            {
                case (int)Max1704xRegister.VCell:
                case (int)Max1704xRegister.Soc:
                case (int)Max1704xRegister.Mode:
                case (int)Max1704xRegister.Version:
                case (int)Max1704xRegister.Hibrt:
                case (int)Max1704xRegister.Config:
                case (int)Max1704xRegister.Valrt:
                case (int)Max1704xRegister.CRate:
                case (int)Max1704xRegister.VResetId:
                case (int)Max1704xRegister.Status:
                case (int)Max1704xRegister.Cmd:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Reads a big-endian register word at <paramref name="offset"/>.</summary>
        /// <exception cref="ProtocolViolationException">Fewer than two bytes are available.</exception>
        public static ushort ReadWord(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset > buffer.Length - WordLength)
            {
                throw new ProtocolViolationException("MAX1704x register word truncated: need 2 bytes at offset " + offset);
            }

            return (ushort)((buffer[offset] << 8) | buffer[offset + 1]);
        }

        /// <summary>Writes <paramref name="value"/> big-endian; false when the buffer has no room.</summary>
        public static bool TryWriteWord(ushort value, byte[] buffer, int offset, out int written)
        {
            written = 0;
            if (buffer == null || offset < 0 || offset > buffer.Length - WordLength)
            {
                return false;
            }

            buffer[offset] = (byte)(value >> 8);
            buffer[offset + 1] = (byte)value;
            written = WordLength;
            return true;
        }

        /// <summary>Writes the 3-byte bus frame that stores <paramref name="value"/> in <paramref name="register"/>.</summary>
        public static bool TryWriteRegisterWrite(Max1704xRegister register, ushort value, byte[] buffer, int offset, out int written)
        {
            written = 0;
            if (buffer == null || offset < 0 || offset > buffer.Length - RegisterWriteLength)
            {
                return false;
            }

            buffer[offset] = (byte)register;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)value;
            written = RegisterWriteLength;
            return true;
        }

        /// <summary>Number of series cells VCELL spans for <paramref name="variant"/>.</summary>
        public static int CellCount(Max1704xVariant variant)
        {
            return variant == Max1704xVariant.Max17049 ? 2 : 1;
        }

        /// <summary>VCELL to millivolts across the whole pack (one cell on MAX17048, two on MAX17049).</summary>
        public static double DecodeVoltageMillivolts(ushort vcell, Max1704xVariant variant)
        {
            return vcell * VCellMicrovoltsPerLsbPerCell * CellCount(variant) / 1000.0;
        }

        /// <summary>SOC to percent with 1/256 % resolution; the IC may report slightly over 100.</summary>
        public static double DecodeStateOfChargePercent(ushort soc)
        {
            return soc * SocPercentPerLsb;
        }

        /// <summary>SOC high byte: whole percent, truncated.</summary>
        public static int DecodeStateOfChargeWholePercent(ushort soc)
        {
            return soc >> 8;
        }

        /// <summary>CRATE to %/h; positive while charging, negative while discharging.</summary>
        public static double DecodeChargeRatePercentPerHour(ushort crate)
        {
            return (short)crate * CRatePercentPerHourPerLsb;
        }

        /// <summary>True when VERSION looks like a MAX17048/MAX17049 (0x001x).</summary>
        public static bool IsKnownVersion(ushort version)
        {
            return (version & VersionFamilyMask) == VersionFamily;
        }

        /// <summary>CONFIG.ATHD to the empty-alert threshold in percent (1..32).</summary>
        public static int DecodeAlertThresholdPercent(ushort config)
        {
            return AlertThresholdMaxPercent - (config & ConfigAlertThresholdMask);
        }

        /// <summary>Returns <paramref name="config"/> with ATHD set for <paramref name="percent"/>, other bits kept.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside 1..32.</exception>
        public static ushort WithAlertThreshold(ushort config, int percent)
        {
            if (percent < AlertThresholdMinPercent || percent > AlertThresholdMaxPercent)
            {
                throw new ArgumentOutOfRangeException("percent", "empty-alert threshold must be 1..32 %, got " + percent);
            }

            int athd = AlertThresholdMaxPercent - percent;
            return (ushort)((config & ~ConfigAlertThresholdMask) | athd);
        }

        /// <summary>CONFIG high byte: the RCOMP temperature-compensation value.</summary>
        public static byte DecodeRcomp(ushort config)
        {
            return (byte)(config >> 8);
        }

        /// <summary>Returns <paramref name="config"/> with RCOMP replaced.</summary>
        public static ushort WithRcomp(ushort config, byte rcomp)
        {
            return (ushort)((config & 0x00FF) | (rcomp << 8));
        }

        /// <summary>True when CONFIG.ALRT is set (the ALRT pin is asserted).</summary>
        public static bool IsAlertAsserted(ushort config)
        {
            return (config & ConfigAlert) != 0;
        }

        /// <summary>Returns <paramref name="config"/> with <paramref name="flag"/> (SLEEP, ALSC or ALRT) set or cleared.</summary>
        public static ushort WithConfigFlag(ushort config, ushort flag, bool set)
        {
            return set ? (ushort)(config | flag) : (ushort)(config & ~flag);
        }

        /// <summary>HIBRT.HibThr (high byte) to %/h: hibernate when |CRATE| stays below it.</summary>
        public static double DecodeHibernateThresholdPercentPerHour(ushort hibrt)
        {
            return (hibrt >> 8) * HibernateThresholdPercentPerHourPerLsb;
        }

        /// <summary>HIBRT.ActThr (low byte) to mV: leave hibernation when a step exceeds it.</summary>
        public static double DecodeActiveThresholdMillivolts(ushort hibrt)
        {
            return (hibrt & 0xFF) * ActiveThresholdMillivoltsPerLsb;
        }

        /// <summary>Builds HIBRT from thresholds, rounded to the nearest LSB.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A threshold does not fit its 8-bit field.</exception>
        public static ushort EncodeHibrt(double hibernateThresholdPercentPerHour, double activeThresholdMillivolts)
        {
            int hib = ToField(hibernateThresholdPercentPerHour, HibernateThresholdPercentPerHourPerLsb, 0xFF, "hibernateThresholdPercentPerHour");
            int act = ToField(activeThresholdMillivolts, ActiveThresholdMillivoltsPerLsb, 0xFF, "activeThresholdMillivolts");
            return (ushort)((hib << 8) | act);
        }

        /// <summary>VALRT.MIN (high byte) to millivolts per cell.</summary>
        public static int DecodeVoltageAlertMinimumMillivoltsPerCell(ushort valrt)
        {
            return (valrt >> 8) * VoltageAlertMillivoltsPerLsb;
        }

        /// <summary>VALRT.MAX (low byte) to millivolts per cell.</summary>
        public static int DecodeVoltageAlertMaximumMillivoltsPerCell(ushort valrt)
        {
            return (valrt & 0xFF) * VoltageAlertMillivoltsPerLsb;
        }

        /// <summary>Builds VALRT from a per-cell window in millivolts (0..5100, 20 mV steps, rounded).</summary>
        /// <exception cref="ArgumentOutOfRangeException">A bound is out of range or min exceeds max.</exception>
        public static ushort EncodeValrt(int minimumMillivoltsPerCell, int maximumMillivoltsPerCell)
        {
            if (minimumMillivoltsPerCell > maximumMillivoltsPerCell)
            {
                throw new ArgumentOutOfRangeException("minimumMillivoltsPerCell", "voltage alert minimum " + minimumMillivoltsPerCell + " mV is above the maximum " + maximumMillivoltsPerCell + " mV");
            }

            int min = ToField(minimumMillivoltsPerCell, VoltageAlertMillivoltsPerLsb, 0xFF, "minimumMillivoltsPerCell");
            int max = ToField(maximumMillivoltsPerCell, VoltageAlertMillivoltsPerLsb, 0xFF, "maximumMillivoltsPerCell");
            return (ushort)((min << 8) | max);
        }

        /// <summary>VRESET field (bits 15..9) to millivolts.</summary>
        public static int DecodeResetVoltageMillivolts(ushort vresetId)
        {
            return (vresetId >> 9) * ResetVoltageMillivoltsPerLsb;
        }

        /// <summary>VRESET/ID.Dis (bit 8): true when the fast reset comparator is disabled.</summary>
        public static bool IsResetComparatorDisabled(ushort vresetId)
        {
            return (vresetId & 0x0100) != 0;
        }

        /// <summary>VRESET/ID low byte: the factory-programmed ID.</summary>
        public static byte DecodeId(ushort vresetId)
        {
            return (byte)vresetId;
        }

        /// <summary>Returns <paramref name="vresetId"/> with VRESET set to <paramref name="millivolts"/> (0..5080, 40 mV steps).</summary>
        /// <exception cref="ArgumentOutOfRangeException">The voltage does not fit the 7-bit field.</exception>
        public static ushort WithResetVoltage(ushort vresetId, int millivolts)
        {
            int field = ToField(millivolts, ResetVoltageMillivoltsPerLsb, 0x7F, "millivolts");
            return (ushort)((vresetId & 0x01FF) | (field << 9));
        }

        /// <summary>STATUS to its flags; reserved low-byte bits are dropped.</summary>
        public static Max1704xStatusFlags DecodeStatus(ushort status)
        {
            return (Max1704xStatusFlags)(status & 0x7F00);
        }

        /// <summary>Returns <paramref name="status"/> with the given alert flags cleared (write it back to acknowledge).</summary>
        public static ushort WithAlertsCleared(ushort status, Max1704xStatusFlags alerts)
        {
            return (ushort)(status & ~((ushort)alerts & StatusAlertMask));
        }

        private static int ToField(double value, double step, int maxField, string name)
        {
            if (!(value >= 0))
            {
                throw new ArgumentOutOfRangeException(name, name + " must be a non-negative number, got " + value);
            }

            int field = (int)(value / step + 0.5);
            if (field > maxField)
            {
                throw new ArgumentOutOfRangeException(name, name + " " + value + " exceeds the register field maximum " + (maxField * step));
            }

            return field;
        }
    }
}
