using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AetherEdge.Core.FuelGauge;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Power;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether power</c>: what this host knows about its battery and power source.</summary>
    public sealed class PowerVerb : Command
    {
        private readonly SharedOptions _shared;
        private readonly Option<int?> _bus = CliOptions.OptionalInt(
            "--i2c-bus", "read a MAX17048/MAX17049 fuel gauge at 0x36 on /dev/i2c-N first (Raspberry Pi header: 1; default: no gauge)", 0, 255);

        private readonly Option<string?> _gauge = CliOptions.Text("--gauge", "max17048 (1 cell, default) or max17049 (2 cells)", "CHIP");

        public PowerVerb(SharedOptions shared, CliContext context)
            : base("power", "show this host's battery and power source (fuel gauge or /sys/class/power_supply)\n" +
                "Problems reading the gauge or odd sysfs files are reported on stderr; the answer\n" +
                "falls back to sysfs, then to \"none: assuming mains\".")
        {
            _shared = shared;
            _gauge.CompletionSources.Add("max17048", "max17049");
            Add(_bus);
            Add(_gauge);
            Add(shared.SysfsRoot);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            int? bus = parse.GetValue(_bus);
            string gauge = parse.GetValue(_gauge) ?? "max17048";
            string sysfsRoot = parse.GetValue(_shared.SysfsRoot) ?? SysfsBatterySource.DefaultRoot;
            bool json = parse.GetValue(_shared.Json);
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
