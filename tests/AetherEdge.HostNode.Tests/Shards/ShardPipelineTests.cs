using System.Security.Cryptography;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Tests.Storage;
using CsCheck;

namespace AetherEdge.HostNode.Tests.Shards
{
    public sealed class ShardPipelineTests : IDisposable
    {
        private const int Segment = 4096;
        private readonly TempStore _t = new();

        public void Dispose() => _t.Dispose();

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(Segment - 16)]
        [InlineData(Segment)]
        [InlineData(3 * Segment)]
        [InlineData(3 * Segment + 7)]
        public void Put_ThenGet_SameBytes(int size)
        {
            string input = _t.NewFile(size, size);
            var put = _t.Pipeline.Put(input, 10, 5, Segment);
            string output = _t.OutPath();
            Assert.Equal(size, _t.Pipeline.Get(put.FileId, output));
            Assert.True(TempStore.SameContent(input, output));
            Assert.Equal(15, put.Manifest.ShardIds.Distinct().Count());
            Assert.Equal(put.StoredBytes, _t.Store.UsedBytes);
        }

        [Fact]
        public void Put_DefaultSegmentExactMultiple_RoundTrips()
        {
            string input = _t.NewFile(2L * ShardLimits.DefaultSegmentBytes, 9);
            var put = _t.Pipeline.Put(input);
            Assert.Equal(2, put.Manifest.Layout.SegmentCount);
            string output = _t.OutPath();
            _t.Pipeline.Get(put.FileId, output);
            Assert.True(TempStore.SameContent(input, output));
        }

        [Fact]
        public void Put_DataShardsAreCiphertext_NotPlaintext()
        {
            string input = Path.Combine(_t.Home, "zeros");
            File.WriteAllBytes(input, new byte[10 * Segment]);
            var put = _t.Pipeline.Put(input, 4, 2, Segment);
            byte[] shard0 = File.ReadAllBytes(_t.Store.PathOf(put.Manifest.ShardIds[0]));
            Assert.True(shard0.Count(b => b == 0) < shard0.Length / 10, "a data shard of an all-zero file must not be mostly zeros");
        }

        [Fact]
        public void Get_AnyParityCountOfShardsDeletedOrCorrupted_StillRebuilds()
        {
            Gen.Select(Gen.Int[1, 6], Gen.Int[1, 4], Gen.Int[0, 40000], Gen.Int).Sample((k, m, size, seed) =>
            {
                using var t = new TempStore();
                string input = t.NewFile(size, seed);
                var put = t.Pipeline.Put(input, k, m, Segment);
                var rnd = new Random(seed);
                int lose = rnd.Next(m + 1);
                foreach (int i in Enumerable.Range(0, k + m).OrderBy(_ => rnd.Next()).Take(lose))
                {
                    string path = t.Store.PathOf(put.Manifest.ShardIds[i]);
                    if (rnd.Next(2) == 0)
                    {
                        File.Delete(path);
                    }
                    else
                    {
                        TempStore.FlipByte(path, rnd.NextInt64(new FileInfo(path).Length));
                    }
                }

                string output = t.OutPath();
                t.Pipeline.Get(put.FileId, output);
                return TempStore.SameContent(input, output);
            }, iter: 25);
        }

        [Fact]
        public void Get_MoreThanParityLost_FailsNamingCountsAndWritesNothing()
        {
            string input = _t.NewFile(50_000);
            var put = _t.Pipeline.Put(input, 10, 5, Segment);
            foreach (int i in new[] { 0, 3, 7, 11, 12, 14 })
            {
                File.Delete(_t.Store.PathOf(put.Manifest.ShardIds[i]));
            }

            string output = _t.OutPath();
            var e = Assert.Throws<InsufficientShardsException>(() => _t.Pipeline.Get(put.FileId, output));
            Assert.Contains("only 9 of 15", e.Message);
            Assert.Contains("10 needed", e.Message);
            Assert.False(File.Exists(output));
            Assert.Empty(Directory.GetFiles(_t.Home, "*.part"));
        }

        [Fact]
        public void Get_TamperedShard_QuarantinedNeverServedAndFileStillRebuilds()
        {
            string input = _t.NewFile(30_000);
            var put = _t.Pipeline.Put(input, 10, 5, Segment);
            string victim = put.Manifest.ShardIds[2];
            TempStore.FlipByte(_t.Store.PathOf(victim), 100);

            Assert.Null(_t.Store.TryOpenShard(victim));
            Assert.False(_t.Store.HasShard(victim));
            Assert.False(File.Exists(_t.Store.PathOf(victim)));
            Assert.True(File.Exists(Path.Combine(_t.Store.QuarantinePath, victim)));
            Assert.Contains("quarantined " + victim, File.ReadAllText(Path.Combine(_t.Home, ShardStore.LogFileName)));

            string output = _t.OutPath();
            _t.Pipeline.Get(put.FileId, output);
            Assert.True(TempStore.SameContent(input, output));
        }

