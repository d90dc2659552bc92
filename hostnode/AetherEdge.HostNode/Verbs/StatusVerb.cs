using System.CommandLine;
using System.Globalization;
using AetherEdge.Core.Allocation;
using System.Text.Json;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Power;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether status</c>: allocation and use of the shard store, after reconciling it.</summary>
    public sealed class StatusVerb : Command
    {
        private readonly SharedOptions _shared;
        private readonly Option<bool> _verify = CliOptions.Flag("--verify", "re-hash every shard (reads the whole store)");
        private readonly Option<bool> _mesh = CliOptions.Flag("--mesh", "the kit and its files as the running hub sees them (the dashboard's views)");

        public StatusVerb(SharedOptions shared, CliContext context)
            : base("status", "show allocation, used and available space, shard and file counts\n" +
                "Reconciles the store first (temp files deleted, orphan or damaged shard files quarantined).\n" +
                "Battery and power source come from /sys/class/power_supply (--sysfs-root to point elsewhere).\n" +
                "--mesh shows instead the dashboard's kit and files views, read from the hub running on this home:\n" +
                "every device (kind, online or last seen, battery or \"no battery\", use, shards, last sync, how it is\n" +
                "reached) and every file with its protection; ! marks a file at risk. With --json it prints the\n" +
                "dashboard's own /api/kit answer. Fails (exit 1) when no hub runs on the home.")
        {
            _shared = shared;
            Add(shared.Home);
            Add(shared.Json);
            Add(_verify);
            Add(_mesh);
            Add(shared.SysfsRoot);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            bool json = parse.GetValue(_shared.Json);
            bool verify = parse.GetValue(_verify);
            if (parse.GetValue(_mesh))
            {
                return Mesh(parse, context, json, verify);
            }

            string sysfsRoot = parse.GetValue(_shared.SysfsRoot) ?? SysfsBatterySource.DefaultRoot;
            var home = StoreVerbSupport.OpenHome(_shared, parse, writes: true);
            // Answers within a second on 100,000 files: no walk over the shard files unless --verify asks for one.
            using var store = StoreVerbSupport.OpenStore(home, context, verify, reconcile: false);
            long used = store.UsedBytes;
            long allocation = home.AllocationBytes;
            long available = StorageAllocation.AvailableBytes(allocation, used);
            double utilization = Math.Round(StorageAllocation.UtilizationPercent(allocation, used), 2);
            int shards = store.ShardCount;
            int files = store.ManifestCount;
            var r = store.OpenReport;
            BatteryReading power;
            using (var chain = BatterySourceChain.Create(new PowerOptions { SysfsRoot = sysfsRoot }, context.Error))
            {
                power = chain.Read();
            }

            if (json)
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    home = home.Path,
                    nodeName = home.Config.NodeName,
                    kind = home.Config.Kind,
                    allocationBytes = allocation,
                    usedBytes = used,
                    availableBytes = available,
                    utilizationPercent = utilization,
                    shards,
                    files,
                    quarantined = store.QuarantinedCount,
                    batteryPercent = power.Status.Percent,
                    pluggedIn = power.Status.PluggedIn,
                    powerSource = power.Source,
                    reconcile = new
                    {
                        tempFilesDeleted = r.TempFilesDeleted,
                        rowsWithoutFilesRemoved = r.RowsWithoutFilesRemoved,
                        orphanFilesQuarantined = r.OrphanFilesQuarantined,
                        corruptFilesQuarantined = r.CorruptFilesQuarantined,
                        shardsVerified = r.ShardsVerified,
                    },
                }));
            }
            else
            {
                var o = context.Out;
                o.WriteLine(home.Config.NodeName + " (" + home.Config.Kind + ") at " + home.Path);
                o.WriteLine("  allocation  " + SizeText.Format(allocation));
                o.WriteLine("  used        " + SizeText.Format(used) + " (" + utilization.ToString("0.##", CultureInfo.InvariantCulture) + " %)");
                o.WriteLine("  available   " + SizeText.Format(available));
                o.WriteLine("  shards      " + shards + " (" + files + " files)");
                o.WriteLine("  battery     " + power.Status.Percent + " %" + (power.Status.PluggedIn ? ", plugged in" : ", on battery") + " (" + power.Source + ")");
                if (store.QuarantinedCount > 0)
                {
                    o.WriteLine("  quarantine  " + store.QuarantinedCount + " files in " + store.QuarantinePath + " (see " + ShardStore.LogFileName + ")");
                }

                if (!r.Clean || verify)
                {
                    o.WriteLine("  reconcile   " + r);
                }
            }

            return CliHost.ExitOk;
        }

        /// <summary>The dashboard's kit and files views from the running hub (one model, the page's other renderer).</summary>
        private int Mesh(ParseResult parse, CliContext context, bool json, bool verify)
        {
            if (verify || parse.GetValue(_shared.SysfsRoot) != null)
            {
                throw new UsageException("--mesh shows the running hub's view; it cannot be combined with " + (verify ? "--verify" : "--sysfs-root"));
            }

            var home = StoreVerbSupport.OpenHome(_shared, parse, writes: false);
            var kit = KitClient.TryRead(home.Path, out string why) ?? throw new IOException(why);
            if (json)
            {
                context.Out.WriteLine(JsonSerializer.Serialize(kit, DashboardJsonContext.Default.KitSnapshot));
                return CliHost.ExitOk;
            }

            KitText.WriteDevices(context.Out, kit);
            context.Out.WriteLine();
            KitText.WriteFiles(context.Out, kit);
            return CliHost.ExitOk;
        }
    }
}
