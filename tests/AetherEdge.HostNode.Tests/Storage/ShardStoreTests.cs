using System.Security.Cryptography;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Storage
{
    public sealed class ShardStoreTests : IDisposable
    {
        private readonly TempStore _t = new(allocationBytes: 1_000_000);

        public void Dispose() => _t.Dispose();

        [Fact]
        public void PutShard_ThenTryOpen_ServesSameBytesAndIndexesIt()
        {
            byte[] data = RandomNumberGenerator.GetBytes(5000);
            string id = ShardId.Of(data);
            var row = _t.Store.PutShard(id, new MemoryStream(data), "0123456789abcdef0123456789abcdef", 3);

            Assert.Equal(5000, row.Size);
            Assert.True(_t.Store.HasShard(id));
            Assert.Equal(5000, _t.Store.LengthOf(id));
            Assert.Equal(5000, _t.Store.UsedBytes);
            Assert.Equal(id, Path.GetFileName(_t.Store.PathOf(id)));
            Assert.Equal(Path.Combine(_t.Store.ShardsPath, id[..2], id[2..4], id), _t.Store.PathOf(id));
            var listed = Assert.Single(_t.Store.ListShards());
            Assert.Equal(3, listed.Index);
            Assert.Equal("0123456789abcdef0123456789abcdef", listed.FileId);
            using var s = _t.Store.TryOpenShard(id)!;
            var back = new MemoryStream();
            s.CopyTo(back);
            Assert.Equal(data, back.ToArray());
        }

        [Fact]
        public void PutShard_BytesNotMatchingId_RejectedLeavingNothing()
        {
            byte[] data = RandomNumberGenerator.GetBytes(100);
            string wrongId = ShardId.Of(RandomNumberGenerator.GetBytes(100));
            Assert.Throws<ShardHashMismatchException>(() => _t.Store.PutShard(wrongId, new MemoryStream(data)));
            Assert.False(_t.Store.HasShard(wrongId));
            Assert.Empty(_t.FilesUnderShards());
        }

        [Fact]
        public void PutShard_OverQuota_RefusedLeavingNothing_SeekableAndNot()
        {
            byte[] data = RandomNumberGenerator.GetBytes(1_000_001);
            string id = ShardId.Of(data);
            var e = Assert.Throws<QuotaExceededException>(() => _t.Store.PutShard(id, new MemoryStream(data)));
            Assert.Equal("quota exceeded: need 1 MB (1000001 bytes), available 1 MB (1000000 bytes) of 1 MB (1000000 bytes) allocation", e.Message);
            Assert.Throws<QuotaExceededException>(() => _t.Store.PutShard(id, new NonSeekable(data)));
            Assert.Empty(_t.FilesUnderShards());
            Assert.Equal(0, _t.Store.ShardCount);
        }

        [Fact]
        public void PutShard_AlreadyHeld_DoesNotReadOrDuplicate()
        {
            byte[] data = RandomNumberGenerator.GetBytes(10);
            string id = ShardId.Of(data);
            _t.Store.PutShard(id, new MemoryStream(data));
            _t.Store.PutShard(id, new NonSeekable(Array.Empty<byte>()));
            Assert.Equal(1, _t.Store.ShardCount);
            Assert.Equal(10, _t.Store.UsedBytes);
        }

        [Fact]
        public void PutShard_BadId_Throws()
        {
            Assert.Throws<ArgumentException>(() => _t.Store.PutShard("../../etc/passwd", new MemoryStream()));
            Assert.Null(_t.Store.TryOpenShard("ABC"));
        }

        [Fact]
        public void TryOpenShard_SameLengthCorruption_QuarantinedAndNotServed()
        {
            string id = Put(2000);
            TempStore.FlipByte(_t.Store.PathOf(id), 1999);
            Assert.Null(_t.Store.TryOpenShard(id));
            Assert.False(_t.Store.HasShard(id));
            Assert.True(File.Exists(Path.Combine(_t.Store.QuarantinePath, id)));
            Assert.Equal(0, _t.Store.UsedBytes);
        }

        [Fact]
        public void Reconcile_TempFilesOrphansAndMissingFiles_Repaired()
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
            byte[] orphan = RandomNumberGenerator.GetBytes(50);
            string orphanId = ShardId.Of(orphan);
            Directory.CreateDirectory(Path.GetDirectoryName(_t.Store.PathOf(orphanId))!);
            File.WriteAllBytes(_t.Store.PathOf(orphanId), orphan);
            File.WriteAllText(Path.Combine(_t.Store.ShardsPath, "stray.txt"), "?");

            var r = _t.Reopen().OpenReport;

            Assert.Equal(1, r.TempFilesDeleted);
            Assert.Equal(1, r.RowsWithoutFilesRemoved);
            Assert.Equal(2, r.OrphanFilesQuarantined);
            Assert.Equal(1, r.CorruptFilesQuarantined);
            Assert.Equal(new[] { kept }, _t.Store.ListShards().Select(s => s.Id));
            Assert.True(File.Exists(Path.Combine(_t.Store.QuarantinePath, orphanId)));
            Assert.True(File.Exists(Path.Combine(_t.Store.QuarantinePath, truncated)));
            Assert.True(_t.Reopen().OpenReport.Clean);
        }

        [Fact]
        public void Reconcile_VerifyHashes_FindsSameSizeCorruptionQuickModeDoesNot()
        {
            string good = Put(100);
            string bad = Put(100);
            TempStore.FlipByte(_t.Store.PathOf(bad), 0);
            Assert.True(_t.Reopen(verifyHashes: false).OpenReport.Clean);
            var r = _t.Reopen(verifyHashes: true).OpenReport;
            Assert.Equal(1, r.CorruptFilesQuarantined);
            Assert.Equal(1, r.ShardsVerified);
            Assert.Equal(good, Assert.Single(_t.Store.ListShards()).Id);
        }

        [Fact]
        public void Open_WhileAnotherWriterIsMidPut_LeavesItsTempFilesAndRefusesASecondWriter()
        {
            using (var writer = _t.Store.BeginShardSet(2, 10))
            {
                writer.Write(0, new byte[5], 0, 5);
                using var other = ShardStore.Open(_t.Home, _t.AllocationBytes);
                Assert.True(other.OpenReport.SkippedBusy);
                Assert.Equal(2, Directory.GetFiles(_t.Store.TempPath).Length);
                var e = Assert.Throws<IOException>(() => other.BeginShardSet(1, 1));
                Assert.Contains("another aether process is writing", e.Message);
                Assert.Throws<IOException>(() => other.Reconcile(false));
                byte[] data = { 1, 2, 3 };
                Assert.Throws<IOException>(() => other.PutShard(ShardId.Of(data), new MemoryStream(data)));
            }

            Assert.Empty(Directory.GetFiles(_t.Store.TempPath));
            Assert.True(_t.Store.Reconcile(false).Clean);
        }

        [Fact]
        public void Manifests_PutGetListReplace_PersistAcrossReopen()
        {
            string aa = new('a', 32);
            string bb = new('b', 32);
            _t.Store.PutManifest(aa, new byte[] { 1, 2 });
            _t.Store.PutManifest(bb, new byte[] { 3 });
            _t.Store.PutManifest(aa, new byte[] { 9 });
            _t.Reopen();
            Assert.Equal(new[] { aa, bb }, _t.Store.ListManifests());
            Assert.Equal(new byte[] { 9 }, _t.Store.TryGetManifest(aa));
            Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(Path.Combine(_t.Store.ManifestsPath, aa)));
            Assert.Null(_t.Store.TryGetManifest(new string('c', 32)));
            Assert.Equal(2, _t.Store.ManifestCount);
            Assert.Throws<ArgumentException>(() => _t.Store.PutManifest("../../etc/x", new byte[] { 1 }));
        }

        [Fact]
        public void Open_CorruptIndex_ClearIOException()
        {
            _t.Store.Dispose();
            File.WriteAllText(Path.Combine(_t.Home, ShardStore.IndexFileName), new string('x', 5000));
            File.Delete(Path.Combine(_t.Home, ShardStore.IndexFileName + "-wal"));
            var e = Assert.Throws<IOException>(() => ShardStore.Open(_t.Home, 1000));
            Assert.Contains("index.db is unusable", e.Message);
            Assert.Contains("aether repair-index", e.Message);
            File.Delete(Path.Combine(_t.Home, ShardStore.IndexFileName));
            _t.Reopen();
        }

        private string Put(int size)
        {
            byte[] data = RandomNumberGenerator.GetBytes(size);
            string id = ShardId.Of(data);
            _t.Store.PutShard(id, new MemoryStream(data));
            return id;
        }

        private sealed class NonSeekable : Stream
        {
            private readonly MemoryStream _inner;

            public NonSeekable(byte[] data) => _inner = new MemoryStream(data);

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
