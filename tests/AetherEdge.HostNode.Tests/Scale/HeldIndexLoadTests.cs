using System.Security.Cryptography;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Tests.Storage;

namespace AetherEdge.HostNode.Tests.Scale
{
    /// <summary>
    /// Start-up within 5 s at 100,000 files (issue 17): the held index's first load runs in steps of a chunk of shards
    /// (the lock is let go between them), and until it is done lookups and used bytes come from the store. Counted
    /// with a chunk of 10 over 50 shards, not timed.
    /// </summary>
    public sealed class HeldIndexLoadTests : IDisposable
    {
        private const int Chunk = 10;
        private readonly TempStore _t = new();
        private readonly ShardStoreSyncStore _sync;
        private readonly List<string> _ids = new();

        public HeldIndexLoadTests()
        {
            using (var writer = new ShardStoreSyncStore(_t.Store, ShardStoreSyncStore.PartialsOf(_t.Home)))
            {
                for (int i = 0; i < 50; i++)
                {
                    _ids.Add(Put(writer, i));
                }
            }

            _ids.Sort(StringComparer.Ordinal);
            _sync = new ShardStoreSyncStore(_t.Store, ShardStoreSyncStore.PartialsOf(_t.Home), indexLoadChunk: Chunk);
        }

        public void Dispose()
        {
            _sync.Dispose();
            _t.Dispose();
        }

        private static string Put(ShardStoreSyncStore sync, int seed)
        {
            byte[] data = RandomNumberGenerator.GetBytes(100 + seed);
            string id = ShardId.Of(data);
            sync.AddShard(id, new MemoryStream(data));
            return id;
        }

        private int StepsToLoad()
        {
            int steps = 1;
            while (!_sync.LoadIndexStep())
            {
                steps++;
            }

            return steps;
        }

        [Fact]
        public void UsedBytesAndLookups_BeforeTheLoad_ComeFromTheStoreWithoutLoadingIt()
        {
            long used = _sync.UsedBytes;
            bool has = _sync.HasShard(_ids[7]);
            long length = _sync.LengthOf(_ids[7]);

            Assert.Equal(_t.Store.UsedBytes, used);
            Assert.True(has);
            Assert.Equal(_t.Store.LengthOf(_ids[7]), length);
            Assert.False(_sync.HasShard(new string('a', 64)));
            Assert.Equal(0, _sync.IndexLoads);
            Assert.True(_sync.IndexStoreLookups >= 3);
        }

        [Fact]
        public void FirstLoad_RunsOneChunkPerStep_ManifestsFirst()
        {
            // Manifests, five full chunks of 10, then the short (empty) chunk that ends it.
            Assert.Equal(1 + (50 / Chunk) + 1, StepsToLoad());
            Assert.Equal(1, _sync.IndexLoads);
            Assert.Equal(_ids, _sync.ListItems().Select(e => e.Id));
        }

        [Fact]
        public void PartlyLoaded_LookupsInTheLoadedRangeAskNothing_AboveItAskTheStore()
        {
            Assert.False(_sync.LoadIndexStep());
            Assert.False(_sync.LoadIndexStep());
            long before = _t.Store.Queries;

            Assert.True(_sync.HasShard(_ids[3]));
            Assert.Equal(before, _t.Store.Queries);
            Assert.True(_sync.HasShard(_ids[40]));
            Assert.Equal(before + 1, _t.Store.Queries);
        }

        [Fact]
        public void ChangesDuringTheFirstLoad_AreInTheLoadedIndex()
        {
            _sync.LoadIndexStep();
            _sync.LoadIndexStep();
            _sync.LoadIndexStep();
            string added = Put(_sync, 1000);
            Assert.True(_sync.DeleteShard(_ids[2]));
            Assert.True(_sync.DeleteShard(_ids[45]));

            StepsToLoad();

            var expected = _ids.Where(id => id != _ids[2] && id != _ids[45]).Append(added).OrderBy(id => id, StringComparer.Ordinal);
            Assert.Equal(expected, _sync.ListItems().Select(e => e.Id));
            Assert.Equal(_t.Store.UsedBytes, _sync.UsedBytes);
            Assert.Equal(1, _sync.IndexLoads);
            long queries = _t.Store.Queries;
            Assert.True(_sync.HasShard(added));
            Assert.False(_sync.HasShard(_ids[45]));
            Assert.Equal(queries, _t.Store.Queries);
        }

        [Fact]
        public void WholeInventory_DuringTheLoad_FinishesTheLoadFirst()
        {
            _sync.LoadIndexStep();

            var whole = _sync.InventorySince(0);

            Assert.True(whole.Whole);
            Assert.Equal(_ids, whole.Present.Select(e => e.Id));
            Assert.Equal(1, _sync.IndexLoads);
        }

        [Fact]
        public void AnotherProcessCommitsDuringTheLoad_TheLoadStartsOverAndHoldsItsShard()
        {
            _ = _sync.Version;
            _sync.LoadIndexStep();
            _sync.LoadIndexStep();
            byte[] data = RandomNumberGenerator.GetBytes(77);
            string theirs = ShardId.Of(data);
            using (var other = ShardStore.Open(_t.Home, _t.AllocationBytes))
            {
                other.PutShard(theirs, new MemoryStream(data));
            }

            _ = _sync.Version;
            StepsToLoad();

            Assert.Contains(theirs, _sync.ListItems().Select(e => e.Id));
            Assert.Equal(51, _sync.ListItems().Length);
            Assert.Equal(_t.Store.UsedBytes, _sync.UsedBytes);
        }
    }
}
