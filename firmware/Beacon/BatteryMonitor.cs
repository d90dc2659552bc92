namespace AetherEdge.Firmware.Beacon
{
    using AetherEdge.Core.Devices;
    using AetherEdge.Core.FuelGauge;

    /// <summary>
    /// Feeds the fuel gauge into the beacon's battery rule (<see cref="BeaconPowerPolicy"/>) and so into its
    /// advertisement. Reads every <see cref="PeriodMilliseconds"/> (first at the first step). A failed read keeps
    /// the last reading (one glitch on the bus must not lift the low-battery stop); after
    /// <see cref="FailuresBeforeMains"/> failures in a row, or when the gauge has never answered, the beacon reports
    /// mains: the MAX1704x is powered from the cell, so a gauge that does not ACK means no cell is fitted and the
    /// beacon runs on USB. Stepped from the beacon's one thread.
    /// </summary>
    public sealed class BatteryMonitor
    {
        /// <summary>Default read period: the gauge's SOC moves slowly and every read wakes the bus.</summary>
        public const long DefaultPeriodMilliseconds = 60000;

        /// <summary>Consecutive failed reads after which the beacon counts as having no cell.</summary>
        public const int FailuresBeforeMains = 3;

        private readonly Max1704xGauge _gauge;
        private readonly BeaconNode _node;
        private readonly bool _chargerSensed;
        private long _due = long.MinValue;
        private int _failuresInRow;
        private bool _everRead;

        /// <summary>
        /// Monitors <paramref name="gauge"/> for <paramref name="node"/>; <paramref name="chargerSensed"/> says the
        /// board's charger input is known present (a full cell on a charger shows no charge rate).
        /// </summary>
        public BatteryMonitor(Max1704xGauge gauge, BeaconNode node, long periodMilliseconds, bool chargerSensed)
        {
            _gauge = gauge;
            _node = node;
            PeriodMilliseconds = periodMilliseconds;
            _chargerSensed = chargerSensed;
        }

        /// <summary>Milliseconds between reads.</summary>
        public long PeriodMilliseconds { get; }

        /// <summary>Successful reads.</summary>
        public long Reads { get; private set; }

        /// <summary>Failed reads.</summary>
        public long Failures { get; private set; }

        /// <summary>
        /// Reads the gauge when due and applies it. True when what the beacon advertises changed (battery
        /// percent, power source or the accepts-bulk flag): the glue then advertises again.
        /// </summary>
        public bool Step(long nowMs)
        {
            if (nowMs < _due)
            {
                return false;
            }

            _due = nowMs + PeriodMilliseconds;
            BatteryStatus before = _node.Power.Battery;
            bool bulkBefore = _node.Power.AcceptsBulk;
            bool cellBefore = _node.HasBattery;
            Max1704xReading? reading = _gauge.TryRead();
            if (reading != null)
            {
                Reads++;
                _failuresInRow = 0;
                _everRead = true;
                _node.UpdateBattery(reading.ToBatteryStatus(_chargerSensed));
            }
            else
            {
                Failures++;
                _failuresInRow++;
                if (!_everRead || _failuresInRow >= FailuresBeforeMains)
                {
                    _node.UpdateNoBattery();
                }
            }

            BatteryStatus after = _node.Power.Battery;
            return after.Percent != before.Percent || after.PluggedIn != before.PluggedIn || _node.Power.AcceptsBulk != bulkBefore
                || _node.HasBattery != cellBefore;
        }
    }
}
