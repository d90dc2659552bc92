using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Storage
{
    /// <summary>ShardStore.Remove: tombstones that keep a file removed, shards freed unless another file lists them.</summary>
    public sealed class RemoveTests : IDisposable
    {
        private readonly TempStore _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public void Remove_DeletesManifestAndShards_AndRefusesTheManifestAfterwards()
        {
            var put = _t.Pipeline.Put(_t.NewFile(300_000));
            byte[] body = _t.Store.TryGetManifest(put.FileId)!;
            var r = _t.Store.Remove(put.FileId, 1234, new ShardFormat());
            Assert.True(r.ManifestRemoved);
            Assert.Equal(put.Manifest.TotalShards, r.ShardsDeleted);
            Assert.Equal(put.StoredBytes, r.BytesFreed);
            Assert.Equal(0, _t.Store.UsedBytes);
            Assert.DoesNotContain(Directory.EnumerateFiles(_t.Store.ShardsPath, "*", SearchOption.AllDirectories), f => !f.Contains(ShardStore.TempFolder));
            Assert.Equal(1234, _t.Store.RemovedAt(put.FileId));

            // Sync offering the manifest again: refused, nothing stored.
            Assert.False(_t.Store.PutManifest(put.FileId, body));
            Assert.Empty(_t.Store.ListManifests());
        }

        [Fact]
        public void Remove_OfAFileNeverHeld_RecordsTheTombstoneOnly_AndKeepsTheLaterTime()
        {
            string id = new string('a', 32);
            var r = _t.Store.Remove(id, 500, new ShardFormat());
            Assert.False(r.ManifestRemoved);
            Assert.False(r.AlreadyRemoved);
            Assert.True(_t.Store.Remove(id, 400, new ShardFormat()).AlreadyRemoved);
            Assert.Equal(500, _t.Store.RemovedAt(id));
            _t.Store.Remove(id, 900, new ShardFormat());
            Assert.Equal(900, _t.Store.ListTombstones().Single().RemovedAtMs);
        }

        [Fact]
        public void Remove_KeepsShardsAnotherManifestLists()
        {
            var put = _t.Pipeline.Put(_t.NewFile(100_000));
            var twin = new ShardManifest(
                System.Security.Cryptography.RandomNumberGenerator.GetBytes(16), put.Manifest.OriginalBytes, put.Manifest.SegmentBytes,
                put.Manifest.DataShards, put.Manifest.TotalShards, put.Manifest.CreatedUtc, put.Manifest.WrappedKey, put.Manifest.ShardIds);
            _t.Store.PutManifest(twin.FileIdText, twin.Serialize(_t.Keys.ManifestKey));
            var r = _t.Store.Remove(put.FileId, 1, new ShardFormat());
            Assert.Equal(0, r.ShardsDeleted);
            Assert.Equal(put.Manifest.TotalShards, r.ShardsShared);
            Assert.Equal(put.Manifest.TotalShards, _t.Store.ShardCount);
        }

        [Fact]
        public void Tombstones_SurviveALostIndex()
        {
            // A folder put's manifest (format 2): the seed-era rebuild quarantined it.
            var keep = _t.Pipeline.PutMany(new[] { new PutSource(_t.NewFile(1000, 1), "a/keep.bin") })[0];
            var gone = _t.Pipeline.Put(_t.NewFile(1000, 2));
            _t.Store.Remove(gone.FileId, 77, new ShardFormat());
            _t.Store.Dispose();
            File.Delete(Path.Combine(_t.Home, ShardStore.IndexFileName));
            var report = ShardStore.RebuildIndex(_t.Home, _t.AllocationBytes, new ShardFormat());
            Assert.Equal(0, report.ManifestsQuarantined);
            var store = _t.Reopen();
            Assert.Equal(new[] { keep.FileId }, store.ListManifests());
            Assert.Equal(77, store.RemovedAt(gone.FileId));
        }

        [Fact]
        public void RemovalInterruptedAfterItsTombstoneFile_IsFinishedAtTheNextOpen()
        {
            var put = _t.Pipeline.Put(_t.NewFile(1000));
            Directory.CreateDirectory(_t.Store.RemovedPath);
            File.WriteAllText(Path.Combine(_t.Store.RemovedPath, put.FileId), "42");
            var store = _t.Reopen();
            Assert.Equal(1, store.OpenReport.TombstonesRestored);
            Assert.Empty(store.ListManifests());
            Assert.Equal(42, store.RemovedAt(put.FileId));
        }
    }
}
