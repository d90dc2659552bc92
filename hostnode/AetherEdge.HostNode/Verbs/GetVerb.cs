using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether get</c>: rebuilds a stored file from any k intact shards.</summary>
    public sealed class GetVerb : IVerb, IHasFlags
    {
        /// <summary>Fetch-and-rebuild attempts when shards vanish between fetching and reading.</summary>
        public const int FetchRounds = 3;

        public string Name => "get";

        public string Summary => "rebuild a stored file from its shards";

        public string Usage =>
            "usage: aether get FILE_ID -o OUT [--home DIR] [--peers IP:PORT,...] [--json]\n" +
            "  Missing manifest or shards are first fetched from trusted peers (--peers, else hub.json's peers).\n" +
            "  Verifies the manifest and every shard it reads (SHA-256), rebuilds from any K intact shards,\n" +
            "  decrypts and writes OUT through a temp file renamed at the end (never a partial OUT).";

        public ICollection<string> Flags => new[] { "json" };

        private static List<System.Net.IPEndPoint> FetchPeers(string? text, string home)
        {
            if (text == null)
            {
                try
                {
                    return AetherEdge.HostNode.Hub.HubSettings.Load(home).StaticPeers.ToList();
                }
                catch (IOException)
                {
                    return new List<System.Net.IPEndPoint>();
                }
            }

            var list = new List<System.Net.IPEndPoint>();
            foreach (string p in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                list.Add(System.Net.IPEndPoint.TryParse(p, out var ep) && ep.Port != 0 ? ep : throw new UsageException("--peers takes IP:PORT entries separated by commas, got '" + p + "'"));
            }

            return list;
        }

        public int Run(CommandLine args, CliContext context)
        {
            string fileId = args.Positional(0, "FILE_ID (printed by aether put)");
            string output = args.String("output") ?? throw new UsageException("missing -o OUT (where to write the file)");
            bool json = args.Flag("json");
            var home = StoreVerbSupport.OpenHome(args);
            var peers = FetchPeers(args.String("peers"), home.Path);
            args.EnsureAllUsed(1);
            if (!ShardManifest.IsFileId(fileId))
            {
                throw new UsageException("'" + fileId + "' is not a file id (32 lower-case hex characters)");
            }

            string? dir = Path.GetDirectoryName(Path.GetFullPath(output));
            if (dir == null || !Directory.Exists(dir))
            {
                throw new UsageException("output directory does not exist: " + (dir ?? output));
            }

            if (Directory.Exists(output))
            {
                throw new UsageException(output + " is a directory; -o names the file to write");
            }

            var keys = StoreVerbSupport.Keys(home);
            using var store = StoreVerbSupport.OpenStore(home, context);
            var pipeline = new ShardPipeline(store, keys);
            long size;
            for (int round = 1; ; round++)
            {
                var (held, needed) = AetherEdge.HostNode.Sync.PeerFetch.Coverage(store, fileId);
                if ((needed < 0 || held < needed) && peers.Count > 0)
                {
                    // Missing here: pull the manifest and enough shards from trusted peers first.
                    AetherEdge.HostNode.Sync.PeerFetch.FetchAsync(home.Path, store, fileId, peers, context.Error, context.Cancellation).GetAwaiter().GetResult();
                }

                try
                {
                    var manifest = pipeline.ReadManifest(fileId);
                    size = StoreVerbSupport.WithProgress(context, json, "get " + fileId.Substring(0, 8), manifest.OriginalBytes,
                        progress => pipeline.Get(fileId, output, progress, context.Cancellation));
                    break;
                }
                catch (UnknownFileException e)
                {
                    throw new UsageException(e.Message);
                }
                catch (InsufficientShardsException e) when (peers.Count > 0 && round < FetchRounds)
                {
                    // A hub running on this home may drop shards the plan moved elsewhere while we read.
                    context.Error.WriteLine("aether get: " + e.Message + "; fetching again");
                }
            }

            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { fileId, output = Path.GetFullPath(output), bytes = size }));
            }
            else
            {
                context.Out.WriteLine("wrote " + output + " (" + SizeText.Format(size) + ")");
            }

            return CliHost.ExitOk;
        }
    }
}
