using System.Device.I2c;
using AetherEdge.Core.FuelGauge;

namespace AetherEdge.HostNode.Power
{
    /// <summary>
    /// MAX17048/MAX17049 fuel gauge on a Linux I2C bus (dotnet/iot style). Register decoding lives in
    /// <see cref="Max1704xCodec"/>; this class only moves words over the bus.
    /// Disposal rule: the binding owns the <see cref="I2cDevice"/> it is given and disposes it.
    /// Not thread-safe: one caller at a time (each read is one write-then-read transfer).
    /// </summary>
    public sealed class Max1704x : IDisposable
    {
        /// <summary>The family's fixed 7-bit address, 0x36.</summary>
        public const int DefaultI2cAddress = Max1704xCodec.I2cAddress;

        /// <summary>Raspberry Pi header bus (SDA1 = GPIO2 pin 3, SCL1 = GPIO3 pin 5).</summary>
        public const int RaspberryPiBusId = 1;

        private readonly byte[] _address = new byte[1];
        private readonly byte[] _word = new byte[Max1704xCodec.WordLength];
        private readonly byte[] _frame = new byte[Max1704xCodec.RegisterWriteLength];
        private I2cDevice? _device;

        /// <summary>Binds to a gauge on <paramref name="device"/>; takes ownership of it.</summary>
        public Max1704x(I2cDevice device, Max1704xVariant variant = Max1704xVariant.Max17048)
        {
            ArgumentNullException.ThrowIfNull(device);
            if (variant != Max1704xVariant.Max17048 && variant != Max1704xVariant.Max17049)
            {
                throw new ArgumentOutOfRangeException(nameof(variant), "unknown MAX1704x variant " + (int)variant);
            }

            _device = device;
            Variant = variant;
        }

        /// <summary>Opens the gauge at 0x36 on <c>/dev/i2c-<paramref name="busId"/></c>.</summary>
        public static Max1704x Create(int busId = RaspberryPiBusId, Max1704xVariant variant = Max1704xVariant.Max17048)
        {
            return new Max1704x(I2cDevice.Create(new I2cConnectionSettings(busId, DefaultI2cAddress)), variant);
        }

        /// <summary>Which chip is fitted (sets the VCELL scale).</summary>
        public Max1704xVariant Variant { get; }

        /// <summary>Reads one register word. Bus failures surface as <see cref="IOException"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The register is not in the map.</exception>
        /// <exception cref="ObjectDisposedException">The binding was disposed.</exception>
        public ushort ReadRegister(Max1704xRegister register)
        {
            I2cDevice device = Device(register);
            _address[0] = (byte)register;
            device.WriteRead(_address, _word);
            return Max1704xCodec.ReadWord(_word, 0);
        }

        /// <summary>Writes one register word (address, high byte, low byte).</summary>
        /// <exception cref="ArgumentOutOfRangeException">The register is not in the map.</exception>
        /// <exception cref="ObjectDisposedException">The binding was disposed.</exception>
        public void WriteRegister(Max1704xRegister register, ushort value)
        {
            I2cDevice device = Device(register);
            Max1704xCodec.TryWriteRegisterWrite(register, value, _frame, 0, out _);
            device.Write(_frame);
        }

        /// <summary>Pack voltage in millivolts (one cell on MAX17048, two on MAX17049).</summary>
        public double ReadVoltageMillivolts()
        {
            return Max1704xCodec.DecodeVoltageMillivolts(ReadRegister(Max1704xRegister.VCell), Variant);
        }

        /// <summary>State of charge in percent (1/256 % resolution, may exceed 100 slightly).</summary>
        public double ReadStateOfChargePercent()
        {
            return Max1704xCodec.DecodeStateOfChargePercent(ReadRegister(Max1704xRegister.Soc));
        }

        /// <summary>Charge (+) or discharge (−) rate in percent per hour.</summary>
        public double ReadChargeRatePercentPerHour()
        {
            return Max1704xCodec.DecodeChargeRatePercentPerHour(ReadRegister(Max1704xRegister.CRate));
        }

        /// <summary>The VERSION register (0x001x for this family).</summary>
        public ushort ReadVersion()
        {
            return ReadRegister(Max1704xRegister.Version);
        }

        /// <summary>The STATUS flags.</summary>
        public Max1704xStatusFlags ReadStatus()
        {
            return Max1704xCodec.DecodeStatus(ReadRegister(Max1704xRegister.Status));
        }