        [Fact]
        public void Get_TamperedManifest_RefusedBeforeAnyShardIsRead()
        {
            string input = _t.NewFile(10_000);
            var put = _t.Pipeline.Put(input, 4, 2, Segment);
            byte[] body = _t.Store.TryGetManifest(put.FileId)!;
            for (int position = 0; position < body.Length; position += 37)
            {
                byte[] bad = (byte[])body.Clone();
                bad[position] ^= 1;
                _t.Store.PutManifest(put.FileId, bad);
                var e = Assert.Throws<ShardException>(() => _t.Pipeline.Get(put.FileId, _t.OutPath()));
                Assert.Contains("manifest failed authentication", e.Message);
            }

            _t.Store.PutManifest(put.FileId, body[..^1]);
            Assert.Throws<ShardException>(() => _t.Pipeline.ReadManifest(put.FileId));
        }

        [Fact]
        public void Get_OtherUsersKey_CannotReadManifest()
        {
            var put = _t.Pipeline.Put(_t.NewFile(1000), 2, 1, Segment);
            var stranger = new ShardPipeline(_t.Store, new UserKeys(RandomNumberGenerator.GetBytes(32)));
            Assert.Throws<ShardException>(() => stranger.Get(put.FileId, _t.OutPath()));
        }

        [Fact]
        public void Get_ManifestSwappedBetweenFiles_Refused()
        {
            var a = _t.Pipeline.Put(_t.NewFile(1000, 1), 2, 1, Segment);
            var b = _t.Pipeline.Put(_t.NewFile(1000, 2), 2, 1, Segment);
            _t.Store.PutManifest(a.FileId, _t.Store.TryGetManifest(b.FileId)!);
            var e = Assert.Throws<ShardException>(() => _t.Pipeline.Get(a.FileId, _t.OutPath()));
            Assert.Contains("belongs to file " + b.FileId, e.Message);
        }

        [Fact]
        public void Get_UnknownFile_Throws()
        {
            Assert.Throws<UnknownFileException>(() => _t.Pipeline.Get("0123456789abcdef0123456789abcdef", _t.OutPath()));
        }

        [Fact]
        public void Manifest_SerializeParse_RoundTripsEveryField()
        {
            var put = _t.Pipeline.Put(_t.NewFile(12345), 3, 2, Segment);
            var back = ShardManifest.Parse(_t.Store.TryGetManifest(put.FileId)!, _t.Keys.ManifestKey);
            Assert.Equal(put.Manifest.FileId, back.FileId);
            Assert.Equal(12345, back.OriginalBytes);
            Assert.Equal(Segment, back.SegmentBytes);
            Assert.Equal(3, back.DataShards);
            Assert.Equal(5, back.TotalShards);
            Assert.Equal(put.Manifest.ShardIds, back.ShardIds);
            Assert.Equal(put.Manifest.WrappedKey, back.WrappedKey);
            Assert.Equal(put.Manifest.CreatedUtc.ToUnixTimeMilliseconds(), back.CreatedUtc.ToUnixTimeMilliseconds());
        }

        [Fact]
        public void Put_OverQuota_RefusedLeavingNoFilesRowsOrManifests()
        {
            using var small = new TempStore(allocationBytes: 100_000);
            string input = small.NewFile(80_000);
            var e = Assert.Throws<QuotaExceededException>(() => small.Pipeline.Put(input, 10, 5, Segment));
            Assert.StartsWith("quota exceeded: need ", e.Message);
            Assert.Equal((100_000L, 100_000L), (e.AvailableBytes, e.AllocationBytes));
            Assert.Contains("available 100 KB (100000 bytes) of 100 KB (100000 bytes) allocation", e.Message);
            Assert.Empty(small.FilesUnderShards());
            Assert.Equal(0, small.Store.ShardCount);
            Assert.Equal(0, small.Store.ManifestCount);
            Assert.True(small.Reopen(verifyHashes: true).OpenReport.Clean);
        }

        [Fact]
        public void Put_FailureMidway_LeavesNothing()
        {
            string input = _t.NewFile(100_000);
            using var cts = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() =>
                _t.Pipeline.Put(input, 10, 5, Segment, done => { if (done > 50_000) { cts.Cancel(); } }, cts.Token));
            Assert.Empty(_t.FilesUnderShards());
            Assert.Equal(0, _t.Store.ShardCount);
            Assert.Equal(0, _t.Store.ManifestCount);
        }

        [Fact]
        [Trait("Category", "Slow")]
        public void Put_ThenGet_OneGiBFile_StreamedWithBoundedMemory()
        {
            const long size = 1L << 30;
            string input = _t.NewFile(size, 42);
            var stages = new PutStages();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var put = new ShardPipeline(_t.Store, _t.Keys, stages).Put(input);
            long putAllocated = GC.GetAllocatedBytesForCurrentThread() - before + stages.AllocatedBytes;

            string output = _t.OutPath();
            before = GC.GetAllocatedBytesForCurrentThread();
            _t.Pipeline.Get(put.FileId, output);
            long getAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // One stripe is 15 × ceil((4 MiB + 16) / 10) ≈ 6.3 MiB; the whole file is 1024 MiB.
            Assert.True(putAllocated < 64L << 20, "put allocated " + putAllocated + " bytes for a 1 GiB file");
            Assert.True(getAllocated < 64L << 20, "get allocated " + getAllocated + " bytes for a 1 GiB file");
            Assert.Equal(256, put.Manifest.Layout.SegmentCount);
            Assert.True(TempStore.SameContent(input, output));
        }
    }
}
