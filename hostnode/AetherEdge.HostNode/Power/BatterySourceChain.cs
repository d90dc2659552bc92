using AetherEdge.Core.Devices;
using AetherEdge.Core.FuelGauge;

namespace AetherEdge.HostNode.Power
{
    /// <summary>Which battery sources the hub uses; the defaults mean "sysfs only".</summary>
    public sealed class PowerOptions
    {
        /// <summary>I2C bus of a MAX1704x gauge (1 on a Pi header), or null when none is fitted.</summary>
        public int? FuelGaugeI2cBus { get; init; }

        /// <summary>Which gauge chip is fitted.</summary>
        public Max1704xVariant FuelGaugeVariant { get; init; } = Max1704xVariant.Max17048;

        /// <summary>The power_supply class directory.</summary>
        public string SysfsRoot { get; init; } = SysfsBatterySource.DefaultRoot;
    }

    /// <summary>
    /// The hub's one battery answer: asks each source in order (I2C gauge if configured, then sysfs) and
    /// takes the first that answers; when none does, mains 100 % ("none: assuming mains"). Never throws
    /// for hardware or file trouble. Disposes the sources it owns.
    /// </summary>
    public sealed class BatterySourceChain : IDisposable
    {
        /// <summary>Source text when no source answered.</summary>
        public const string AssumedMainsSource = "none: assuming mains";

        private readonly IReadOnlyList<IBatterySource> _sources;

        /// <summary>Uses <paramref name="sources"/> in order of preference.</summary>
        public BatterySourceChain(IReadOnlyList<IBatterySource> sources)
        {
            ArgumentNullException.ThrowIfNull(sources);
            _sources = sources;
        }

        /// <summary>
        /// Builds the default order from <paramref name="options"/>: a MAX1704x on the configured bus, then sysfs.
        /// A bus that cannot be opened (no /dev/i2c-N: I2C not enabled) is logged and left out; a gauge that
        /// does not answer on an open bus is logged at each failed read and the chain falls through to sysfs.
        /// </summary>
        public static BatterySourceChain Create(PowerOptions options, TextWriter? log = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            var sysfs = new SysfsBatterySource(options.SysfsRoot, log);
            var sources = new List<IBatterySource>();
            if (options.FuelGaugeI2cBus is int bus)
            {
                try
                {
                    Max1704x gauge = Max1704x.Create(bus, options.FuelGaugeVariant);
                    sources.Add(new FuelGaugeBatterySource(gauge, () => MainsOnline(sysfs), log));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
                {
                    (log ?? TextWriter.Null).WriteLine("power: fuel gauge on I2C bus " + bus + " unavailable (" + ex.Message + "); using " + options.SysfsRoot);
                }
            }

            sources.Add(sysfs);
            return new BatterySourceChain(sources);
        }

        /// <summary>The current battery state and its source; mains 100 % when no source answers.</summary>
        public BatteryReading Read()
        {
            foreach (IBatterySource source in _sources)
            {
                if (source.TryRead(out BatteryReading reading))
                {
                    return reading;
                }
            }

            return new BatteryReading(BatteryStatus.Mains, AssumedMainsSource, HasBattery: false);
        }

        /// <summary>Disposes every source that is disposable (the gauge and its I2C device).</summary>
        public void Dispose()
        {
            foreach (IBatterySource source in _sources)
            {
                (source as IDisposable)?.Dispose();
            }
        }

        private static bool MainsOnline(SysfsBatterySource sysfs)
        {
            return sysfs.ReadSupplies().Any(s => (s.Type is PowerSupplyType.Mains or PowerSupplyType.Usb) && s.Online == true);
        }
    }
}
