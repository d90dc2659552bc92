using System.Security.Cryptography;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.HostNode.Tests.Storage
{
    /// <summary>
    /// Start-up on 100,000 files (issue 17): the hub opens its store without walking the shard files and walks them
    /// in the background, one leaf directory per step, paced; it finds what the full walk at open found.
    /// </summary>
    public sealed class StoreWalkTests : IDisposable
    {
        private readonly TempStore _t = new(allocationBytes: 1_000_000);

        public void Dispose() => _t.Dispose();

        [Fact]
        public void QuickOpen_LeavesTheShardFilesUnwalked_ThenTheWalkRepairsWhatAFullOpenWould()
        {
            string kept = Put(100);
            string gone = Put(200);
            string truncated = Put(300);
            File.Delete(_t.Store.PathOf(gone));
            using (var fs = new FileStream(_t.Store.PathOf(truncated), FileMode.Open))
            {
                fs.SetLength(10);
            }

            File.WriteAllText(Path.Combine(_t.Store.TempPath, "x.part"), "half");
            string orphan = PlaceOrphan();
            File.WriteAllText(Path.Combine(_t.Store.ShardsPath, "stray.txt"), "?");
            Directory.CreateDirectory(Path.Combine(_t.Store.ShardsPath, "zz"));
            File.WriteAllText(Path.Combine(_t.Store.ShardsPath, "zz", "deep"), "?");

            var store = Reopen(ShardStore.OpenReconcile.Quick);
            var open = store.OpenReport;
            Assert.Equal(1, open.TempFilesDeleted);
            Assert.Equal(0, open.RowsWithoutFilesRemoved + open.OrphanFilesQuarantined + open.CorruptFilesQuarantined);
            Assert.Equal(3, store.ShardCount);

            var walk = RunToEnd(store);

            Assert.Equal(1, walk.Report.RowsWithoutFilesRemoved);
            Assert.Equal(3, walk.Report.OrphanFilesQuarantined);
            Assert.Equal(1, walk.Report.CorruptFilesQuarantined);
            Assert.Equal(ShardStore.LeafCount, walk.LeavesChecked);
            Assert.Equal(new[] { kept }, store.ListShards().Select(s => s.Id));
            Assert.True(File.Exists(Path.Combine(store.QuarantinePath, orphan)));
            Assert.True(File.Exists(Path.Combine(store.QuarantinePath, truncated)));
            Assert.True(Reopen(ShardStore.OpenReconcile.Full).OpenReport.Clean);
        }

        [Fact]
        public void BeforeTheWalkReachesIt_ASameLengthCorruptShardIsNeverServed()
        {
            string bad = Put(500);
            TempStore.FlipByte(_t.Store.PathOf(bad), 7);
            var store = Reopen(ShardStore.OpenReconcile.Quick);
            Assert.True(store.HasShard(bad));

            Assert.Null(store.TryOpenShard(bad));
            Assert.False(store.HasShard(bad));
        }

        [Fact]
        public void FileWithoutRow_WhileAWriterHoldsTheLock_IsLeftForLater_ThenQuarantined()
        {
            Put(100);
            string orphan = PlaceOrphan();
            int leaf = Convert.ToInt32(orphan[..4], 16);
            var report = new ReconcileReport();
            using (var other = ShardStore.Open(_t.Home, _t.AllocationBytes, reconcile: ShardStore.OpenReconcile.None))
            using (other.BeginShardSet(1, 1))
            {
                // A writer places its file before its row commits: a file without a row may be one of its.
                Assert.Equal(-1, _t.Store.CheckLeaf(leaf, report));
                Assert.True(File.Exists(_t.Store.PathOf(orphan)));
            }

            Assert.Equal(1, _t.Store.CheckLeaf(leaf, report));
            Assert.Equal(1, report.OrphanFilesQuarantined);
            Assert.False(File.Exists(_t.Store.PathOf(orphan)));
        }

        [Fact]
        public void Walk_IsPacedToItsRate_AndWaitsAfterABusyStep()
        {
            for (int i = 0; i < 30; i++)
            {
                Put(10 + i);
            }

            var clock = new ManualClock();
            var walk = new StoreWalk(_t.Store, filesPerSecond: 10, clock);
            while (walk.LeavesChecked < ShardStore.LeafCount)
            {
                Assert.True(walk.Step());
            }

            Assert.Equal(30, walk.FilesChecked);
            Assert.Equal(TimeSpan.FromSeconds(3), walk.Pause());
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(TimeSpan.FromSeconds(1), walk.Pause());
            clock.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(TimeSpan.Zero, walk.Pause());

            string orphan = PlaceOrphan();
            var again = new StoreWalk(_t.Store, 10, clock);
            using (var other = ShardStore.Open(_t.Home, _t.AllocationBytes, reconcile: ShardStore.OpenReconcile.None))
            using (other.BeginShardSet(1, 1))
            {
                while (again.Step())
                {
                }

                Assert.False(again.Done);
                Assert.Equal(1, again.BusySteps);
                Assert.Equal(StoreWalk.BusyRetry, again.Pause());
            }

            RunToEnd(_t.Store, again);
            Assert.True(File.Exists(Path.Combine(_t.Store.QuarantinePath, orphan)));
        }

        [Fact]
        public async Task Hub_OpensWithoutTheWalk_AndItsWalkServiceQuarantinesAnOrphan()
        {
            Put(100);
            string orphan = PlaceOrphan();
            _t.Store.Dispose();
            using var hub = HubHost.Build(new HubSettings { Home = _t.Home, Name = "walker", AllocationBytes = 2L << 30, Mdns = false }, TextWriter.Null);
            var store = hub.Services.GetRequiredService<ShardStore>();
            Assert.True(File.Exists(store.PathOf(orphan)));
            var service = hub.Services.GetServices<IHostedService>().OfType<StoreWalkService>().Single();

            await service.StartAsync(CancellationToken.None);
            try
            {
                for (int i = 0; i < 600 && File.Exists(store.PathOf(orphan)); i++)
                {
                    await Task.Delay(100);
                }
            }
            finally
            {
                await service.StopAsync(CancellationToken.None);
            }

            Assert.True(File.Exists(Path.Combine(store.QuarantinePath, orphan)));
        }

        private ShardStore Reopen(ShardStore.OpenReconcile reconcile) => _t.Reopen(reconcile: reconcile);

        private static StoreWalk RunToEnd(ShardStore store, StoreWalk? walk = null)
        {
            walk ??= new StoreWalk(store, int.MaxValue, TimeProvider.System);
            while (!walk.Done)
            {
                walk.Step();
            }

            return walk;
        }

        private string PlaceOrphan()
        {
            byte[] orphan = RandomNumberGenerator.GetBytes(50);
            string id = ShardId.Of(orphan);
            Directory.CreateDirectory(Path.GetDirectoryName(_t.Store.PathOf(id))!);
            File.WriteAllBytes(_t.Store.PathOf(id), orphan);
            return id;
        }

        private string Put(int size)
        {
            byte[] data = RandomNumberGenerator.GetBytes(size);
            string id = ShardId.Of(data);
            _t.Store.PutShard(id, new MemoryStream(data));
            return id;
        }

        private sealed class ManualClock : TimeProvider
        {
            private long _ticks;

            public override long TimestampFrequency => TimeSpan.TicksPerSecond;

            public override long GetTimestamp() => _ticks;

            public void Advance(TimeSpan by) => _ticks += by.Ticks;
        }
    }
}
