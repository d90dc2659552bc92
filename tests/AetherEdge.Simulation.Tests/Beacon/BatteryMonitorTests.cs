using AetherEdge.Core.FuelGauge;
using AetherEdge.Core.Gatt;
using AetherEdge.Firmware.Beacon;

namespace AetherEdge.Simulation.Tests.Beacon
{
    /// <summary>The firmware's fuel-gauge path (gauge driver → battery rule → advertisement) on a simulated MAX17048.</summary>
    public class BatteryMonitorTests
    {
        private static (BeaconNode Node, SimulatedFuelGauge Chip, BatteryMonitor Monitor) Beacon()
        {
            var node = new BeaconNode(new BeaconConfig(0x0B000001, 1 << 20), new SimulatedSdCard(), new SimRandom(1));
            var chip = new SimulatedFuelGauge();
            var monitor = new BatteryMonitor(new Max1704xGauge(chip, Max1704xVariant.Max17048), node, 1000, chargerSensed: false);
            return (node, chip, monitor);
        }

        private static BeaconAdvertisement Advertised(BeaconNode node)
        {
            var ad = new byte[BeaconAdvertisement.Length];
            Assert.True(node.TryWriteAdvertisement(ad, 0, out int written));
            return BeaconAdvertisement.Parse(ad, 0, written);
        }

        [Fact]
        public void LowCell_StopsBulk_AndIsAdvertised_ResumesWhenCharging()
        {
            var (node, chip, monitor) = Beacon();
            chip.SetCharge(25, rateLsb: -20);
            Assert.True(monitor.Step(0));
            Assert.False(node.Power.AcceptsBulk);
            var ad = Advertised(node);
            Assert.Equal((25, false, false, false), (ad.BatteryPercent, ad.PluggedIn, ad.AcceptsBulk, ad.NoBattery));

            chip.SetCharge(26, rateLsb: 40); // on the charger: +8.3 %/h
            Assert.False(monitor.Step(999)); // not due yet
            Assert.True(monitor.Step(1000));
            ad = Advertised(node);
            Assert.Equal((26, true, true), (ad.BatteryPercent, ad.PluggedIn, ad.AcceptsBulk));
        }

        [Fact]
        public void GaugeGlitch_KeepsLastReading_NoCellAfterThreeFailures_AdvertisedAsNoBattery()
        {
            var (node, chip, monitor) = Beacon();
            chip.SetCharge(20, rateLsb: -5);
            monitor.Step(0);
            chip.Absent = true;
            Assert.False(monitor.Step(1000)); // one failed read must not lift the low-battery stop
            Assert.False(monitor.Step(2000));
            Assert.False(node.Power.AcceptsBulk);
            Assert.True(monitor.Step(3000)); // third in a row: the gauge has no cell to power it
            var ad = Advertised(node);
            Assert.True(ad.NoBattery && ad.PluggedIn && ad.AcceptsBulk);
            Assert.Equal(3, monitor.Failures);
        }

        [Fact]
        public void GaugeNeverAnswers_ReportsNoBatteryAtOnce()
        {
            var (node, chip, monitor) = Beacon();
            chip.Absent = true;
            monitor.Step(0);
            Assert.True(Advertised(node).NoBattery);
            Assert.True(node.Power.AcceptsBulk);
        }
    }
}
