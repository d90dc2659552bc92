using System.CommandLine;
using System.Globalization;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Files;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether ls</c>: this user's files held here: id, name, size, when, and how many shards are here.</summary>
    public sealed class LsVerb : Command
    {
        private readonly SharedOptions _shared;

        public LsVerb(SharedOptions shared, CliContext context)
            : base("ls", "list your files: id, name, size, when put, shards here\n" +
                "Lists every file whose manifest this device holds and your user key authenticates (put here or\n" +
                "synced from your other devices), by name. ID is the first 12 characters of the file id; get and\n" +
                "rm take a name, a file id or a unique id prefix of at least 8 characters.\n" +
                "JSON: {\"files\":[{\"fileId\":...,\"name\":...,\"bytes\":N,\"created\":ISO-8601,\"dataShards\":K,\n" +
                "\"totalShards\":N,\"shardsHere\":H,\"sameContentAs\":ID or null}],\"otherUsersFiles\":N}\n" +
                "The same content put again under another name is stored once and listed under both names.")
        {
            _shared = shared;
            Add(shared.Home);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        /// <summary>Characters of the file id ls prints (get and rm accept any unique prefix of 8 or more).</summary>
        public const int ShownIdChars = 12;

        private int Run(ParseResult parse, CliContext context)
        {
            bool json = parse.GetValue(_shared.Json);
            var home = StoreVerbSupport.OpenHome(_shared, parse, writes: false);
            var keys = StoreVerbSupport.Keys(home);
            // A read-only answer: no walk over every shard file (status does the same).
            using var store = StoreVerbSupport.OpenStore(home, context, reconcile: false);
            var catalog = FileCatalog.Read(store, keys);
            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    files = catalog.Files.Select(f => new
                    {
                        fileId = f.FileId,
                        name = f.Name,
                        bytes = f.Bytes,
                        created = f.CreatedUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                        dataShards = f.Manifest.DataShards,
                        totalShards = f.Manifest.TotalShards,
                        shardsHere = f.ShardsHere,
                        sameContentAs = f.IsExtraName ? f.DataId : null,
                    }),
                    otherUsersFiles = catalog.OtherUsersFiles,
                }));
                return CliHost.ExitOk;
            }

            var o = context.Out;
            if (catalog.Files.Count == 0)
            {
                o.WriteLine("no files of yours here yet (aether put FILE stores one)");
            }
            else
            {
                int nameWidth = Math.Clamp(catalog.Files.Max(f => f.Label.Length), 4, 48);
                o.WriteLine("ID".PadRight(ShownIdChars + 2) + "NAME".PadRight(nameWidth + 2) + "SIZE".PadLeft(9) + "  PUT (UTC)         SHARDS HERE");
                foreach (var f in catalog.Files)
                {
                    o.WriteLine(f.FileId.Substring(0, ShownIdChars) + "  " + Fit(f.Name ?? "(no name)", nameWidth).PadRight(nameWidth + 2) +
                        SizeText.Format(f.Bytes).PadLeft(9) + "  " + f.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) +
                        "  " + Protection(f) + (f.IsExtraName ? "; same content as " + f.DataId.Substring(0, ShownIdChars) : string.Empty));
                }

                long total = catalog.Files.Where(f => !f.IsExtraName).Sum(f => f.Bytes);
                o.WriteLine(catalog.Files.Count + (catalog.Files.Count == 1 ? " file, " : " files, ") + SizeText.Format(total));
            }

            if (catalog.OtherUsersFiles > 0)
            {
                o.WriteLine("(and " + catalog.OtherUsersFiles + " files of other users this device keeps shards for; it cannot read them)");
            }

            return CliHost.ExitOk;
        }

        /// <summary>"12/15 (any 5 rebuild it)": what this device alone holds against what a rebuild needs.</summary>
        public static string Protection(FileEntry f)
        {
            int k = f.Manifest.DataShards;
            string state = f.ShardsHere >= k ? "readable here" : "needs peers";
            return f.ShardsHere + "/" + f.Manifest.TotalShards + " (any " + k + " rebuild it; " + state + ")";
        }

        private static string Fit(string text, int width) =>
            text.Length <= width ? text : "…" + text.Substring(text.Length - width + 1);
    }
}
