using System.Security.Cryptography;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Tests.Storage;

namespace AetherEdge.HostNode.Tests.Scale
{
    /// <summary>
    /// The hub's inventory versions over a real SQLite store (sync protocol 3's sender side): an unchanged inventory
    /// is its version only, a change is a delta of the ids it touched, another process's commit too.
    /// </summary>
    public sealed class InventoryVersionTests : IDisposable
    {
        private readonly TempStore _t = new();
        private readonly ShardStoreSyncStore _sync;
        private readonly List<string> _ids = new();

        public InventoryVersionTests()
        {
            _sync = new ShardStoreSyncStore(_t.Store, ShardStoreSyncStore.PartialsOf(_t.Home));
            for (int i = 0; i < 50; i++)
            {
                _ids.Add(Put(_sync, i));
            }
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

        [Fact]
        public void InventorySince_CurrentVersion_IsUnchangedWithNoEntries()
        {
            var whole = _sync.InventorySince(0);
            Assert.True(whole.Whole);
            Assert.Equal(50, whole.Present.Length);

            var again = _sync.InventorySince(whole.Version);

            Assert.False(again.Whole);
            Assert.Equal(whole.Version, again.Version);
            Assert.Equal(0, again.Count);
        }

        [Fact]
        public void InventorySince_AfterAnAddAndADelete_ListsOnlyThoseTwo()
        {
            long v = _sync.InventorySince(0).Version;
            string added = Put(_sync, 1000);
            Assert.True(_sync.DeleteShard(_ids[3]));

            var delta = _sync.InventorySince(v);

            Assert.False(delta.Whole);
            Assert.Equal(v, delta.Since);
            Assert.NotEqual(v, delta.Version);
            Assert.Equal(new[] { added }, delta.Present.Select(e => e.Id));
            Assert.Equal(new[] { _ids[3] }, delta.Gone);
        }

        [Fact]
        public void InventorySince_AnotherProcessCommitted_IsADeltaOfItsShardNotTheWholeInventory()
        {
            long v = _sync.InventorySince(0).Version;
            using (var other = ShardStore.Open(_t.Home, _t.AllocationBytes))
            {
                byte[] data = RandomNumberGenerator.GetBytes(77);
                other.PutShard(ShardId.Of(data), new MemoryStream(data));
            }

            var delta = _sync.InventorySince(v);

            Assert.False(delta.Whole);
            Assert.Single(delta.Present);
            Assert.Empty(delta.Gone);
            Assert.Equal(51, _sync.InventorySince(0).Present.Length);
        }

        [Fact]
        public void InventorySince_AVersionThisRunNeverHad_IsWhole()
        {
            long v = _sync.InventorySince(0).Version;

            Assert.True(_sync.InventorySince(v + 1_000_000).Whole);
            Assert.True(_sync.InventorySince(1).Whole);
            var restarted = new ShardStoreSyncStore(_t.Store, ShardStoreSyncStore.PartialsOf(_t.Home));
            Assert.True(restarted.InventorySince(v).Whole);
        }
    }
}
