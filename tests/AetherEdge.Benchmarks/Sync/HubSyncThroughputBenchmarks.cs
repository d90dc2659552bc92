using System.Net;
using System.Net.Sockets;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Trust;
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
        private string _root = string.Empty;
        private NodeIdentity? _idA;
        private NodeIdentity? _idB;
        private ShardStore? _shardsA;
        private ShardStore? _shardsB;
        private SyncNode? _nodeB;
        private TcpListener? _listener;
        private CancellationTokenSource? _stop;
        private Task? _serving;
        private string[] _ids = Array.Empty<string>();

        [Params("16x64MiB", "1000x1MiB")]
        public string Shape { get; set; } = "16x64MiB";

        [GlobalSetup]
        public void Setup()
        {
            _root = Path.Combine(Path.GetTempPath(), "aesy-hubbench-" + Guid.NewGuid().ToString("N"));
            string homeA = Directory.CreateDirectory(Path.Combine(_root, "a")).FullName;
            string homeB = Directory.CreateDirectory(Path.Combine(_root, "b")).FullName;
            _idA = NodeIdentity.LoadOrCreate(homeA);
            _idB = NodeIdentity.LoadOrCreate(homeB);
            var circleA = new TrustCircle(homeA);
            var circleB = new TrustCircle(homeB);
            circleA.Add(_idB.DeviceId, "b", DateTimeOffset.UtcNow);
            circleB.Add(_idA.DeviceId, "a", DateTimeOffset.UtcNow);
            _shardsA = ShardStore.Open(homeA, long.MaxValue / 4);
            _shardsB = ShardStore.Open(homeB, long.MaxValue / 4);
            var storeA = new ShardStoreSyncStore(_shardsA, homeA);
            var storeB = new ShardStoreSyncStore(_shardsB, homeB);
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

            var nodeA = new SyncNode(_idA, TlsPeerPolicy.ForCircle(_idA, circleA), storeA, new HubSyncHosts(storeA), Hello);
            _nodeB = new SyncNode(_idB, TlsPeerPolicy.ForCircle(_idB, circleB), storeB, new HubSyncHosts(storeB), Hello);
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _stop = new CancellationTokenSource();
            _serving = nodeA.ServeAsync(_listener, _stop.Token);
        }

        [IterationSetup]
        public void Clear()
        {
            foreach (string id in _ids)
            {
                _shardsB!.DeleteShard(id);
            }

            string raw = Path.Combine(_root, "raw");
            if (Directory.Exists(raw))
            {
                Directory.Delete(raw, true);
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _stop!.Cancel();
            _listener!.Stop();
            _serving!.Wait(TimeSpan.FromSeconds(30));
            _shardsA!.Dispose();
            _shardsB!.Dispose();
            _idA!.Dispose();
            _idB!.Dispose();
            Directory.Delete(_root, true);
        }

        [Benchmark(Description = "hub sync over TLS 1.3, ShardStore→ShardStore")]
        public long HubSync()
        {
            var outcome = _nodeB!.SyncWithAsync((IPEndPoint)_listener!.LocalEndpoint, _idA!.DeviceId, CancellationToken.None).GetAwaiter().GetResult();
            if (outcome.State != SyncSessionState.Complete || outcome.ItemsReceived != _ids.Length)
            {
                throw new InvalidOperationException("sync incomplete: " + outcome);
            }

            return outcome.BytesReceived;
        }

        [Benchmark(Baseline = true, Description = "raw TCP, memory→memory")]
        public long RawTcpMemory() => RawTransfer.Tcp(_ids, _shardsA!.LengthOf, null, null);

        [Benchmark(Description = "raw TCP, file→file")]
        public long RawTcpFiles() =>
            RawTransfer.Tcp(_ids, _shardsA!.LengthOf, _shardsA!.PathOf, Directory.CreateDirectory(Path.Combine(_root, "raw")).FullName);

        [Benchmark(Description = "raw TCP, file→file, fsync per file")]
        public long RawTcpDurableFiles() =>
            RawTransfer.Tcp(_ids, _shardsA!.LengthOf, _shardsA!.PathOf, Directory.CreateDirectory(Path.Combine(_root, "raw")).FullName, durable: true);

        private static HelloFrame Hello() => new(SyncLimits.Version, 3, long.MaxValue / 2, 0, 100, HelloFrame.FlagAlwaysOn, "bench");
    }
}
