using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Tests.Storage;
using CsCheck;

namespace AetherEdge.HostNode.Tests.Shards
{
    /// <summary>Many files in one pass: the library folder put, group commits and the recorded relative paths.</summary>
    public sealed class FolderPutTests : IDisposable
    {
        private const int Segment = 4096;
        private readonly TempStore _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public void PutFolder_NestedTree_EveryFileRoundTripsAndKeepsItsRelativePath()
        {
            string root = Path.Combine(_t.Home, "photos");
            var sizes = new Dictionary<string, long>
            {
                ["photos/a.bin"] = 0,
                ["photos/b.bin"] = 1,
                ["photos/2024/c.bin"] = 3 * Segment + 5,
                ["photos/2024/june/d é.bin"] = Segment - 16,
                ["photos/z/e.bin"] = 10 * Segment,
            };
            int seed = 1;
            foreach (var (rel, size) in sizes)
            {
                string path = Path.Combine(_t.Home, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.Move(_t.NewFile(size, seed++), path);
            }

            var results = _t.Pipeline.PutFolder(root, 4, 3, Segment);

            Assert.Equal(sizes.Keys.OrderBy(p => p, StringComparer.Ordinal), results.Select(r => r.RecordedPath));
            Assert.Equal(sizes.Count, _t.Store.ManifestCount);
            Assert.Equal(sizes.Count * 7, _t.Store.ShardCount);
            foreach (var r in results)
            {
                Assert.Equal(r.RecordedPath, _t.Pipeline.ReadPath(r.FileId));
                string output = _t.OutPath();
                Assert.Equal(sizes[r.RecordedPath!], _t.Pipeline.Get(r.FileId, output));
                Assert.True(TempStore.SameContent(Path.Combine(_t.Home, r.RecordedPath!), output), r.RecordedPath);
            }

            Assert.True(_t.Reopen(verifyHashes: true).OpenReport.Clean);
        }

        [Fact]
        public void PutMany_RandomSizesAndCodes_EveryFileRoundTrips()
        {
            Gen.Select(Gen.Int[1, 6], Gen.Int[1, 4], Gen.Int[0, 5 * Segment].Array[1, 12], Gen.Int).Sample((k, m, sizes, seed) =>
            {
                using var t = new TempStore();
                var sources = sizes.Select((size, i) => new PutSource(t.NewFile(size, seed + i))).ToArray();
                var results = t.Pipeline.PutMany(sources, k, m, Segment);
                for (int i = 0; i < sources.Length; i++)
                {
                    string output = t.OutPath();
                    Assert.Equal(sizes[i], t.Pipeline.Get(results[i].FileId, output));
                    Assert.True(TempStore.SameContent(sources[i].Path, output));
                    Assert.Null(results[i].RecordedPath);
                }

                Assert.Equal(sources.Length, t.Store.ManifestCount);
            }, iter: 25);
        }

        [Fact]
        public void PutMany_130Files_ThreeGroupCommitsEachOneIndexTransaction()
        {
            var stages = new StoreStages();
            using var store = ShardStore.Open(Path.Combine(_t.Home, "counted"), 1L << 40, stages: stages);
            var sources = Enumerable.Range(0, 130).Select(i => new PutSource(_t.NewFile(1000 + i, i))).ToArray();

            new ShardPipeline(store, _t.Keys).PutMany(sources, 3, 2, Segment);

            // 64 + 64 + 2 files: one transaction and one parallel fsync pass per group, not per file.
            Assert.Equal(3, stages.Index.Sample().Calls);
            Assert.Equal(3, stages.Fsync.Sample().Calls);
            Assert.Equal((130 * 5) + 130, stages.Index.Sample().Bytes);
            Assert.Equal(130 * 5, store.ShardCount);
        }

        [Fact]
        public void PutMany_SmallFiles_OneFileSystemFlushPerGroupStepNotAnFsyncPerShard_AndEverythingDurableAndClean()
        {
            string home = Path.Combine(_t.Home, "grouped");
            using (var store = ShardStore.Open(home, 1L << 40))
            {
                var sources = Enumerable.Range(0, 130).Select(i => new PutSource(_t.NewFile(200 + i, i))).ToArray();
                long before = FileSystemSync.Flushes;

                var results = new ShardPipeline(store, _t.Keys).PutMany(sources, 3, 2, Segment);

                // Groups of 64 files (320 shards): a flush for the shards, one for their renames, one for the manifest files.
                // The last group (2 files, 10 shards) is fsynced per file. Other tests in this process may flush too.
                Assert.True(FileSystemSync.Flushes - before >= 6);
                Assert.Equal(130, Directory.GetFiles(Path.Combine(home, ShardStore.ManifestsFolder)).Length);
                Assert.Empty(Directory.GetFiles(store.TempPath));
                var pipeline = new ShardPipeline(store, _t.Keys);
                for (int i = 0; i < sources.Length; i += 13)
                {
                    string output = _t.OutPath();
                    Assert.Equal(200 + i, pipeline.Get(results[i].FileId, output));
                    Assert.True(TempStore.SameContent(sources[i].Path, output));
                }
            }

            using var reopened = ShardStore.Open(home, 1L << 40, verifyHashes: true);
            Assert.True(reopened.OpenReport.Clean);
            Assert.Equal(130 * 5, reopened.OpenReport.ShardsVerified);
        }

        [Fact]
        public void Put_StageCountersAccountForEveryByte()
        {
            var putStages = new PutStages();
            var storeStages = new StoreStages();
            using var store = ShardStore.Open(Path.Combine(_t.Home, "counted"), 1L << 40, stages: storeStages);
            const int size = (7 * Segment) + 3;
            var result = new ShardPipeline(store, _t.Keys, putStages).Put(_t.NewFile(size), 4, 2, Segment);

            long shardBytes = result.Manifest.Layout.ShardBytes;
            Assert.Equal(size, putStages.Read.Sample().Bytes);
            Assert.Equal(size, putStages.Encrypt.Sample().Bytes);
            Assert.Equal(8, putStages.Encode.Sample().Calls);
            Assert.Equal(6 * shardBytes, storeStages.Hash.Sample().Bytes);
            Assert.Equal(6 * shardBytes, storeStages.Write.Sample().Bytes);
            Assert.Equal(6 * shardBytes, storeStages.Fsync.Sample().Bytes);
            Assert.Equal(1, storeStages.Index.Sample().Calls);
            Assert.Equal(6, storeStages.Rename.Sample().Calls);
            Assert.All(putStages.Snapshot().Concat(storeStages.Snapshot()).Where(s => s.Calls > 0), s => Assert.True(s.Seconds > 0, s.Stage));
        }

        [Fact]
        public void PutMany_OverQuotaTogether_RefusedBeforeAnyByteEvenThoughEachFits()
        {
            using var small = new TempStore(allocationBytes: 100_000);
            var sources = new[] { new PutSource(small.NewFile(40_000, 1)), new PutSource(small.NewFile(40_000, 2)) };
            var e = Assert.Throws<QuotaExceededException>(() => small.Pipeline.PutMany(sources, 4, 2, Segment));
            Assert.Equal((100_000L, 100_000L), (e.AvailableBytes, e.AllocationBytes));
            Assert.Contains("available 100 KB (100000 bytes) of 100 KB (100000 bytes) allocation", e.Message);
            Assert.Empty(small.FilesUnderShards());
            Assert.Equal(0, small.Store.ManifestCount);
        }

        [Fact]
        public void PutMany_CancelledMidway_EarlierGroupsCompleteTheRestAbsent()
        {
            var sources = Enumerable.Range(0, 150).Select(i => new PutSource(_t.NewFile(2000, i))).ToArray();
            using var cts = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() =>
                _t.Pipeline.PutMany(sources, 3, 2, Segment, done => { if (done > 100 * 2000) { cts.Cancel(); } }, cts.Token));

            // Each file is all or nothing: whole groups of 64 committed, nothing of the others, no temp left.
            int files = _t.Store.ManifestCount;
            Assert.True(files is 64 or 128, files + " manifests");
            Assert.Equal(files * 5, _t.Store.ShardCount);
            Assert.Empty(Directory.GetFiles(_t.Store.TempPath));
            Assert.Equal(files * 5, _t.FilesUnderShards().Count());
            foreach (string id in _t.Store.ListManifests())
            {
                Assert.Equal(2000, _t.Pipeline.Get(id, _t.OutPath()));
            }

            Assert.True(_t.Reopen(verifyHashes: true).OpenReport.Clean);
        }

