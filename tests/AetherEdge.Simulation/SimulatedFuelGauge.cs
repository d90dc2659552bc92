using AetherEdge.Core.Abstractions;
using AetherEdge.Core.FuelGauge;

namespace AetherEdge.Simulation
{
    /// <summary>
    /// A simulation of a MAX17048 fuel gauge (no chip here) as the beacon firmware sees it through
    /// <see cref="II2cDevice"/>: a register file of big-endian words read by "write register address, read 2 bytes".
    /// Unknown registers and an <see cref="Absent"/> chip (no cell powering it) do not ACK (false, as nanoFramework
    /// reports it). Set the charge with <see cref="SetCharge"/>.
    /// </summary>
    public sealed class SimulatedFuelGauge : II2cDevice
    {
        private readonly Dictionary<byte, ushort> _registers = new()
        {
            [(byte)Max1704xRegister.VCell] = 0xB900, // 3.700 V
            [(byte)Max1704xRegister.Soc] = 0x3C00, // 60 %
            [(byte)Max1704xRegister.CRate] = 0x0000,
            [(byte)Max1704xRegister.Version] = 0x0012,
            [(byte)Max1704xRegister.Mode] = 0x0000,
            [(byte)Max1704xRegister.Config] = Max1704xCodec.ConfigDefault,
            [(byte)Max1704xRegister.Status] = 0x0100,
        };

        /// <summary>While true the chip does not answer.</summary>
        public bool Absent { get; set; }

        /// <summary>Transfers attempted.</summary>
        public int Transfers { get; private set; }

        /// <summary>State of charge in whole percent and the charge rate (positive: charging) in LSBs of 0.208 %/h.</summary>
        public void SetCharge(int percent, short rateLsb)
        {
            _registers[(byte)Max1704xRegister.Soc] = (ushort)(percent << 8);
            _registers[(byte)Max1704xRegister.CRate] = unchecked((ushort)rateLsb);
        }

        public bool TryWriteRead(byte[] write, byte[] read)
        {
            Transfers++;
            if (Absent || write.Length != 1 || read.Length != Max1704xCodec.WordLength || !_registers.TryGetValue(write[0], out ushort value))
            {
                return false;
            }

            read[0] = (byte)(value >> 8);
            read[1] = (byte)value;
            return true;
        }

        public bool TryWrite(byte[] write)
        {
            Transfers++;
            if (Absent || write.Length != Max1704xCodec.RegisterWriteLength || !_registers.ContainsKey(write[0]))
            {
                return false;
            }

            _registers[write[0]] = (ushort)((write[1] << 8) | write[2]);
            return true;
        }
    }
}
