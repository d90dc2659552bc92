using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether init</c>: creates a home (config, user key, empty shard store).</summary>
    public sealed class InitVerb : IVerb, IHasFlags
    {
        public string Name => "init";

        public string Summary => "create a node home: config, user key and an empty shard store";

        public string Usage =>
            "usage: aether init [--home DIR] [--kind hub] [--allocation SIZE] [--name N] [--json]\n" +
            "  Writes HOME/config.json and HOME/user.key (32 random bytes, mode 0600; back it up: without it\n" +
            "  no file stored from this home can be read). --kind: hub (default), desktop, laptop, mobile, beacon.\n" +
            "  --allocation: quota for shards such as 500MB, 10GB or 100GiB (default: the kind's default,\n" +
            "  checked against the kind's min and max for the disk holding HOME).";

        public ICollection<string> Flags => new[] { "json" };

        public int Run(CommandLine args, CliContext context)
        {
            string path = HomeDirectory.Resolve(args.String("home"));
            string kindText = args.String("kind") ?? "hub";
            if (!StorageAllocation.TryParseKind(kindText, out DeviceKind kind))
            {
                throw new UsageException("unknown --kind '" + kindText + "' (hub, desktop, laptop, mobile or beacon)");
            }

            long? allocation = args.Has("allocation") ? args.Size("allocation", 0) : null;
            string? name = args.String("name");
            bool json = args.Flag("json");
            args.EnsureAllUsed(0);

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
