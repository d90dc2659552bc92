using System.Device.I2c;
using AetherEdge.Core.FuelGauge;

namespace AetherEdge.HostNode.Tests.Power
{
    /// <summary>
    /// Simulation of a MAX17048 on an I2C bus: a register file behind the real <see cref="I2cDevice"/>
    /// abstraction. Big-endian words, read-only registers ignore writes, MODE Quick-Start re-estimates SOC
    /// from VCELL, CMD 0x5400 resets and does not ACK (like the chip), unknown addresses NACK (IOException).
    /// </summary>
    internal sealed class SimulatedMax17048 : I2cDevice
    {
        private readonly Dictionary<byte, ushort> _registers = new();
        private readonly I2cConnectionSettings _settings;

        public SimulatedMax17048(int busId = 1)
        {
            _settings = new I2cConnectionSettings(busId, Max1704xCodec.I2cAddress);
            LoadDefaults();
        }

        public override I2cConnectionSettings ConnectionSettings => _settings;

        public bool IsDisposed { get; private set; }

        /// <summary>While true the chip does not answer (no battery on a MAX17048 means no power).</summary>
        public bool Absent { get; set; }

        public int QuickStartCount { get; private set; }

        public int ResetCount { get; private set; }

        /// <summary>Every byte sequence written to the bus, in order (register addresses and frames).</summary>
        public List<byte[]> Writes { get; } = new();

        public ushort this[Max1704xRegister register]
        {
            get => _registers[(byte)register];
            set => _registers[(byte)register] = value;
        }

        public override byte ReadByte() => throw new IOException("simulation: MAX17048 registers are words; single-byte reads unsupported");

        public override void Read(Span<byte> buffer) => throw new IOException("simulation: read without a register address");

        public override void WriteByte(byte value) => Write(new[] { value });

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check();
            Writes.Add(buffer.ToArray());
            if (buffer.Length != Max1704xCodec.RegisterWriteLength)
            {
                throw new IOException("simulation: a register write is 3 bytes, got " + buffer.Length);
            }

            byte address = buffer[0];
            ushort value = (ushort)((buffer[1] << 8) | buffer[2]);
            if (!_registers.ContainsKey(address))
            {
                throw new IOException("simulation: NACK for unknown register 0x" + address.ToString("X2"));
            }

            switch ((Max1704xRegister)address)
            {
                case Max1704xRegister.VCell:
                case Max1704xRegister.Soc:
                case Max1704xRegister.Version:
                case Max1704xRegister.CRate:
                    return; // read-only
                case Max1704xRegister.Mode:
                    if ((value & Max1704xCodec.ModeQuickStart) != 0)
                    {
                        QuickStartCount++;
                        _registers[(byte)Max1704xRegister.Soc] = EstimateSoc(_registers[(byte)Max1704xRegister.VCell]);
                    }

                    _registers[address] = (ushort)(value & Max1704xCodec.ModeEnableSleep);
                    return;
                case Max1704xRegister.Cmd:
                    if (value == Max1704xCodec.PowerOnResetCommand)
                    {
                        ResetCount++;
                        LoadDefaults();
                        throw new IOException("simulation: no ACK after power-on reset (as the chip)");
                    }

                    return;
                default:
                    _registers[address] = value;
                    return;
            }
        }

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            Check();
            Writes.Add(writeBuffer.ToArray());
            if (writeBuffer.Length != 1 || readBuffer.Length != Max1704xCodec.WordLength)
            {
                throw new IOException("simulation: expected 1 address byte and a 2-byte read");
            }

            if (!_registers.TryGetValue(writeBuffer[0], out ushort value))
            {
                throw new IOException("simulation: NACK for unknown register 0x" + writeBuffer[0].ToString("X2"));
            }

            readBuffer[0] = (byte)(value >> 8);
            readBuffer[1] = (byte)value;
        }

        protected override void Dispose(bool disposing)
        {
            IsDisposed = true;
            base.Dispose(disposing);
        }

        // Linear stand-in for ModelGauge: 3.0 V = 0 %, 4.2 V = 100 %.
        private static ushort EstimateSoc(ushort vcell)
        {
            double millivolts = Max1704xCodec.DecodeVoltageMillivolts(vcell, Max1704xVariant.Max17048);
            double percent = Math.Clamp((millivolts - 3000.0) / 12.0, 0, 100);
            return (ushort)Math.Round(percent * 256);
        }

        private void Check()
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (Absent)
            {
                throw new IOException("simulation: no ACK from 0x36 (gauge absent)");
            }
        }

        private void LoadDefaults()
        {
            _registers[(byte)Max1704xRegister.VCell] = 0xB900;  // 3.700 V
            _registers[(byte)Max1704xRegister.Soc] = 0x3C00;    // 60 %
            _registers[(byte)Max1704xRegister.Mode] = 0x0000;
            _registers[(byte)Max1704xRegister.Version] = 0x0012;
            _registers[(byte)Max1704xRegister.Hibrt] = Max1704xCodec.HibrtDefault;
            _registers[(byte)Max1704xRegister.Config] = Max1704xCodec.ConfigDefault;
            _registers[(byte)Max1704xRegister.Valrt] = Max1704xCodec.ValrtDefault;
            _registers[(byte)Max1704xRegister.CRate] = 0x0000;
            _registers[(byte)Max1704xRegister.VResetId] = 0x9601;
            _registers[(byte)Max1704xRegister.Status] = 0x0100; // RI set at power-up
            _registers[(byte)Max1704xRegister.Cmd] = 0xFFFF;
        }
    }
}