        [Fact]
        public void Manifest_PutsWriteVersion3WithContentTag_PathOptional_AndVersions1And2StillRead()
        {
            var single = _t.Pipeline.Put(_t.NewFile(5000, 1), 3, 2, Segment);
            string dir = Path.Combine(_t.Home, "docs");
            Directory.CreateDirectory(dir);
            File.Move(_t.NewFile(5000, 2), Path.Combine(dir, "x.txt"));
            var folder = _t.Pipeline.PutFolder(dir, 3, 2, Segment)[0];

            byte[] v3 = _t.Store.TryGetManifest(single.FileId)!;
            byte[] v2 = _t.Store.TryGetManifest(folder.FileId)!;
            Assert.Equal(ShardManifest.ContentFormatVersion, v3[4]);
            Assert.Equal(ShardManifest.HeaderBytes + (5 * 32) + 32 + 32, v3.Length);
            Assert.Equal(ShardManifest.ContentFormatVersion, v2[4]);
            Assert.Null(ShardManifest.Parse(v3, _t.Keys.ManifestKey).EncryptedPath);
            Assert.Equal("docs/x.txt", _t.Pipeline.ReadPath(folder.FileId));

            // Manifests written before content tags (formats 1 and 2) still parse, byte for byte.
            var m = folder.Manifest;
            var old1 = new ShardManifest(m.FileId, m.OriginalBytes, m.SegmentBytes, m.DataShards, m.TotalShards, m.CreatedUtc, m.WrappedKey, m.ShardIds);
            var old2 = new ShardManifest(m.FileId, m.OriginalBytes, m.SegmentBytes, m.DataShards, m.TotalShards, m.CreatedUtc, m.WrappedKey, m.ShardIds, m.EncryptedPath);
            byte[] b1 = old1.Serialize(_t.Keys.ManifestKey);
            byte[] b2 = old2.Serialize(_t.Keys.ManifestKey);
            Assert.Equal(ShardManifest.FormatVersion, b1[4]);
            Assert.Equal(ShardManifest.HeaderBytes + (5 * 32) + 32, b1.Length);
            Assert.Equal(ShardManifest.PathFormatVersion, b2[4]);
            Assert.Null(ShardManifest.Parse(b1, _t.Keys.ManifestKey).ContentTag);
            Assert.Equal(b2, ShardManifest.Parse(b2, _t.Keys.ManifestKey).Serialize(_t.Keys.ManifestKey));
            Assert.Equal(m.ShardIds, ShardManifest.ReadUnverified(b1)!.ShardIds);

            // The path is sealed under the file key: the manifest does not show it.
            Assert.DoesNotContain("x.txt", System.Text.Encoding.UTF8.GetString(v2));

            // Hubs without the user key plan from the unauthenticated layout: it must read version 2 too.
            var layout = ShardManifest.ReadUnverified(v2);
            Assert.NotNull(layout);
            Assert.Equal(folder.Manifest.ShardIds, layout!.ShardIds);
        }

        [Fact]
        public void Manifest_TamperedPath_FailsAuthentication()
        {
            string dir = Path.Combine(_t.Home, "docs");
            Directory.CreateDirectory(dir);
            File.Move(_t.NewFile(100, 2), Path.Combine(dir, "x.txt"));
            var folder = _t.Pipeline.PutFolder(dir, 3, 2, Segment)[0];
            byte[] body = _t.Store.TryGetManifest(folder.FileId)!;
            body[body.Length - 33] ^= 1;
            Assert.Throws<ShardException>(() => ShardManifest.Parse(body, _t.Keys.ManifestKey));

            var manifest = folder.Manifest;
            byte[] otherKey = new byte[32];
            Assert.Throws<ShardException>(() => SegmentCrypto.DecryptPath(otherKey, manifest.FileId, manifest.EncryptedPath!));
        }
    }
}