        /// <summary>The empty-alert threshold in percent (CONFIG.ATHD).</summary>
        public int ReadAlertThresholdPercent()
        {
            return Max1704xCodec.DecodeAlertThresholdPercent(ReadRegister(Max1704xRegister.Config));
        }

        /// <summary>Sets the empty-alert threshold (1..32 %), keeping RCOMP and the other CONFIG bits.</summary>
        public void SetAlertThresholdPercent(int percent)
        {
            ushort config = ReadRegister(Max1704xRegister.Config);
            WriteRegister(Max1704xRegister.Config, Max1704xCodec.WithAlertThreshold(config, percent));
        }

        /// <summary>Restarts the SOC estimate from the present voltage (MODE Quick-Start).</summary>
        public void QuickStart()
        {
            WriteRegister(Max1704xRegister.Mode, Max1704xCodec.ModeQuickStart);
        }

        /// <summary>
        /// Resets the IC as at power-on (CMD 0x5400). The IC resets as the last bit arrives and so does not
        /// acknowledge; the bus error that follows is expected and swallowed. Wait ~250 ms before reading SOC.
        /// </summary>
        public void PowerOnReset()
        {
            try
            {
                WriteRegister(Max1704xRegister.Cmd, Max1704xCodec.PowerOnResetCommand);
            }
            catch (IOException)
            {
                // Expected: no ACK after the reset command.
            }
        }

        /// <summary>Acknowledges alerts: clears the given STATUS flags and CONFIG.ALRT (releases the ALRT pin).</summary>
        public void ClearAlerts(Max1704xStatusFlags alerts)
        {
            ushort status = ReadRegister(Max1704xRegister.Status);
            WriteRegister(Max1704xRegister.Status, Max1704xCodec.WithAlertsCleared(status, alerts));
            ushort config = ReadRegister(Max1704xRegister.Config);
            WriteRegister(Max1704xRegister.Config, Max1704xCodec.WithConfigFlag(config, Max1704xCodec.ConfigAlert, false));
        }

        /// <summary>Reads VCELL, SOC and CRATE.</summary>
        public Max1704xReading Read()
        {
            ushort vcell = ReadRegister(Max1704xRegister.VCell);
            ushort soc = ReadRegister(Max1704xRegister.Soc);
            ushort crate = ReadRegister(Max1704xRegister.CRate);
            return new Max1704xReading(vcell, soc, crate, Variant);
        }

        /// <summary>Like <see cref="Read"/>, but false (and the bus error) instead of an exception when the bus fails.</summary>
        public bool TryRead(out Max1704xReading? reading, out string? error)
        {
            reading = null;
            error = null;
            try
            {
                reading = Read();
                return true;
            }
            catch (Exception ex) when (IsBusFailure(ex))
            {
                error = ex.Message;
                return false;
            }
        }

        /// <summary>Pack voltage, or false when the bus fails.</summary>
        public bool TryReadVoltageMillivolts(out double millivolts)
        {
            millivolts = 0;
            try
            {
                millivolts = ReadVoltageMillivolts();
                return true;
            }
            catch (Exception ex) when (IsBusFailure(ex))
            {
                return false;
            }
        }

        /// <summary>State of charge, or false when the bus fails.</summary>
        public bool TryReadStateOfChargePercent(out double percent)
        {
            percent = 0;
            try
            {
                percent = ReadStateOfChargePercent();
                return true;
            }
            catch (Exception ex) when (IsBusFailure(ex))
            {
                return false;
            }
        }

        /// <summary>VERSION, or false when the bus fails or the chip does not answer like this family.</summary>
        public bool TryReadVersion(out ushort version)
        {
            version = 0;
            try
            {
                version = ReadVersion();
                return Max1704xCodec.IsKnownVersion(version);
            }
            catch (Exception ex) when (IsBusFailure(ex))
            {
                return false;
            }
        }

        /// <summary>Disposes the I2C device this binding was given. Safe to call twice.</summary>
        public void Dispose()
        {
            _device?.Dispose();
            _device = null;
        }

        // Linux I2C reports a missing device, NACK or unopenable bus as IOException; permission as UnauthorizedAccess.
        private static bool IsBusFailure(Exception ex)
        {
            return ex is IOException || ex is UnauthorizedAccessException;
        }

        private I2cDevice Device(Max1704xRegister register)
        {
            ObjectDisposedException.ThrowIf(_device is null, this);
            if (!Max1704xCodec.IsKnownRegister((int)register))
            {
                throw new ArgumentOutOfRangeException(nameof(register), "0x" + ((int)register).ToString("X2") + " is not a MAX1704x register");
            }

            return _device;
        }
    }
}
