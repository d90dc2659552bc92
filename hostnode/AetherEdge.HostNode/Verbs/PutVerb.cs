using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether put</c>: encrypts a file, erasure-codes it and stores its shards and manifest.</summary>
    public sealed class PutVerb : IVerb, IHasFlags
    {
        public string Name => "put";

        public string Summary => "encrypt and erasure-code a file into the shard store; prints its file id";

        public string Usage =>
            "usage: aether put FILE [--home DIR] [--data-shards K] [--parity-shards M] [--json]\n" +
            "  Splits FILE into 4 MiB segments, encrypts each (AES-256-GCM, per-file key wrapped by the user key),\n" +
            "  Reed-Solomon codes them into K+M shards (default 10+5; any K rebuild the file; K+M <= 255) and\n" +
            "  stores them with an authenticated manifest. Refused with nothing written if over the allocation.\n" +
            "  Prints the file id (JSON: {\"fileId\":...,\"shards\":N,\"bytes\":SIZE,\"storedBytes\":...}).";

        public ICollection<string> Flags => new[] { "json" };

        public int Run(CommandLine args, CliContext context)
        {
            string file = args.Positional(0, "FILE to store");
            int k = args.Int("data-shards", ErasureLimits.DefaultDataShards, ErasureLimits.MinDataShards, ErasureLimits.MaxTotalShards - 1);
            int m = args.Int("parity-shards", ErasureLimits.DefaultParityShards, ErasureLimits.MinParityShards, ErasureLimits.MaxTotalShards - 1);
            bool json = args.Flag("json");
            var home = StoreVerbSupport.OpenHome(args);
            args.EnsureAllUsed(1);
            string? codeError = ErasureLimits.ValidationError(k, m);
            if (codeError != null)
            {
                throw new UsageException(codeError);
            }

            if (Directory.Exists(file))
            {
                throw new UsageException(file + " is a directory; put stores one file");
            }

            if (!File.Exists(file))
            {
                throw new UsageException("file not found: " + file);
            }

            var keys = StoreVerbSupport.Keys(home);
            using var store = StoreVerbSupport.OpenStore(home, context);
            var pipeline = new ShardPipeline(store, keys);
            long size = new FileInfo(file).Length;
            var result = StoreVerbSupport.WithProgress(context, json, "put " + Path.GetFileName(file), size,
                progress => pipeline.Put(file, k, m, ShardLimits.DefaultSegmentBytes, progress, context.Cancellation));
            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    fileId = result.FileId,
                    shards = result.Manifest.TotalShards,
                    bytes = result.Manifest.OriginalBytes,
                    storedBytes = result.StoredBytes,
                }));
            }
            else
            {
                context.Out.WriteLine(result.FileId + "  " + Path.GetFileName(file) + ": " + SizeText.Format(size) + " in " +
                    result.Manifest.TotalShards + " shards (any " + k + " rebuild it), " + SizeText.Format(result.StoredBytes) + " stored");
            }

            return CliHost.ExitOk;
        }
    }
}
