using System.Globalization;
using AetherEdge.Core.FuelGauge;

namespace AetherEdge.HostNode.Power
{
    /// <summary>
    /// Battery state from a MAX17048/MAX17049 gauge (e.g. on a Pi UPS HAT). Owns and disposes the gauge.
    /// The gauge cannot see the charger input, so plugged-in comes from <paramref name="externalPowerHint"/>
    /// when given (e.g. a sysfs mains supply or a GPIO), else from a positive charge rate.
    /// </summary>
    public sealed class FuelGaugeBatterySource(Max1704x gauge, Func<bool>? externalPowerHint = null, TextWriter? log = null)
        : IBatterySource, IDisposable
    {
        private readonly PowerLog _log = new(log);

        /// <summary>Reads VCELL/SOC/CRATE; false (logged once per distinct error) when the bus fails.</summary>
        public bool TryRead(out BatteryReading reading)
        {
            reading = null!;
            if (!gauge.TryRead(out Max1704xReading? sample, out string? error))
            {
                _log.Warn("fuel gauge " + gauge.Variant + " at 0x36 not answering (" + error + ")");
                return false;
            }

            bool external = externalPowerHint is not null && externalPowerHint();
            var status = sample!.ToBatteryStatus(external);
            string state = sample.IsCharging ? "charging" : (status.PluggedIn ? "on external power" : "discharging");
            string text = "fuel gauge " + gauge.Variant + " " + status.Percent.ToString(CultureInfo.InvariantCulture) + " % "
                + state + " ("
                + (sample.VoltageMillivolts / 1000.0).ToString("0.000", CultureInfo.InvariantCulture) + " V, "
                + sample.ChargeRatePercentPerHour.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %/h)";
            reading = new BatteryReading(status, text);
            return true;
        }

        /// <summary>Disposes the gauge and its I2C device.</summary>
        public void Dispose()
        {
            gauge.Dispose();
        }
    }
}
