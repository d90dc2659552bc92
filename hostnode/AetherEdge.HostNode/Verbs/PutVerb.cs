using System.CommandLine;
using System.Security.Cryptography;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Cli;
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
                "(JSON: {\"files\":[{\"fileId\":...,\"path\":...,\"bytes\":SIZE,\"storedBytes\":...}],\"bytes\":...,\"storedBytes\":...}).")
        {
            _shared = shared;
            Add(_file);
            Add(shared.Home);
            Add(_dataShards);
            Add(_parityShards);
            Add(_name);
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

                return PutFolder(file, home, k, m, json, context);
            }
            else if (!File.Exists(file))
            {
                throw new UsageException("file not found: " + file);
            }

            var keys = StoreVerbSupport.Keys(home);
            using var store = StoreVerbSupport.OpenStore(home, context);
            var pipeline = new ShardPipeline(store, keys);
            using var input = stdin
                ? Spool(context.OpenInput(), home.Path, StorageAllocation.AvailableBytes(home.AllocationBytes, store.UsedBytes), home.AllocationBytes, context.Cancellation)
                : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
            recorded ??= stdin ? null : Path.GetFileName(file);
            string name = recorded ?? StdinName;
            long size = input.Length;
            var source = new PutSource(input, stdin ? StdinName : file, recorded);
            var result = StoreVerbSupport.WithProgress(context, json, "put " + name, size,
                progress => pipeline.PutMany(new[] { source }, k, m, ShardLimits.DefaultSegmentBytes, progress, context.Cancellation)[0]);
            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    fileId = result.FileId,
                    shards = result.Manifest.TotalShards,
                    bytes = result.Manifest.OriginalBytes,
                    storedBytes = result.StoredBytes,
                    sameContentAs = result.SameContentAs,
                }));
            }
            else if (result.SameContentAs != null)
            {
                context.Out.WriteLine(result.FileId + "  " + name + ": " + SizeText.Format(size) + ", the same content as file " + result.SameContentAs +
                    " already stored: " + (result.FileId == result.SameContentAs ? "nothing added" : "name added, no shards"));
            }
            else
            {
                context.Out.WriteLine(result.FileId + "  " + name + ": " + SizeText.Format(size) + " in " +
                    result.Manifest.TotalShards + " shards (any " + k + " rebuild it), " + SizeText.Format(result.StoredBytes) + " stored");
            }

            return CliHost.ExitOk;
        }

        private static int PutFolder(string folder, Home.NodeHome home, int k, int m, bool json, CliContext context)
        {
            string root = Path.GetFullPath(folder).TrimEnd('/') + "/";
            if ((Path.GetFullPath(home.Path).TrimEnd('/') + "/").StartsWith(root, StringComparison.Ordinal))
            {
                throw new UsageException(folder + " contains the home " + home.Path + "; put a folder outside it");
            }

            var sources = ShardPipeline.FolderSources(folder);
            var keys = StoreVerbSupport.Keys(home);
            using var store = StoreVerbSupport.OpenStore(home, context);
            var pipeline = new ShardPipeline(store, keys);
            long size = sources.Sum(s => s.Length);
            var results = StoreVerbSupport.WithProgress(context, json, "put " + Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/')), size,
                progress => pipeline.PutMany(sources, k, m, ShardLimits.DefaultSegmentBytes, progress, context.Cancellation));
            long stored = results.Sum(r => r.StoredBytes);
            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    files = results.Select(r => new { fileId = r.FileId, path = r.RecordedPath, bytes = r.Manifest.OriginalBytes, storedBytes = r.StoredBytes, sameContentAs = r.SameContentAs }),
                    bytes = size,
                    storedBytes = stored,
                }));
            }
            else
            {
                foreach (var r in results)
                {
                    context.Out.WriteLine(r.FileId + "  " + r.RecordedPath + (r.SameContentAs != null ? "  (same content as " + r.SameContentAs + ", stored once)" : string.Empty));
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
