using System.CommandLine;
using System.Security.Cryptography;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether put</c>: encrypts a file (or every file of a folder), erasure-codes it and stores its shards and manifest.</summary>
    public sealed class PutVerb : Command
    {
        private const string StdinName = "(stdin)";

        private readonly SharedOptions _shared;
        private readonly Argument<string> _file = new("FILE") { Description = "the file to store, a folder (every file in it, recursively), or - to read stdin" };
        private readonly Option<int> _dataShards = CliOptions.Int(
            "--data-shards", "shards that rebuild the file (K)", ErasureLimits.DefaultDataShards, ErasureLimits.MinDataShards, ErasureLimits.MaxTotalShards - 1);

        private readonly Option<int> _parityShards = CliOptions.Int(
            "--parity-shards", "extra shards (M); any K of the K+M rebuild the file, K+M <= 255", ErasureLimits.DefaultParityShards, ErasureLimits.MinParityShards, ErasureLimits.MaxTotalShards - 1);

        private readonly Option<string?> _name = CliOptions.Text(
            "--name", "the name to record (default: FILE's name; stdin has none unless given); aether ls shows it, get and rm take it", "NAME");

        private readonly Option<bool> _noHub = new("--no-hub")
        {
            Description = "store in this process even when a hub runs on this home (by default the hub takes the put and streams shards to their holders)",
        };

        public PutVerb(SharedOptions shared, CliContext context)
            : base("put", "encrypt and erasure-code a file into the shard store; prints its file id\n" +
                "Splits FILE into 4 MiB segments, encrypts each (AES-256-GCM, per-file key wrapped by the user key),\n" +
                "Reed-Solomon codes them into K+M shards and stores them with an authenticated manifest.\n" +
                "Refused with nothing written if over the allocation. FILE - reads stdin (spooled in HOME first,\n" +
                "unlinked at once, so a crash leaves nothing behind). Content you already stored is stored once:\n" +
                "a put of the same content under another name adds the name, not shards. Prints the file id\n" +
                "(JSON: {\"fileId\":...,\"shards\":N,\"bytes\":SIZE,\"storedBytes\":...}).\n" +
                "A folder puts every file under it in one pass, recording each one's path from the folder's name on\n" +
                "(sealed in its manifest); each file is stored whole or not at all. Prints one line per file\n" +
                "(JSON: {\"files\":[{\"fileId\":...,\"path\":...,\"bytes\":SIZE,\"storedBytes\":...}],\"bytes\":...,\"storedBytes\":...}).\n" +
                "With a hub running on this home, the hub takes the put: it streams each shard to the device the plan\n" +
                "gives it while encoding and keeps only its own here (--no-hub: store every shard in this process).")
        {
            _shared = shared;
            Add(_file);
            Add(shared.Home);
            Add(_dataShards);
            Add(_parityShards);
            Add(_name);
            Add(_noHub);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            string file = parse.GetValue(_file)!;
            int k = parse.GetValue(_dataShards);
            int m = parse.GetValue(_parityShards);
            bool json = parse.GetValue(_shared.Json);
            bool stdin = file == CliOptions.StandardStream;
            string? recorded = parse.GetValue(_name);
            if (recorded != null && (recorded.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(recorded) > ShardLimits.MaxPathBytes || recorded.Contains('\0')))
            {
                throw new UsageException("--name must be 1 to " + ShardLimits.MaxPathBytes + " bytes of text");
            }

            var home = StoreVerbSupport.OpenHome(_shared, parse, writes: true);
            string? codeError = ErasureLimits.ValidationError(k, m);
            if (codeError != null)
            {
                throw new UsageException(codeError);
            }

            if (stdin)
            {
                if (context.InputIsTerminal)
                {
                    throw new UsageException("put - reads the file from stdin, which is a terminal; pipe or redirect the file in");
                }
            }
            else if (Directory.Exists(file))
            {
                if (recorded != null)
                {
                    throw new UsageException("--name names one file; a folder's files are named by their paths");
                }

                return PutFolder(file, home, k, m, json, parse.GetValue(_noHub), context);
            }
            else if (!File.Exists(file))
            {
                throw new UsageException("file not found: " + file);
            }

            recorded ??= stdin ? null : Path.GetFileName(file);
            string name = recorded ?? StdinName;
            if (!stdin && !parse.GetValue(_noHub) &&
                HubPutClient.TryPut(home.Path, new List<HubPutFile> { new() { Path = Path.GetFullPath(file), Name = recorded } }, k, m, context.Cancellation) is { } handed)
            {
                return PrintOne(handed.Results[0], name, k, json, context);
            }

            var keys = StoreVerbSupport.Keys(home);
            using var store = StoreVerbSupport.OpenStore(home, context);
            var pipeline = new ShardPipeline(store, keys);
            using var input = stdin
                ? Spool(context.OpenInput(), home.Path, StorageAllocation.AvailableBytes(home.AllocationBytes, store.UsedBytes), home.AllocationBytes, context.Cancellation)
                : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
            long size = input.Length;
            var source = new PutSource(input, stdin ? StdinName : file, recorded);
            var result = StoreVerbSupport.WithProgress(context, json, "put " + name, size,
                progress => pipeline.PutMany(new[] { source }, k, m, ShardLimits.DefaultSegmentBytes, progress, context.Cancellation)[0]);
            return PrintOne(Outcome(result), name, k, json, context);
        }

        private static HubPutResult Outcome(PutResult r) => new()
        {
            FileId = r.FileId,
            Path = r.RecordedPath,
            Bytes = r.Manifest.OriginalBytes,
            Shards = r.Manifest.TotalShards,
            StoredBytes = r.StoredBytes,
            SameContentAs = r.SameContentAs,
        };

        private static int PrintOne(HubPutResult result, string name, int k, bool json, CliContext context)
        {
            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    fileId = result.FileId,
                    shards = result.Shards,
                    bytes = result.Bytes,
                    storedBytes = result.StoredBytes,
                    sameContentAs = result.SameContentAs,
                }));
            }
            else if (result.SameContentAs != null)
            {
                context.Out.WriteLine(result.FileId + "  " + name + ": " + SizeText.Format(result.Bytes) + ", the same content as file " + result.SameContentAs +
                    " already stored: " + (result.FileId == result.SameContentAs ? "nothing added" : "name added, no shards"));
            }
            else
            {
                context.Out.WriteLine(result.FileId + "  " + name + ": " + SizeText.Format(result.Bytes) + " in " +
                    result.Shards + " shards (any " + k + " rebuild it), " + SizeText.Format(result.StoredBytes) + " stored");
            }

            return CliHost.ExitOk;
        }

        private static int PutFolder(string folder, Home.NodeHome home, int k, int m, bool json, bool noHub, CliContext context)
        {
            string root = Path.GetFullPath(folder).TrimEnd('/') + "/";
            if ((Path.GetFullPath(home.Path).TrimEnd('/') + "/").StartsWith(root, StringComparison.Ordinal))
            {
                throw new UsageException(folder + " contains the home " + home.Path + "; put a folder outside it");
            }

            var sources = ShardPipeline.FolderSources(folder);
            long size = sources.Sum(s => s.Length);
            IReadOnlyList<HubPutResult> results;
            if (!noHub && sources.Count > 0 &&
                HubPutClient.TryPut(home.Path, sources.Select(s => new HubPutFile { Path = s.Path, Name = s.RecordedPath }).ToList(), k, m, context.Cancellation) is { } handed)
            {
                results = handed.Results;
            }
            else
            {
                var keys = StoreVerbSupport.Keys(home);
                using var store = StoreVerbSupport.OpenStore(home, context);
                var pipeline = new ShardPipeline(store, keys);
                results = StoreVerbSupport.WithProgress(context, json, "put " + Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/')), size,
                    progress => pipeline.PutMany(sources, k, m, ShardLimits.DefaultSegmentBytes, progress, context.Cancellation)).Select(Outcome).ToList();
            }

            long stored = results.Sum(r => r.StoredBytes);
            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    files = results.Select(r => new { fileId = r.FileId, path = r.Path, bytes = r.Bytes, storedBytes = r.StoredBytes, sameContentAs = r.SameContentAs }),
                    bytes = size,
                    storedBytes = stored,
                }));
            }
            else
            {
                foreach (var r in results)
                {
                    context.Out.WriteLine(r.FileId + "  " + r.Path + (r.SameContentAs != null ? "  (same content as " + r.SameContentAs + ", stored once)" : string.Empty));
                }

                context.Out.WriteLine(results.Count + " files, " + SizeText.Format(size) + " in " + (k + m) + " shards each (any " + k +
                    " rebuild a file), " + SizeText.Format(stored) + " stored");
            }

            return CliHost.ExitOk;
        }

        /// <summary>
        /// Copies stdin into an owner-only file in the home, unlinked at once (the open handle keeps it), so
        /// its length is known before any shard is written. More than the free allocation cannot fit: refused.
        /// </summary>
        private static FileStream Spool(Stream input, string home, long availableBytes, long allocationBytes, CancellationToken cancellation)
        {
            string path = Path.Combine(home, ".stdin-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".part");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Options = FileOptions.SequentialScan };
            if (OperatingSystem.IsWindows())
            {
                options.Options |= FileOptions.DeleteOnClose;
            }
            else
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var spool = new FileStream(path, options);
            try
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.Delete(path);
                }

                byte[] buffer = new byte[1 << 20];
                long total = 0;
                int read;
                while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                    total += read;
                    if (total > availableBytes)
                    {
                        throw new IOException("quota exceeded: stdin holds more than the " + ByteCount.WithBytes(availableBytes) + " available of " +
                            ByteCount.WithBytes(allocationBytes) + " allocation; nothing stored");
                    }

                    spool.Write(buffer, 0, read);
                }

                spool.Position = 0;
                return spool;
            }
            catch
            {
                spool.Dispose();
                throw;
            }
        }
    }
}
