using System;
using System.Device.I2c;
using AetherEdge.Core.FuelGauge;

namespace AetherEdge.Firmware.Drivers
{
    /// <summary>
    /// MAX17048/MAX17049 fuel gauge on the ESP32 (nanoFramework System.Device.I2c). Decoding is the
    /// shared <see cref="Max1704xCodec"/>; this class only moves words. nanoFramework reports bus trouble
    /// as an <see cref="I2cTransferResult"/>, so every operation is a Try… that returns false unless the
    /// transfer was full, and <see cref="LastTransferStatus"/> keeps the reason.
    /// Disposal rule: the binding owns the <see cref="I2cDevice"/> it is given and disposes it.
    /// Buffers are preallocated; one caller at a time.
    /// </summary>
    public sealed class Max1704x : IDisposable
    {
        private readonly byte[] _address = new byte[1];
        private readonly byte[] _word = new byte[Max1704xCodec.WordLength];
        private readonly byte[] _frame = new byte[Max1704xCodec.RegisterWriteLength];
        private readonly Max1704xVariant _variant;
        private I2cDevice? _device;

        /// <summary>Binds to a gauge on <paramref name="device"/>; takes ownership of it.</summary>
        public Max1704x(I2cDevice device, Max1704xVariant variant)
        {
            if (device == null)
            {
                throw new ArgumentNullException("device");
            }

            _device = device;
            _variant = variant;
            LastTransferStatus = I2cTransferStatus.FullTransfer;
        }

        /// <summary>
        /// Opens the gauge at 0x36 on I2C bus <paramref name="busId"/> (1 = I2C1). On ESP32 the SDA/SCL
        /// pins are chosen before this with nanoFramework.Hardware.Esp32 Configuration.SetPinFunction.
        /// </summary>
        public static Max1704x Create(int busId, Max1704xVariant variant)
        {
            return new Max1704x(I2cDevice.Create(new I2cConnectionSettings(busId, Max1704xCodec.I2cAddress)), variant);
        }

        /// <summary>Which chip is fitted.</summary>
        public Max1704xVariant Variant
        {
            get { return _variant; }
        }

        /// <summary>Status of the last transfer (FullTransfer after success; SlaveAddressNotAcknowledged when absent).</summary>
        public I2cTransferStatus LastTransferStatus { get; private set; }

        /// <summary>Reads one register word; false when the transfer was not full.</summary>
        public bool TryReadRegister(Max1704xRegister register, out ushort value)
        {
            value = 0;
            I2cDevice device = Device(register);
            _address[0] = (byte)register;
            I2cTransferResult result = device.WriteRead(_address, _word);
            LastTransferStatus = result.Status;
            if (result.Status != I2cTransferStatus.FullTransfer)
            {
                return false;
            }

            value = Max1704xCodec.ReadWord(_word, 0);
            return true;
        }

        /// <summary>Writes one register word; false when the transfer was not full.</summary>
        public bool TryWriteRegister(Max1704xRegister register, ushort value)
        {
            I2cDevice device = Device(register);
            int written;
            Max1704xCodec.TryWriteRegisterWrite(register, value, _frame, 0, out written);
            I2cTransferResult result = device.Write(_frame);
            LastTransferStatus = result.Status;
            return result.Status == I2cTransferStatus.FullTransfer;
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

        /// <summary>Pack voltage in millivolts, or false when the bus fails.</summary>
        public bool TryReadVoltageMillivolts(out double millivolts)
        {
            ushort raw;
            bool ok = TryReadRegister(Max1704xRegister.VCell, out raw);
            millivolts = ok ? Max1704xCodec.DecodeVoltageMillivolts(raw, _variant) : 0;
            return ok;
        }

        /// <summary>State of charge in percent, or false when the bus fails.</summary>
        public bool TryReadStateOfChargePercent(out double percent)
        {
            ushort raw;
            bool ok = TryReadRegister(Max1704xRegister.Soc, out raw);
            percent = ok ? Max1704xCodec.DecodeStateOfChargePercent(raw) : 0;
            return ok;
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
            if (!TryReadRegister(Max1704xRegister.Config, out config))
            {
                return false;
            }

            return TryWriteRegister(Max1704xRegister.Config, Max1704xCodec.WithAlertThreshold(config, percent));
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

        /// <summary>Disposes the I2C device this binding was given. Safe to call twice.</summary>
        public void Dispose()
        {
            if (_device != null)
            {
                _device.Dispose();
                _device = null;
            }
        }

        private I2cDevice Device(Max1704xRegister register)
        {
            if (_device == null)
            {
                throw new ObjectDisposedException("the Max1704x binding was disposed");
            }

            if (!Max1704xCodec.IsKnownRegister((int)register))
            {
                throw new ArgumentOutOfRangeException("register", "0x" + ((int)register).ToString("X2") + " is not a MAX1704x register");
            }

            return _device;
        }
    }
}
