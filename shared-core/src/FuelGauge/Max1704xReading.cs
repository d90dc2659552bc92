using AetherEdge.Core.Devices;

namespace AetherEdge.Core.FuelGauge
{
    /// <summary>One decoded sample of the gauge: VCELL, SOC and CRATE read together.</summary>
    public sealed class Max1704xReading
    {
        /// <summary>CRATE above this (%/h) counts as charging, i.e. external power present; one LSB is 0.208 %/h.</summary>
        public const double ChargingThresholdPercentPerHour = 0.1;

        /// <summary>Decodes the three raw register words.</summary>
        public Max1704xReading(ushort vcell, ushort soc, ushort crate, Max1704xVariant variant)
        {
            RawVCell = vcell;
            RawSoc = soc;
            RawCRate = crate;
            VoltageMillivolts = Max1704xCodec.DecodeVoltageMillivolts(vcell, variant);
            StateOfChargePercent = Max1704xCodec.DecodeStateOfChargePercent(soc);
            ChargeRatePercentPerHour = Max1704xCodec.DecodeChargeRatePercentPerHour(crate);
        }

        /// <summary>Raw VCELL word.</summary>
        public ushort RawVCell { get; }

        /// <summary>Raw SOC word.</summary>
        public ushort RawSoc { get; }

        /// <summary>Raw CRATE word.</summary>
        public ushort RawCRate { get; }

        /// <summary>Pack voltage in millivolts (0..5120 for MAX17048, 0..10240 for MAX17049).</summary>
        public double VoltageMillivolts { get; }

        /// <summary>State of charge in percent, 0..~256 as the IC reports it (not clamped).</summary>
        public double StateOfChargePercent { get; }

        /// <summary>Charge (+) or discharge (−) rate in percent per hour.</summary>
        public double ChargeRatePercentPerHour { get; }

        /// <summary>True when the cell is charging faster than <see cref="ChargingThresholdPercentPerHour"/>.</summary>
        public bool IsCharging
        {
            get { return ChargeRatePercentPerHour > ChargingThresholdPercentPerHour; }
        }

        /// <summary>
        /// The device-model view: whole percent (rounded, clamped to 0..100); plugged in when the
        /// gauge sees charging, or when <paramref name="externalPowerKnownPresent"/> says so. A full
        /// cell on a charger shows no charge rate, so pass what the board knows about its input.
        /// </summary>
        public BatteryStatus ToBatteryStatus(bool externalPowerKnownPresent)
        {
            int percent = (int)(StateOfChargePercent + 0.5);
            return new BatteryStatus(percent, externalPowerKnownPresent || IsCharging);
        }
    }
}
