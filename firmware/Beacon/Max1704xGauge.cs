namespace AetherEdge.Firmware.Beacon
{
    using System;
    using AetherEdge.Core.Abstractions;
    using AetherEdge.Core.FuelGauge;

    /// <summary>
    /// MAX17048/MAX17049 fuel gauge over an <see cref="II2cDevice"/> (nanoFramework's System.Device.I2c on the
    /// ESP32 through <c>Glue/Drivers/Max1704x/NanoI2cDevice</c>; a simulated chip in tests). Decoding is the
    /// shared <see cref="Max1704xCodec"/>; this class only moves words. Every operation is a Try… that
    /// returns false unless the transfer was full (a gauge powered from an absent cell does not ACK).
    /// Buffers are preallocated; one caller at a time.
    /// </summary>
    public sealed class Max1704xGauge
    {
        private readonly byte[] _address = new byte[1];
        private readonly byte[] _word = new byte[Max1704xCodec.WordLength];
        private readonly byte[] _frame = new byte[Max1704xCodec.RegisterWriteLength];
        private readonly II2cDevice _device;
        private readonly Max1704xVariant _variant;

        /// <summary>Binds to a gauge at <see cref="Max1704xCodec.I2cAddress"/> on <paramref name="device"/>.</summary>
        public Max1704xGauge(II2cDevice device, Max1704xVariant variant)
        {
            if (device == null)
            {
                throw new ArgumentNullException("device");
            }

            _device = device;
            _variant = variant;
        }

        /// <summary>Which chip is fitted.</summary>
        public Max1704xVariant Variant
        {
            get { return _variant; }
        }

        /// <summary>Transfers that did not complete.</summary>
        public long TransferFailures { get; private set; }

        /// <summary>Reads one register word; false when the transfer was not full.</summary>
        public bool TryReadRegister(Max1704xRegister register, out ushort value)
        {
            value = 0;
            Check(register);
            _address[0] = (byte)register;
            if (!_device.TryWriteRead(_address, _word))
            {
                TransferFailures++;
                return false;
            }

            value = Max1704xCodec.ReadWord(_word, 0);
            return true;
        }

        /// <summary>Writes one register word; false when the transfer was not full.</summary>
        public bool TryWriteRegister(Max1704xRegister register, ushort value)
        {
            Check(register);
            int written;
            Max1704xCodec.TryWriteRegisterWrite(register, value, _frame, 0, out written);
            if (!_device.TryWrite(_frame))
            {
                TransferFailures++;
                return false;
            }

            return true;
        }

        /// <summary>Reads VCELL, SOC and CRATE; null when any transfer fails.</summary>
        public Max1704xReading? TryRead()
        {
            ushort vcell;
            ushort soc;
            ushort crate;
            if (!TryReadRegister(Max1704xRegister.VCell, out vcell)
                || !TryReadRegister(Max1704xRegister.Soc, out soc)
                || !TryReadRegister(Max1704xRegister.CRate, out crate))
            {
                return null;
            }

            return new Max1704xReading(vcell, soc, crate, _variant);
        }

        /// <summary>VERSION; false when the bus fails or the chip is not of this family.</summary>
        public bool TryReadVersion(out ushort version)
        {
            return TryReadRegister(Max1704xRegister.Version, out version) && Max1704xCodec.IsKnownVersion(version);
        }

        /// <summary>STATUS flags, or false when the bus fails.</summary>
        public bool TryReadStatus(out Max1704xStatusFlags flags)
        {
            ushort raw;
            bool ok = TryReadRegister(Max1704xRegister.Status, out raw);
            flags = ok ? Max1704xCodec.DecodeStatus(raw) : Max1704xStatusFlags.None;
            return ok;
        }

        /// <summary>Sets the empty-alert threshold (1..32 %), keeping the rest of CONFIG.</summary>
        public bool TrySetAlertThresholdPercent(int percent)
        {
            ushort config;
            return TryReadRegister(Max1704xRegister.Config, out config)
                && TryWriteRegister(Max1704xRegister.Config, Max1704xCodec.WithAlertThreshold(config, percent));
        }

        /// <summary>Restarts the SOC estimate from the present voltage (MODE Quick-Start).</summary>
        public bool TryQuickStart()
        {
            return TryWriteRegister(Max1704xRegister.Mode, Max1704xCodec.ModeQuickStart);
        }

        /// <summary>Clears the given STATUS alerts and CONFIG.ALRT, releasing the ALRT pin.</summary>
        public bool TryClearAlerts(Max1704xStatusFlags alerts)
        {
            ushort status;
            ushort config;
            return TryReadRegister(Max1704xRegister.Status, out status)
                && TryWriteRegister(Max1704xRegister.Status, Max1704xCodec.WithAlertsCleared(status, alerts))
                && TryReadRegister(Max1704xRegister.Config, out config)
                && TryWriteRegister(Max1704xRegister.Config, Max1704xCodec.WithConfigFlag(config, Max1704xCodec.ConfigAlert, false));
        }

        private static void Check(Max1704xRegister register)
        {
            if (!Max1704xCodec.IsKnownRegister((int)register))
            {
                throw new ArgumentOutOfRangeException("register", "0x" + ((int)register).ToString("X2") + " is not a MAX1704x register");
            }
        }
    }
}
