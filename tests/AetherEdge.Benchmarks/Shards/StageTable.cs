using System.Diagnostics;
using System.Globalization;
using AetherEdge.Benchmarks.Sync;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.TestSupport;

namespace AetherEdge.Benchmarks.Shards
{
    /// <summary>
    /// Where the time of a put and of the sync that follows goes, from the stage counters
    /// (put.*, store.*, sync.*): one process, home A puts k=5 m=5, home B pulls every item of A over
    /// TLS 1.3 on loopback. Counters add the time of every thread, so parallel stages can sum to more
    /// than the wall time printed next to them.
    /// </summary>
    public static class StageTable
    {
        private const int MiB = 1 << 20;

        /// <summary><c>put-folder HOME DIR K M</c>: puts DIR into HOME's store; prints one line per file and the stage table on stderr.</summary>
        public static int PutFolder(string[] args)
        {
            if (args.Length != 5)
            {
                Console.Error.WriteLine("usage: put-folder HOME DIR K M");
                return 2;
            }

            var home = NodeHome.Open(args[1]);
            using var store = ShardStore.Open(home.Path, home.AllocationBytes);
            var pipeline = new ShardPipeline(store, new UserKeys(home.ReadUserKey()));
            var putBefore = PutStages.Shared.Snapshot();
            var storeBefore = store.Stages.Snapshot();
            var clock = Stopwatch.StartNew();
            var results = pipeline.PutFolder(args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
            clock.Stop();
            long bytes = results.Sum(r => r.Manifest.OriginalBytes);
            foreach (var r in results)
            {
                Console.WriteLine(r.FileId + "  " + r.RecordedPath);
            }

            Print(Console.Error, "put " + results.Count + " files", clock.Elapsed.TotalSeconds, bytes,
                PutStages.Shared.Since(putBefore).Concat(store.Stages.Since(storeBefore)));
            return 0;
        }

        /// <summary><c>stages big|small</c>: 1 GiB as one file, or 1000 files of 1 MiB.</summary>
        public static int Run(string[] args)
        {
            bool big = args.Length < 2 || args[1] == "big";
            using var pair = new TrustedPair("aesy-stages-");
            var storeStagesA = new StoreStages();
            var storeStagesB = new StoreStages();
            var putStages = new PutStages();
            using var a = ShardStore.Open(pair.HomeA, long.MaxValue / 4, stages: storeStagesA);
            using var b = ShardStore.Open(pair.HomeB, long.MaxValue / 4, stages: storeStagesB);
            var keys = new UserKeys(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            string data = Directory.CreateDirectory(Path.Combine(pair.Root, "data")).FullName;
            var rng = new Random(1);
            var buffer = new byte[MiB];
            int files = big ? 1 : 1000;
            int mibPerFile = big ? 1024 : 1;
            for (int f = 0; f < files; f++)
            {
                using var fs = File.Create(Path.Combine(data, "f" + f.ToString("D5", CultureInfo.InvariantCulture) + ".bin"));
                for (int i = 0; i < mibPerFile; i++)
                {
                    rng.NextBytes(buffer);
                    fs.Write(buffer);
                }
            }

            long bytes = (long)files * mibPerFile * MiB;
            var clock = Stopwatch.StartNew();
            var results = new ShardPipeline(a, keys, putStages).PutFolder(data, 5, 5);
            double putSeconds = clock.Elapsed.TotalSeconds;
            Print(Console.Out, "put (" + (big ? "1 GiB file" : "1000 x 1 MiB") + ", k=5 m=5)", putSeconds, bytes, putStages.Snapshot().Concat(storeStagesA.Snapshot()));

            var storeA = new ShardStoreSyncStore(a, ShardStoreSyncStore.PartialsOf(pair.HomeA));
            var storeB = new ShardStoreSyncStore(b, ShardStoreSyncStore.PartialsOf(pair.HomeB));
            pair.Serve(new SyncNode(pair.IdA, pair.PolicyA, storeA, PullWithinAllocation.PullAll(storeA), TrustedPair.Hello));
            var nodeB = new SyncNode(pair.IdB, pair.PolicyB, storeB, PullWithinAllocation.PullAll(storeB), TrustedPair.Hello);
            var syncBefore = SyncStages.Shared.Snapshot();
            var verifyBefore = storeStagesA.Verify.Sample();
            clock.Restart();
            int items = results.Count * 11;
            long received = pair.Pull(nodeB, items);
            double syncSeconds = clock.Elapsed.TotalSeconds;
            pair.StopServing();
            var sync = SyncStages.Shared.Since(syncBefore).Append(storeStagesA.Verify.Sample().Since(verifyBefore) with { Stage = "store.verify (A, serving)" })
                .Concat(storeStagesB.Snapshot().Select(s => s with { Stage = s.Stage + " (B)" }));
            Print(Console.Out, "sync A -> B, every shard and manifest (" + (received / (double)MiB).ToString("F0", CultureInfo.InvariantCulture) + " MiB received)", syncSeconds, received, sync);
            return 0;
        }

        private static void Print(TextWriter o, string what, double wall, long bytes, IEnumerable<StageSample> stages)
        {
            o.WriteLine("| " + what + ": wall " + wall.ToString("F2", CultureInfo.InvariantCulture) + " s = " +
                (wall * StageSample.GiB / bytes).ToString("F2", CultureInfo.InvariantCulture) + " s/GiB | s | s per GiB | calls |");
            o.WriteLine("|---|---:|---:|---:|");
            foreach (var s in stages.Where(s => s.Calls > 0))
            {
                o.WriteLine("| " + s.Stage + " | " + s.Seconds.ToString("F2", CultureInfo.InvariantCulture) + " | " +
                    s.SecondsPerGiB(bytes).ToString("F2", CultureInfo.InvariantCulture) + " | " + s.Calls + " |");
            }

            o.WriteLine();
        }
    }
}
