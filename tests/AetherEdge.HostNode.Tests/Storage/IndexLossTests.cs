using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using Microsoft.Data.Sqlite;

namespace AetherEdge.HostNode.Tests.Storage
{
    /// <summary>
    /// A store whose index.db was deleted, emptied or lost a table: opening it must refuse (the seed-era
    /// store opened it as new, showed 0 files and quarantined every shard), and RebuildIndex must bring
    /// the files back from the shard headers and manifest files on disk.
    /// </summary>
    public sealed class IndexLossTests : IDisposable
    {
        private const int Segment = 4096;
        private readonly TempStore _t = new();
        private readonly List<(string FileId, string Input)> _files = new();

        public IndexLossTests()
        {
            for (int i = 0; i < 2; i++)
            {
                string input = _t.NewFile(30_000 + (i * 7_000), 10 + i);
                _files.Add((_t.Pipeline.Put(input, 4, 2, Segment).FileId, input));
            }
        }

        public void Dispose() => _t.Dispose();

        private string Index => Path.Combine(_t.Home, ShardStore.IndexFileName);

        [Fact]
        public void DeletedIndex_IsRefusedNamingTheFix_RepairBringsEveryFileBackByteIdentical()
        {
            var shardsBefore = _t.Store.ListShards().Select(s => (s.Id, s.Size, s.FileId, s.Index)).OrderBy(s => s.Id).ToList();
            _t.Store.Dispose();
            DeleteIndex();

            var e = Assert.Throws<IndexLostException>(() => ShardStore.Open(_t.Home, _t.AllocationBytes));
            Assert.Contains("index.db is missing", e.Message);
            Assert.Contains("aether repair-index --home " + _t.Home, e.Message);
            Assert.DoesNotContain("\n", e.Message);
            Assert.False(File.Exists(Index), "refusing created no new index");
            Assert.False(Directory.Exists(Path.Combine(_t.Home, ShardStore.QuarantineFolder)), "refusing quarantined nothing");

            var report = ShardStore.RebuildIndex(_t.Home, _t.AllocationBytes, new ShardFormat());
            Assert.Equal(12, report.ShardsIndexed);
            Assert.Equal(2, report.ManifestsIndexed);
            Assert.Equal(0, report.ShardsQuarantined + report.ShardsWithoutHeader + report.ShardsWithoutManifest);
            Assert.Null(report.OldIndexKeptAs);

            var store = _t.Reopen();
            Assert.True(store.OpenReport.Clean, store.OpenReport.ToString());
            Assert.Equal(shardsBefore, store.ListShards().Select(s => (s.Id, s.Size, s.FileId, s.Index)).OrderBy(s => s.Id).ToList());
            Assert.Equal(_files.Select(f => f.FileId).OrderBy(x => x), store.ListManifests());
            foreach (var (fileId, input) in _files)
            {
                string output = _t.OutPath();
                _t.Pipeline.Get(fileId, output);
                Assert.True(TempStore.SameContent(input, output));
            }
        }

        [Fact]
        public void EmptiedIndex_IsRefused()
        {
            Sql("DELETE FROM shards; DELETE FROM manifests;");
            var e = Assert.Throws<IndexLostException>(() => ShardStore.Open(_t.Home, _t.AllocationBytes));
            Assert.Contains("index.db is empty", e.Message);
        }

        [Fact]
        public void DroppedManifestsTable_IsRefused_WhereTheSeedEraStoreShowedNoFilesButCountedTheBytes_RepairRestores()
        {
            long used = _t.Store.UsedBytes;
            Sql("DROP TABLE manifests;");
            var e = Assert.Throws<IndexLostException>(() => ShardStore.Open(_t.Home, _t.AllocationBytes));
            Assert.Contains("has no manifests table", e.Message);

            var report = ShardStore.RebuildIndex(_t.Home, _t.AllocationBytes, new ShardFormat());
            Assert.NotNull(report.OldIndexKeptAs);
            Assert.True(File.Exists(report.OldIndexKeptAs));
            var store = _t.Reopen();
            Assert.Equal(2, store.ManifestCount);
            Assert.Equal(used, store.UsedBytes);
        }

        [Fact]
        public void CorruptShardsDuringRebuild_AreQuarantinedAndCounted_FilesStillReadFromTheRest()
        {
            var victims = _t.Store.ListShards().Where(s => s.FileId == _files[0].FileId).Take(2).Select(s => s.Id).ToList();
            _t.Store.Dispose();
            foreach (string id in victims)
            {
                TempStore.FlipByte(Path.Combine(_t.Home, ShardStore.ShardsFolder, id[..2], id[2..4], id), 100);
            }

            File.WriteAllBytes(Path.Combine(_t.Home, ShardStore.ManifestsFolder, new string('e', 32)), new byte[] { 1, 2, 3 });
            DeleteIndex();

            var report = ShardStore.RebuildIndex(_t.Home, _t.AllocationBytes, new ShardFormat());
            Assert.Equal(2, report.ShardsQuarantined);
            Assert.Equal(10, report.ShardsIndexed);
            Assert.Equal(1, report.ManifestsQuarantined);
            Assert.Equal(2, report.ManifestsIndexed);
            var store = _t.Reopen();
            Assert.Equal(3, store.QuarantinedCount);
            Assert.All(victims, id => Assert.False(store.HasShard(id)));
            string output = _t.OutPath();
            _t.Pipeline.Get(_files[0].FileId, output);
            Assert.True(TempStore.SameContent(_files[0].Input, output));
        }

        [Fact]
        public void StoreWithoutManifestFiles_GetsThemWrittenOnOpen()
        {
            Directory.Delete(_t.Store.ManifestsPath, true);
            var store = _t.Reopen();
            Assert.Equal(2, store.OpenReport.ManifestFilesWritten);
            Assert.Equal(2, Directory.GetFiles(store.ManifestsPath).Length);
            Assert.Equal(0, _t.Reopen().OpenReport.ManifestFilesWritten);
        }

        [Fact]
        public void NewHome_MissingIndexWithNoFiles_OpensAsANewStore()
        {
            string home = Path.Combine(_t.Home, "fresh");
            using var store = ShardStore.Open(home, 1 << 20);
            Assert.Equal(0, store.ShardCount);
        }

        private void DeleteIndex()
        {
            foreach (string suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(Index + suffix);
            }
        }

        private void Sql(string sql)
        {
            _t.Store.Dispose();
            using (var db = new SqliteConnection("Data Source=" + Index + ";Pooling=false"))
            {
                db.Open();
                using var cmd = db.CreateCommand();
                cmd.CommandText = sql;
                cmd.ExecuteNonQuery();
            }
        }
    }
}
