using AetherEdge.Core.FuelGauge;
using AetherEdge.HostNode.Power;

namespace AetherEdge.HostNode.Tests.Power
{
    public class BatterySourceChainTests
    {
        [Fact]
        public void Read_GaugeAnswers_GaugeWinsOverSysfs()
        {
            using var tree = new FakeSysfsTree().Supply("AC", ("type", "Mains"), ("online", "1"));
            var sim = new SimulatedMax17048 { [Max1704xRegister.Soc] = 0x5780, [Max1704xRegister.CRate] = 0xFFF6 };
            using var chain = new BatterySourceChain(new IBatterySource[]
            {
                new FuelGaugeBatterySource(new Max1704x(sim)),
                new SysfsBatterySource(tree.Root),
            });

            BatteryReading reading = chain.Read();

            Assert.Equal(88, reading.Status.Percent);
            Assert.False(reading.Status.PluggedIn);
            Assert.Equal("fuel gauge Max17048 88 % discharging (3.700 V, -2.1 %/h)", reading.Source);
        }

        [Fact]
        public void Read_GaugeAbsent_FallsBackToSysfsAndLogs()
        {
            using var tree = new FakeSysfsTree().Supply("BAT0", ("type", "Battery"), ("capacity", "33"), ("status", "Discharging"));
            var log = new StringWriter();
            using var chain = new BatterySourceChain(new IBatterySource[]
            {
                new FuelGaugeBatterySource(new Max1704x(new SimulatedMax17048 { Absent = true }), log: log),
                new SysfsBatterySource(tree.Root, log),
            });

            BatteryReading reading = chain.Read();

            Assert.Equal("battery BAT0 33 % discharging", reading.Source);
            Assert.Contains("power: fuel gauge Max17048 at 0x36 not answering", log.ToString());
        }

        [Fact]
        public void Read_NothingAnswers_AssumesMains()
        {
            using var tree = new FakeSysfsTree();
            using var chain = new BatterySourceChain(new IBatterySource[] { new SysfsBatterySource(tree.Root) });
            BatteryReading reading = chain.Read();
            Assert.Equal(BatterySourceChain.AssumedMainsSource, reading.Source);
            Assert.Equal(100, reading.Status.Percent);
            Assert.True(reading.Status.PluggedIn);
        }

        [Fact]
        public void Dispose_DisposesGaugeDevice()
        {
            var sim = new SimulatedMax17048();
            var chain = new BatterySourceChain(new IBatterySource[] { new FuelGaugeBatterySource(new Max1704x(sim)) });
            chain.Dispose();
            Assert.True(sim.IsDisposed);
        }

        [Fact]
        public void FuelGaugeSource_FullOnCharger_PluggedInFromHint()
        {
            var sim = new SimulatedMax17048 { [Max1704xRegister.Soc] = 0x6400, [Max1704xRegister.VCell] = 0xD200 };
            using var source = new FuelGaugeBatterySource(new Max1704x(sim), () => true);
            Assert.True(source.TryRead(out BatteryReading reading));
            Assert.True(reading.Status.PluggedIn);
            Assert.Equal("fuel gauge Max17048 100 % on external power (4.200 V, 0.0 %/h)", reading.Source);
        }

        [Fact]
        public void FuelGaugeSource_Charging_PluggedInWithoutHint()
        {
            var sim = new SimulatedMax17048 { [Max1704xRegister.CRate] = 0x0019 }; // +5.2 %/h
            using var source = new FuelGaugeBatterySource(new Max1704x(sim));
            Assert.True(source.TryRead(out BatteryReading reading));
            Assert.True(reading.Status.PluggedIn);
            Assert.Contains("charging", reading.Source);
        }

        [Fact]
        public void Create_WithoutGauge_UsesSysfsRoot()
        {
            using var tree = new FakeSysfsTree().Supply("AC", ("type", "Mains"), ("online", "1"));
            using var chain = BatterySourceChain.Create(new PowerOptions { SysfsRoot = tree.Root });
            Assert.Equal("mains AC", chain.Read().Source);
        }

        [Fact]
        public void Create_GaugeOnMissingBus_FallsBackWithoutThrowing()
        {
            using var tree = new FakeSysfsTree().Supply("BAT0", ("type", "Battery"), ("capacity", "70"), ("status", "Full"));
            var log = new StringWriter();
            // Bus 250 does not exist on any test machine: opening /dev/i2c-250 fails.
            using var chain = BatterySourceChain.Create(new PowerOptions { FuelGaugeI2cBus = 250, SysfsRoot = tree.Root }, log);
            BatteryReading reading = chain.Read();
            Assert.Equal("battery BAT0 70 % full", reading.Source);
            Assert.Contains("power: fuel gauge on I2C bus 250 unavailable", log.ToString());
        }
    }
}
