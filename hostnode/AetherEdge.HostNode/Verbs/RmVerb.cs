using System.CommandLine;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Files;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether rm</c>: removes a file: its manifest and shards here, and a tombstone that keeps it removed.</summary>
    public sealed class RmVerb : Command
    {
        private readonly SharedOptions _shared;
        private readonly Argument<string> _file = new("NAME|ID") { Description = "the file's name (as aether ls shows it), its file id, or a unique id prefix (8+ characters)" };

        public RmVerb(SharedOptions shared, CliContext context)
            : base("rm", "remove a file: its manifest and shards on this device, and a tombstone\n" +
                "Deletes the file's manifest and every shard of it held here (shards another file of the same\n" +
                "content still lists are kept) and records a tombstone (HOME/removed/FILEID), so sync never brings\n" +
                "the file back to this device. An ambiguous name is refused, listing the candidates. Names that\n" +
                "share the file's content (the same content put again under another name) go with it.\n" +
                RemovalReach + "\n" +
                "JSON: {\"fileId\":...,\"name\":...,\"alsoRemovedNames\":[...],\"shardsDeleted\":N,\"bytesFreed\":N}")
        {
            _shared = shared;
            Add(_file);
            Add(shared.Home);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        /// <summary>How far a removal reaches today (said in help and output).</summary>
        public const string RemovalReach = "The removal travels: trusted peers remove the file too when they next sync with this device.";

        private int Run(ParseResult parse, CliContext context)
        {
            string text = parse.GetValue(_file)!;
            bool json = parse.GetValue(_shared.Json);
            var home = StoreVerbSupport.OpenHome(_shared, parse, writes: true);
            var keys = StoreVerbSupport.Keys(home);
            using var store = StoreVerbSupport.OpenStore(home, context);
            if (ShardManifest.IsFileId(text) && store.IsRemoved(text))
            {
                throw new UsageException("file " + text + " was already removed");
            }

            var catalog = FileCatalog.Read(store, keys);
            var file = FileVerbSupport.Resolve(catalog, text, "rm");

            // The file goes with every name of its content: the extra names' records first, then the content.
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var names = catalog.NamesOf(file);
            foreach (var other in names.Where(n => n.IsExtraName))
            {
                store.Remove(other.FileId, now, new ShardFormat());
            }

            var r = store.Remove(file.DataId, now, new ShardFormat());
            var otherNames = names.Where(n => n.FileId != file.FileId).Select(n => n.Label).ToList();
            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    fileId = file.FileId,
                    name = file.Name,
                    alsoRemovedNames = otherNames,
                    shardsDeleted = r.ShardsDeleted,
                    bytesFreed = r.BytesFreed,
                }));
            }
            else
            {
                context.Out.WriteLine("removed " + file.Label + " (" + file.FileId + ", " + SizeText.Format(file.Bytes) + "): " +
                    r.ShardsDeleted + " shards deleted here, " + SizeText.Format(r.BytesFreed) + " freed" +
                    (r.ShardsShared > 0 ? "; " + r.ShardsShared + " shards kept for a file of the same content" : string.Empty) +
                    (otherNames.Count > 0 ? "; the same content's other names went with it: " + string.Join(", ", otherNames) : string.Empty));
                context.Out.WriteLine(RemovalReach);
            }

            return CliHost.ExitOk;
        }
    }
}
