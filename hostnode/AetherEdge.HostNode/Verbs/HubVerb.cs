using System.Net;
using AetherEdge.Core.Allocation;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether hub</c>: the long-running node daemon (sync, metrics; systemd-ready).</summary>
    public sealed class HubVerb : IVerb, IHasFlags
    {
        public string Name => "hub";

        public string Summary => "run the node daemon: sync with trusted peers, serve metrics";

        public string Usage =>
            "usage: aether hub [--home DIR] [--name N] [--kind hub] [--allocation 10GB] [--port 43216]\n" +
            "                  [--http-port 43217] [--interface IP] [--peers IP:PORT,...] [--sync-interval 30]\n" +
            "                  [--online-window 180] [--no-mdns]\n" +
            "  Runs until SIGINT/SIGTERM. Settings come from embedded defaults, then HOME/config.json and\n" +
            "  HOME/hub.json, then these options. Only devices in the trust circle (aether trust/pair) can\n" +
            "  connect. Metrics: http://127.0.0.1:HTTP-PORT/metrics (Prometheus text). A peer unheard of for\n" +
            "  --online-window seconds leaves the placement plans (its shards are re-placed or rebuilt).";

        public ICollection<string> Flags => new[] { "no-mdns" };

        public int Run(CommandLine args, CliContext context)
        {
            string home = HomeDirectory.Ensure(HomeDirectory.Resolve(args.String("home")));
            var settings = HubSettings.Load(home);
            string? name = args.String("name");
            if (name != null)
            {
                settings.Name = name.Trim().Length == 0 ? throw new UsageException("--name must not be empty") : name.Trim();
            }

            string? kind = args.String("kind");
            if (kind != null)
            {
                if (!StorageAllocation.TryParseKind(kind, out var k))
                {
                    throw new UsageException("--kind must be hub, desktop, laptop, mobile or beacon, got '" + kind + "'");
                }

                settings.Kind = k;
                if (!settings.AllocationSet)
                {
                    settings.AllocationBytes = StorageAllocation.DefaultAllocationBytes(k);
                }
            }

            settings.AllocationBytes = args.Size("allocation", settings.AllocationBytes);
            if (settings.AllocationBytes <= 0)
            {
                throw new UsageException("--allocation must be more than 0 bytes");
            }

            settings.Port = args.Int("port", settings.Port, 1, 65535);
            settings.HttpPort = args.Int("http-port", settings.HttpPort, 0, 65535);
            settings.SyncIntervalSeconds = args.Int("sync-interval", settings.SyncIntervalSeconds, 1, 86400);
            settings.OnlineWindowSeconds = args.Int("online-window", settings.OnlineWindowSeconds, 1, 86400);
            string? itf = args.String("interface");
            if (itf != null)
            {
                settings.Interface = IPAddress.TryParse(itf, out var ip) ? ip : throw new UsageException("--interface must be an IP address, got '" + itf + "'");
            }

            string? peers = args.String("peers");
            if (peers != null)
            {
                foreach (string p in peers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    settings.StaticPeers.Add(IPEndPoint.TryParse(p, out var ep) && ep.Port != 0 ? ep : throw new UsageException("--peers takes IP:PORT entries separated by commas, got '" + p + "'"));
                }
            }

            if (args.Flag("no-mdns"))
            {
                settings.Mdns = false;
            }

            args.EnsureAllUsed(0);
            try
            {
                return HubHost.Run(settings, context.Out, context.Error, context.Cancellation);
            }
            catch (AetherEdge.HostNode.Home.HomeException e)
            {
                throw new UsageException(e.Message);
            }
        }
    }
}
