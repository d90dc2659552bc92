using System.CommandLine;
using System.Net;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether get</c>: rebuilds a stored file from any k intact shards.</summary>
    public sealed class GetVerb : Command
    {
        /// <summary>Fetch-and-rebuild attempts when shards vanish between fetching and reading.</summary>
        public const int FetchRounds = 3;

        private readonly SharedOptions _shared;
        private readonly Argument<string> _fileId = new("NAME|ID") { Description = "the file's name (as aether ls shows it), the file id aether put printed, or a unique id prefix (8+ characters)" };
        private readonly Option<string?> _output = CliOptions.Text("--output", "where to write the file, or - for stdout (default: the file's name, in the current directory)", "OUT");

        public GetVerb(SharedOptions shared, CliContext context)
            : base("get", "rebuild a stored file from its shards\n" +
                "NAME is matched against the names aether ls shows (whole path, then last part); an ambiguous name\n" +
                "is refused, listing the candidates. Without -o the file is written under its own name here,\n" +
                "never over an existing file.\n" +
                "Missing manifest or shards are first fetched from trusted peers: --peers (IP:PORT or HOST:PORT), else\n" +
                "hub.json's peers and those the running hub found (HOME/hub.run.json), else a 3 s mDNS browse for\n" +
                "devices of your trust circle. A failure says which peers were asked.\n" +
                "Verifies the manifest and every shard it reads (SHA-256), rebuilds from any K intact shards,\n" +
                "decrypts and writes OUT through a temp file renamed at the end (never a partial OUT).\n" +
                "-o - writes to stdout instead, each segment once it authenticates.")
        {
            _shared = shared;
            _output.Aliases.Add("-o");
            Add(_fileId);
            Add(_output);
            Add(shared.Home);
            Add(shared.Peers);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            string wanted = parse.GetValue(_fileId)!;
            string? given = parse.GetValue(_output);
            bool json = parse.GetValue(_shared.Json);
            var home = StoreVerbSupport.OpenHome(_shared, parse, writes: true);
            var keys = StoreVerbSupport.Keys(home);
            using var store = StoreVerbSupport.OpenStore(home, context);
            string fileId;
            string? name = null;
            if (ShardManifest.IsFileId(wanted) && store.IsRemoved(wanted))
            {
                throw new UsageException("file " + wanted + " was removed (aether rm)");
            }

            if (ShardManifest.IsFileId(wanted) && store.TryGetManifest(wanted) == null)
            {
                // Not here yet: a whole id is fetched from peers as it is.
                fileId = wanted;
            }
            else
            {
                var entry = FileVerbSupport.Resolve(Files.FileCatalog.Read(store, keys), wanted, "get");
                fileId = entry.DataId;
                name = entry.Name;
            }

            string output = given ?? DefaultOutput(name, fileId);
            bool stdout = output == CliOptions.StandardStream;

            if (stdout && json)
            {
                throw new UsageException("--json cannot be combined with -o - (stdout carries the file)");
            }

            if (!stdout)
            {
                string? dir = Path.GetDirectoryName(Path.GetFullPath(output));
                if (dir == null || !Directory.Exists(dir))
                {
                    throw new UsageException("output directory does not exist: " + (dir ?? output));
                }

                if (Directory.Exists(output))
                {
                    throw new UsageException(output + " is a directory; -o names the file to write");
                }
            }

            var peersGiven = parse.WasGiven(_shared.Peers) ? parse.GetValue(_shared.Peers) : null;
            bool needsPeers = NeedsPeers(store, fileId);
            var found = needsPeers
                ? Peers.TrustedPeerFinder.Find(home.Path, peersGiven, StaticPeers(home.Path), Peers.TrustedPeerFinder.DefaultBrowse, context.Cancellation)
                : new Peers.FoundPeers(peersGiven ?? Array.Empty<IPEndPoint>(), "no peers needed");
            var peers = found.EndPoints.ToList();
            long size;
            int fetched;

            // Shards fetched for this read stay out of the home's store: what this device holds is placement's call.
            using (var scratch = needsPeers && peers.Count > 0 ? FetchScratch.Create(home.Path, store, fileId) : null)
            {
                var pipeline = new ShardPipeline(store, keys, readAlso: scratch?.Store);
                size = Read(context, store, scratch, pipeline, fileId, output, stdout, json, home.Path, peers, found);
                fetched = scratch?.Store.ShardCount ?? 0;
                if (scratch != null && store.TryGetManifest(fileId) == null && scratch.Store.TryGetManifest(fileId) is { } manifest)
                {
                    // The manifest is knowledge, not a placement: the home keeps it (ls lists the file).
                    store.PutManifest(fileId, manifest);
                }
            }

            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { fileId, output = Path.GetFullPath(output), bytes = size, fetchedShards = fetched }));
            }
            else if (!stdout)
            {
                context.Out.WriteLine("wrote " + output + " (" + SizeText.Format(size) + ")" +
                    (fetched > 0 ? "; the " + fetched + " shards fetched for it were not kept (the plan decides what this device holds)" : string.Empty));
            }

            return CliHost.ExitOk;
        }

        private static long Read(CliContext context, Storage.ShardStore store, FetchScratch? scratch, ShardPipeline pipeline, string fileId, string output, bool stdout, bool json,
            string home, List<IPEndPoint> peers, Peers.FoundPeers found)
        {
            long size;
            for (int round = 1; ; round++)
            {
                var (held, needed) = PeerFetch.Coverage(store, fileId, scratch?.Store);
                if ((needed < 0 || held < needed) && scratch != null)
                {
                    // Missing here: pull the manifest and enough shards from trusted peers first.
                    PeerFetch.FetchAsync(home, scratch.Store, store, fileId, peers, context.Error, context.Cancellation).GetAwaiter().GetResult();
                }

                try
                {
                    var manifest = pipeline.ReadManifest(fileId);
                    size = stdout
                        ? Write(pipeline, fileId, context)
                        : StoreVerbSupport.WithProgress(context, json, "get " + fileId.Substring(0, 8), manifest.OriginalBytes,
                            progress => pipeline.Get(fileId, output, progress, context.Cancellation));
                    break;
                }
                catch (UnknownFileException e)
                {
                    if (peers.Count > 0 || found.Tried != "no peers needed")
                    {
                        throw new IOException(e.Message + "; asked " + found.Tried + "; name a peer that has it with --peers HOST:PORT");
                    }

                    throw new UsageException(e.Message);
                }
                catch (InsufficientShardsException e) when (peers.Count == 0 || round >= FetchRounds)
                {
                    throw new IOException(e.Message + "; peers asked: " + (peers.Count == 0 ? "none found: " : string.Empty) + found.Tried +
                        "; name a peer that has it with --peers HOST:PORT");
                }
                catch (InsufficientShardsException e) when (peers.Count > 0 && round < FetchRounds)
                {
                    // A hub running on this home may drop shards the plan moved elsewhere while we read.
                    context.Error.WriteLine("aether get: " + e.Message + "; fetching again");
                }
            }

            return size;
        }

        /// <summary>The file's own name in the current directory; never an existing file, never outside the directory.</summary>
        private static string DefaultOutput(string? name, string fileId)
        {
            if (name == null)
            {
                throw new UsageException("file " + fileId + " has no recorded name; give -o OUT (where to write it, or - for stdout)");
            }

            string leaf = Files.FileCatalog.LastPart(name);
            if (leaf.Length == 0 || leaf == "." || leaf == ".." || leaf.Contains(Path.DirectorySeparatorChar))
            {
                throw new UsageException("the name '" + name + "' is not a usable file name here; give -o OUT");
            }

            if (File.Exists(leaf) || Directory.Exists(leaf))
            {
                throw new UsageException(leaf + " already exists here; give -o OUT to choose where to write " + name);
            }

            return leaf;
        }

        private static long Write(ShardPipeline pipeline, string fileId, CliContext context)
        {
            var stream = context.OpenBinaryOutput();
            long size = pipeline.Get(fileId, stream, null, context.Cancellation);
            stream.Flush();
            return size;
        }

        /// <summary>True when this device alone cannot rebuild the file (no manifest, or fewer than k shards).</summary>
        private static bool NeedsPeers(Storage.ShardStore store, string fileId)
        {
            var (held, needed) = PeerFetch.Coverage(store, fileId);
            return needed < 0 || held < needed;
        }

        private static List<IPEndPoint> StaticPeers(string home)
        {
            try
            {
                return AetherEdge.HostNode.Hub.HubSettings.Load(home).StaticPeers.ToList();
            }
            catch (IOException)
            {
                return new List<IPEndPoint>();
            }
        }
    }
}
