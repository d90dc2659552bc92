using AetherEdge.Core.Devices;
using AetherEdge.Core.FuelGauge;

namespace AetherEdge.Core.Tests.FuelGauge
{
    public class Max1704xReadingTests
    {
        [Fact]
        public void Constructor_DecodesAllThreeWords()
        {
            var reading = new Max1704xReading(0xB900, 0x5780, 0xFFFB, Max1704xVariant.Max17048);
            Assert.Equal(3700.0, reading.VoltageMillivolts, 9);
            Assert.Equal(87.5, reading.StateOfChargePercent, 9);
            Assert.Equal(-1.04, reading.ChargeRatePercentPerHour, 6);
            Assert.False(reading.IsCharging);
        }

        [Fact]
        public void ToBatteryStatus_Discharging_RoundsAndIsUnplugged()
        {
            BatteryStatus status = new Max1704xReading(0xB900, 0x5780, 0xFFFB, Max1704xVariant.Max17048).ToBatteryStatus(false);
            Assert.Equal(88, status.Percent);
            Assert.False(status.PluggedIn);
        }

        [Fact]
        public void ToBatteryStatus_ChargingOrExternalPower_IsPluggedIn()
        {
            Assert.True(new Max1704xReading(0xD000, 0x3200, 0x0030, Max1704xVariant.Max17048).ToBatteryStatus(false).PluggedIn);
            Assert.True(new Max1704xReading(0xD200, 0x6400, 0x0000, Max1704xVariant.Max17048).ToBatteryStatus(true).PluggedIn);
        }

        [Fact]
        public void ToBatteryStatus_SocOverHundred_IsClamped()
        {
            Assert.Equal(100, new Max1704xReading(0xD200, 0x6680, 0, Max1704xVariant.Max17048).ToBatteryStatus(false).Percent);
        }
    }
}
