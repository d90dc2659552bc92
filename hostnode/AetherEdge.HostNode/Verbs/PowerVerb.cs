using System.Globalization;
using System.Text.Json;
using AetherEdge.Core.FuelGauge;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Power;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether power</c>: what this host knows about its battery and power source.</summary>
    public sealed class PowerVerb : IVerb, IHasFlags
    {
        public string Name => "power";

        public string Summary => "show this host's battery and power source (fuel gauge or /sys/class/power_supply)";

        public string Usage => """
            usage: aether power [--i2c-bus N] [--gauge max17048|max17049] [--sysfs-root DIR] [--json]

              --i2c-bus N        read a MAX17048/MAX17049 fuel gauge at 0x36 on /dev/i2c-N first
                                 (Raspberry Pi header: 1); default: no gauge
              --gauge CHIP       max17048 (1 cell, default) or max17049 (2 cells)
              --sysfs-root DIR   power_supply directory (default /sys/class/power_supply)
              --json             machine-readable output
            Problems reading the gauge or odd sysfs files are reported on stderr; the answer
            falls back to sysfs, then to "none: assuming mains".
            """;

        public ICollection<string> Flags { get; } = new[] { "json" };

        public int Run(CommandLine args, CliContext context)
        {
            int? bus = args.Has("i2c-bus") ? args.Int("i2c-bus", 1, 0, 255) : null;
            string gauge = args.String("gauge") ?? "max17048";
            string sysfsRoot = args.String("sysfs-root") ?? SysfsBatterySource.DefaultRoot;
            bool json = args.Flag("json");
            args.EnsureAllUsed(0);
            Max1704xVariant variant = gauge switch
            {
                "max17048" => Max1704xVariant.Max17048,
                "max17049" => Max1704xVariant.Max17049,
                _ => throw new UsageException("option --gauge must be max17048 or max17049, got '" + gauge + "'"),
            };

            var options = new PowerOptions { FuelGaugeI2cBus = bus, FuelGaugeVariant = variant, SysfsRoot = sysfsRoot };
            BatteryReading reading;
            using (BatterySourceChain chain = BatterySourceChain.Create(options, context.Error))
            {
                reading = chain.Read();
            }

            if (json)
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    percent = reading.Status.Percent,
                    pluggedIn = reading.Status.PluggedIn,
                    source = reading.Source,
                }));
            }
            else
            {
                context.Out.WriteLine("battery:    " + reading.Status.Percent.ToString(CultureInfo.InvariantCulture) + " %");
                context.Out.WriteLine("plugged in: " + (reading.Status.PluggedIn ? "yes" : "no"));
                context.Out.WriteLine("source:     " + reading.Source);
            }

            return CliHost.ExitOk;
        }
    }
}
