using AetherEdge.Core.FuelGauge;
using AetherEdge.HostNode.Power;

namespace AetherEdge.HostNode.Tests.Power
{
    public class Max1704xTests
    {
        [Fact]
        public void ReadVoltageMillivolts_Max17048_DecodesVcell()
        {
            var sim = new SimulatedMax17048 { [Max1704xRegister.VCell] = 0xD200 };
            using var gauge = new Max1704x(sim);
            Assert.Equal(4200.0, gauge.ReadVoltageMillivolts(), 6);
            Assert.Equal(new byte[] { 0x02 }, sim.Writes.Single());
        }

        [Fact]
        public void ReadVoltageMillivolts_Max17049_ReadsPackOfTwoCells()
        {
            var sim = new SimulatedMax17048 { [Max1704xRegister.VCell] = 0xB900 };
            using var gauge = new Max1704x(sim, Max1704xVariant.Max17049);
            Assert.Equal(7400.0, gauge.ReadVoltageMillivolts(), 6);
        }

        [Fact]
        public void Read_SocVersionCrate_Decoded()
        {
            var sim = new SimulatedMax17048
            {
                [Max1704xRegister.Soc] = 0x5780,
                [Max1704xRegister.CRate] = 0xFFF6, // −10 LSB
            };
            using var gauge = new Max1704x(sim);
            Assert.Equal(87.5, gauge.ReadStateOfChargePercent(), 6);
            Assert.Equal(-2.08, gauge.ReadChargeRatePercentPerHour(), 6);
            Assert.Equal((ushort)0x0012, gauge.ReadVersion());
            Assert.True(gauge.TryReadVersion(out ushort version));
            Assert.Equal((ushort)0x0012, version);

            Max1704xReading reading = gauge.Read();
            Assert.Equal(87.5, reading.StateOfChargePercent, 6);
            Assert.Equal(3700.0, reading.VoltageMillivolts, 6);
            Assert.False(reading.IsCharging);
        }

        [Fact]
        public void ReadRegister_WordIsBigEndian()
        {
            var sim = new SimulatedMax17048 { [Max1704xRegister.Hibrt] = 0x1234 };
            using var gauge = new Max1704x(sim);
            Assert.Equal((ushort)0x1234, gauge.ReadRegister(Max1704xRegister.Hibrt));

            gauge.WriteRegister(Max1704xRegister.Valrt, 0xAAD2);
            Assert.Equal(new byte[] { 0x14, 0xAA, 0xD2 }, sim.Writes.Last());
            Assert.Equal((ushort)0xAAD2, sim[Max1704xRegister.Valrt]);
        }

        [Fact]
        public void SetAlertThresholdPercent_WritesAthdKeepsRcomp()
        {
            var sim = new SimulatedMax17048 { [Max1704xRegister.Config] = 0x4D5C }; // RCOMP 0x4D, ALSC, ATHD 28
            using var gauge = new Max1704x(sim);
            Assert.Equal(4, gauge.ReadAlertThresholdPercent());

            gauge.SetAlertThresholdPercent(20);

            Assert.Equal((ushort)0x4D4C, sim[Max1704xRegister.Config]);
            Assert.Equal(20, gauge.ReadAlertThresholdPercent());
            Assert.Throws<ArgumentOutOfRangeException>(() => gauge.SetAlertThresholdPercent(40));
            Assert.Equal((ushort)0x4D4C, sim[Max1704xRegister.Config]);
        }

        [Fact]
        public void QuickStart_WritesModeAndGaugeReestimates()
        {
            var sim = new SimulatedMax17048 { [Max1704xRegister.VCell] = 0xD200 }; // 4.2 V but SOC still 60 %
            using var gauge = new Max1704x(sim);

            gauge.QuickStart();

            Assert.Equal(new byte[] { 0x06, 0x40, 0x00 }, sim.Writes.Last());
            Assert.Equal(1, sim.QuickStartCount);
            Assert.Equal(100.0, gauge.ReadStateOfChargePercent(), 6);
        }

        [Fact]
        public void ClearAlerts_ClearsStatusBitsAndConfigAlrt()
        {
            var sim = new SimulatedMax17048
            {
                [Max1704xRegister.Status] = 0x5100,             // EnVr + HD + RI
                [Max1704xRegister.Config] = 0x973C,             // ALRT set
            };
            using var gauge = new Max1704x(sim);
            Assert.Equal(Max1704xStatusFlags.EnableVoltageResetAlert | Max1704xStatusFlags.SocLow | Max1704xStatusFlags.ResetIndicator, gauge.ReadStatus());

            gauge.ClearAlerts(Max1704xStatusFlags.SocLow | Max1704xStatusFlags.ResetIndicator);

            Assert.Equal((ushort)0x4000, sim[Max1704xRegister.Status]);
            Assert.Equal(Max1704xCodec.ConfigDefault, sim[Max1704xRegister.Config]);
        }

        [Fact]
        public void PowerOnReset_ChipDoesNotAck_StillResets()
        {
            var sim = new SimulatedMax17048 { [Max1704xRegister.Config] = 0x1234 };
            using var gauge = new Max1704x(sim);

            gauge.PowerOnReset();

            Assert.Equal(1, sim.ResetCount);
            Assert.Equal(Max1704xCodec.ConfigDefault, gauge.ReadRegister(Max1704xRegister.Config));
        }

        [Fact]
        public void ReadRegister_UnknownAddress_ThrowsNamingIt()
        {
            var sim = new SimulatedMax17048();
            using var gauge = new Max1704x(sim);
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => gauge.ReadRegister((Max1704xRegister)0x03));
            Assert.Contains("0x03", ex.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => gauge.WriteRegister((Max1704xRegister)0x40, 0));
            Assert.Empty(sim.Writes); // nothing went on the bus
        }

        [Fact]
        public void TryRead_GaugeAbsent_FalseWithBusError()
        {
            var sim = new SimulatedMax17048 { Absent = true };
            using var gauge = new Max1704x(sim);
            Assert.False(gauge.TryRead(out Max1704xReading? reading, out string? error));
            Assert.Null(reading);
            Assert.Contains("no ACK", error);
            Assert.False(gauge.TryReadVoltageMillivolts(out _));
            Assert.False(gauge.TryReadStateOfChargePercent(out _));
            Assert.False(gauge.TryReadVersion(out _));
            Assert.Throws<IOException>(() => gauge.ReadVersion());

            sim.Absent = false;
            Assert.True(gauge.TryReadStateOfChargePercent(out double soc));
            Assert.Equal(60.0, soc, 6);
        }

        [Fact]
        public void TryReadVersion_WrongChip_False()
        {
            var sim = new SimulatedMax17048 { [Max1704xRegister.Version] = 0xFFFF };
            using var gauge = new Max1704x(sim);
            Assert.False(gauge.TryReadVersion(out ushort version));
            Assert.Equal((ushort)0xFFFF, version);
        }

        [Fact]
        public void Dispose_DisposesDeviceAndBlocksFurtherUse()
        {
            var sim = new SimulatedMax17048();
            var gauge = new Max1704x(sim);

            gauge.Dispose();
            gauge.Dispose();

            Assert.True(sim.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => gauge.ReadVoltageMillivolts());
            Assert.Throws<ObjectDisposedException>(() => gauge.TryReadStateOfChargePercent(out _));
        }

        [Fact]
        public void Constructor_NullDeviceOrBadVariant_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => new Max1704x(null!));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Max1704x(new SimulatedMax17048(), (Max1704xVariant)7));
        }
    }
}
