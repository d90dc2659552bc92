using System.CommandLine;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether init</c>: creates a home (config, user key, empty shard store).</summary>
    public sealed class InitVerb : Command
    {
        private readonly SharedOptions _shared;
        private readonly Option<string?> _name = CliOptions.Text("--name", "this node's name (default: the host name)", "NAME");

        public InitVerb(SharedOptions shared, CliContext context)
            : base("init", "create a node home: config, user key and an empty shard store\n" +
                "Writes HOME/config.json and HOME/user.key (32 random bytes, mode 0600; back it up: without it\n" +
                "no file stored from this home can be read). --kind defaults to hub; --allocation to the kind's\n" +
                "default, checked against the kind's minimum and maximum for the disk holding HOME.")
        {
            _shared = shared;
            Add(shared.Home);
            Add(shared.Kind);
            Add(shared.Allocation);
            Add(_name);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            string path = _shared.HomePath(parse);
            DeviceKind kind = parse.GetValue(_shared.Kind) ?? DeviceKind.Hub;
            long? allocation = parse.GetValue(_shared.Allocation);
            string? name = parse.GetValue(_name);
            bool json = parse.GetValue(_shared.Json);
            StoreVerbSupport.RefuseFileAsHome(path);
            if (!NodeHome.IsInitialized(path))
            {
                StoreVerbSupport.EnsureWritable(path);
            }

            NodeHome home;
            try
            {
                home = NodeHome.Init(path, kind, allocation, name, DateTimeOffset.UtcNow);
            }
            catch (HomeException e)
            {
                throw new UsageException(e.Message);
            }

            using (ShardStore.Open(home.Path, home.AllocationBytes))
            {
            }

            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    home = home.Path,
                    nodeName = home.Config.NodeName,
                    kind = home.Config.Kind,
                    allocationBytes = home.AllocationBytes,
                    port = home.Config.Port,
                }));
            }
            else
            {
                context.Out.WriteLine("initialised " + home.Path + ": " + home.Config.Kind + " '" + home.Config.NodeName +
                    "', allocation " + SizeText.Format(home.AllocationBytes) + ", port " + home.Config.Port);
            }

            return CliHost.ExitOk;
        }
    }
}
