using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.TestSupport;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AetherEdge.Benchmarks.Sync
{
    /// <summary>
    /// What two hubs really do: pull shards over TLS 1.3 between content-addressed ShardStores — the
    /// server re-hashes each shard before serving it, the receiver hashes while receiving, then fsyncs
    /// and renames it into its store — next to raw TCP in the same run. 1 GiB as 16 × 64 MiB (the
    /// shard size `put` makes of large files) and 1000 × 1 MiB.
    /// </summary>
    [SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
    public class HubSyncThroughputBenchmarks
    {
        private const int MiB = 1 << 20;
        private TrustedPair? _pair;
        private ShardStore? _shardsA;
        private ShardStore? _shardsB;
        private SyncNode? _nodeB;
        private string[] _ids = Array.Empty<string>();

        [Params("16x64MiB", "1000x1MiB")]
        public string Shape { get; set; } = "16x64MiB";

        [GlobalSetup]
        public void Setup()
        {
            _pair = new TrustedPair("aesy-hubbench-");
            string homeA = _pair.HomeA;
            string homeB = _pair.HomeB;
            _shardsA = ShardStore.Open(homeA, long.MaxValue / 4);
            _shardsB = ShardStore.Open(homeB, long.MaxValue / 4);
            var storeA = new ShardStoreSyncStore(_shardsA, ShardStoreSyncStore.PartialsOf(homeA));
            var storeB = new ShardStoreSyncStore(_shardsB, ShardStoreSyncStore.PartialsOf(homeB));
            var rng = new Random(1);
            (int count, int size) = Shape == "16x64MiB" ? (16, 64 * MiB) : (1000, MiB);
            var buffer = new byte[size];
            _ids = new string[count];
            for (int i = 0; i < count; i++)
            {
                rng.NextBytes(buffer);
                _ids[i] = ShardId.Of(buffer);
                _shardsA.PutShard(_ids[i], new MemoryStream(buffer));
            }

            _pair.Serve(new SyncNode(_pair.IdA, _pair.PolicyA, storeA, PullWithinAllocation.PullAll(storeA), TrustedPair.Hello));
            _nodeB = new SyncNode(_pair.IdB, _pair.PolicyB, storeB, PullWithinAllocation.PullAll(storeB), TrustedPair.Hello);
        }

        [IterationSetup]
        public void Clear()
        {
            foreach (string id in _ids)
            {
                _shardsB!.DeleteShard(id);
            }

            string raw = Path.Combine(_pair!.Root, "raw");
            if (Directory.Exists(raw))
            {
                Directory.Delete(raw, true);
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _pair!.StopServing();
            _shardsA!.Dispose();
            _shardsB!.Dispose();
            _pair.Dispose();
        }

        [Benchmark(Description = "hub sync over TLS 1.3, ShardStore→ShardStore")]
        public long HubSync() => _pair!.Pull(_nodeB!, _ids.Length);

        [Benchmark(Baseline = true, Description = "raw TCP, memory→memory")]
        public long RawTcpMemory() => RawTransfer.Tcp(_ids, _shardsA!.LengthOf, null, null);

        [Benchmark(Description = "raw TCP, file→file")]
        public long RawTcpFiles() =>
            RawTransfer.Tcp(_ids, _shardsA!.LengthOf, _shardsA!.PathOf, Directory.CreateDirectory(Path.Combine(_pair!.Root, "raw")).FullName);

        [Benchmark(Description = "raw TCP, file→file, fsync per file")]
        public long RawTcpDurableFiles() =>
            RawTransfer.Tcp(_ids, _shardsA!.LengthOf, _shardsA!.PathOf, Directory.CreateDirectory(Path.Combine(_pair!.Root, "raw")).FullName, durable: true);
    }
}
