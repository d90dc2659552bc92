using System.CommandLine;
using System.Net;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// Options several verbs take, declared once: the same instance is added to every verb that takes
    /// it, so name, type, range and help text cannot drift apart.
    /// </summary>
    public sealed class SharedOptions
    {
        private static readonly (string, DeviceKind)[] s_kinds =
        {
            ("desktop", DeviceKind.Desktop), ("laptop", DeviceKind.Laptop), ("mobile", DeviceKind.Mobile),
            ("hub", DeviceKind.Hub), ("beacon", DeviceKind.Beacon),
        };

        public Option<string?> Home { get; } = CliOptions.Path(
            "--home", "the node's home directory (default: $AETHER_HOME, else $XDG_DATA_HOME/aether, else ~/.local/share/aether)", "DIR");

        public Option<bool> Json { get; } = CliOptions.Flag("--json", "machine-readable output (JSON)");

        public Option<IPEndPoint[]?> Peers { get; } = CliOptions.Endpoints(
            "--peers", "trusted peers to reach directly: IP:PORT or HOST:PORT separated by commas (see also \"peers\" in HOME/hub.json)");

        public Option<IPAddress?> Interface { get; } = CliOptions.Address(
            "--interface", "use only the network interface holding this address (default: every interface)");

        public Option<DeviceKind?> Kind { get; } = CliOptions.Choice("--kind", "what this device is", s_kinds);

        public Option<long?> Allocation { get; } = CliOptions.OptionalSize(
            "--allocation", "quota for shards such as 500MB, 10GB or 100GiB (default: the kind's default)", min: 1);

        public Option<string?> SysfsRoot { get; } = CliOptions.Path(
            "--sysfs-root", "power_supply directory to read the battery from (default /sys/class/power_supply)", "DIR");

        /// <summary>The home directory this invocation means (<c>--home</c>, else the environment's default).</summary>
        public string HomePath(ParseResult parse) => HomeDirectory.Resolve(parse.GetValue(Home));
    }
}
