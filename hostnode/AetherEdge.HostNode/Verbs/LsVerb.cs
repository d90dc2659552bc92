using System.CommandLine;
using System.Globalization;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Files;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// <c>aether ls</c>: this user's files held here: id, name, size, when, and their protection across the kit
    /// as the running hub sees it (the dashboard's files view), else how many shards are here.
    /// </summary>
    public sealed class LsVerb : Command
    {
        private readonly SharedOptions _shared;
        private readonly Option<int?> _limit = CliOptions.OptionalInt("--limit", "list at most N files: one page of the list (with --offset)", 1, int.MaxValue);
        private readonly Option<int> _offset = CliOptions.Int("--offset", "skip the first N files of the list (sorted by name)", 0, 0, int.MaxValue);

        public LsVerb(SharedOptions shared, CliContext context)
            : base("ls", "list your files: id, name, size, when put, protection across the kit\n" +
                "Lists every file whose manifest this device holds and your user key authenticates (put here or\n" +
                "synced from your other devices), by name. ID is the first 12 characters of the file id; get and\n" +
                "rm take a name, a file id or a unique id prefix of at least 8 characters.\n" +
                "PROTECTION comes from the hub running on this home (the dashboard's files view): how many device\n" +
                "losses the file survives, shards placed where the plan puts them, repair under way. A line starting\n" +
                "with ! is a file at risk: one more device loss (or none) leaves it unreadable. Without a running hub,\n" +
                "ls shows the shards held here and says why the kit's view is missing.\n" +
                "JSON: {\"files\":[{\"fileId\":...,\"name\":...,\"bytes\":N,\"created\":ISO-8601,\"dataShards\":K,\n" +
                "\"totalShards\":N,\"shardsHere\":H,\"sameContentAs\":ID or null,\"protection\":{\"state\":\"protected\"|\n" +
                "\"at risk\"|\"unreadable\"|\"checking\",\"survivesLosses\":N,\"placed\":P,\"planned\":Q,\"available\":A,\n" +
                "\"repairing\":bool} or null}],\"total\":N,\"offset\":N,\"otherUsersFiles\":N,\"kit\":null or why the hub's view\n" +
                "is missing}; with --limit/--offset, files is that page of the name-sorted list and total counts them all.\n" +
                "The same content put again under another name is stored once and listed under both names.")
        {
            _shared = shared;
            Add(shared.Home);
            Add(shared.Json);
            Add(_limit);
            Add(_offset);
            SetAction(parse => Run(parse, context));
        }

        /// <summary>Largest page whose shards here are counted by a lookup per shard; a larger one reads every shard id once.</summary>
        public const int MaxCountedPage = 1000;

        /// <summary>Characters of the file id ls prints (get and rm accept any unique prefix of 8 or more).</summary>
        public const int ShownIdChars = 12;

        private int Run(ParseResult parse, CliContext context)
        {
            bool json = parse.GetValue(_shared.Json);
            var home = StoreVerbSupport.OpenHome(_shared, parse, writes: false);
            var keys = StoreVerbSupport.Keys(home);
            string kitMissing = string.Empty;
            // A read-only answer: no walk over every shard file (status does the same).
            using var store = StoreVerbSupport.OpenStore(home, context, reconcile: false);
            int offset = parse.GetValue(_offset);
            int limit = parse.GetValue(_limit) ?? int.MaxValue;

            // A small page counts its own files' shards (a lookup each) instead of reading every shard id of the home.
            bool smallPage = limit <= MaxCountedPage;
            var catalog = FileCatalog.Read(store, keys, countShardsHere: !smallPage);
            var page = catalog.Files.Skip(offset).Take(limit).ToList();
            if (smallPage)
            {
                page = page.Select(f => f.WithShardsHere(f.Manifest.ShardIds.Count(store.HasShard))).ToList();
            }

            // The running hub's plan and peers' inventories: what protects each file across the kit.
            var kit = page.Count == 0 ? null : KitClient.TryRead(home.Path, out kitMissing);
            var rows = new Dictionary<string, FileRow>(StringComparer.Ordinal);
            foreach (var r in kit?.Files ?? Array.Empty<FileRow>())
            {
                rows[r.Id] = r;
            }

            FileRow? Row(FileEntry f) => rows.TryGetValue(f.DataId, out var r) ? r : null;
            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    files = page.Select(f => new
                    {
                        fileId = f.FileId,
                        name = f.Name,
                        bytes = f.Bytes,
                        created = f.CreatedUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                        dataShards = f.Manifest.DataShards,
                        totalShards = f.Manifest.TotalShards,
                        shardsHere = f.ShardsHere,
                        sameContentAs = f.IsExtraName ? f.DataId : null,
                        protection = Row(f) is FileRow r ? new
                        {
                            state = r.State,
                            survivesLosses = r.SurvivesLosses,
                            placed = r.Placed,
                            planned = r.Planned,
                            available = r.Available,
                            repairing = r.Repairing,
                        } : null,
                    }),
                    total = catalog.Files.Count,
                    offset,
                    otherUsersFiles = catalog.OtherUsersFiles,
                    kit = kit == null ? kitMissing : null,
                }));
                return CliHost.ExitOk;
            }

            var o = context.Out;
            if (catalog.Files.Count == 0)
            {
                o.WriteLine("no files of yours here yet (aether put FILE stores one)");
            }
            else if (page.Count == 0)
            {
                o.WriteLine("no files at offset " + offset + " (" + catalog.Files.Count + " in all)");
            }
            else
            {
                int nameWidth = Math.Clamp(page.Max(f => f.Label.Length), 4, 48);
                o.WriteLine("  " + "ID".PadRight(ShownIdChars + 2) + "NAME".PadRight(nameWidth + 2) + "SIZE".PadLeft(9) + "  PUT (UTC)         " + (kit == null ? "SHARDS HERE" : "PROTECTION"));
                foreach (var f in page)
                {
                    var row = Row(f);
                    string protection = row != null ? KitText.Protection(row) : kit != null ? "not in the hub's view yet; " + Protection(f) : Protection(f);
                    o.WriteLine((row != null && KitText.AtRisk(row) ? KitText.RiskMark + " " : "  ") + f.FileId.Substring(0, ShownIdChars) + "  " +
                        Fit(f.Name ?? "(no name)", nameWidth).PadRight(nameWidth + 2) +
                        SizeText.Format(f.Bytes).PadLeft(9) + "  " + f.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) +
                        "  " + protection + (f.IsExtraName ? "; same content as " + f.DataId.Substring(0, ShownIdChars) : string.Empty));
                }

                long total = catalog.Files.Where(f => !f.IsExtraName).Sum(f => f.Bytes);
                int atRisk = catalog.Files.Count(f => Row(f) is FileRow r && KitText.AtRisk(r));
                o.WriteLine(catalog.Files.Count + (catalog.Files.Count == 1 ? " file, " : " files, ") + SizeText.Format(total) +
                    (atRisk > 0 ? "; " + atRisk + " AT RISK (marked !)" : string.Empty) +
                    (page.Count < catalog.Files.Count ? "; listed " + (offset + 1) + "-" + (offset + page.Count) + " (--offset, --limit)" : string.Empty));
                if (kit == null)
                {
                    o.WriteLine("protection across the kit unknown: " + kitMissing);
                }
            }

            if (catalog.OtherUsersFiles > 0)
            {
                o.WriteLine("(and " + catalog.OtherUsersFiles + " files of other users this device keeps shards for; it cannot read them)");
            }

            return CliHost.ExitOk;
        }

        /// <summary>"12/15 here (any 5 rebuild it; readable here)": what this device alone holds against what a rebuild needs.</summary>
        public static string Protection(FileEntry f)
        {
            int k = f.Manifest.DataShards;
            string state = f.ShardsHere >= k ? "readable here" : "needs peers";
            return f.ShardsHere + "/" + f.Manifest.TotalShards + " here (any " + k + " rebuild it; " + state + ")";
        }

        private static string Fit(string text, int width) =>
            text.Length <= width ? text : "…" + text.Substring(text.Length - width + 1);
    }
}
