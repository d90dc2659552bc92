using AetherEdge.HostNode.Repair;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Tests.Storage;

namespace AetherEdge.HostNode.Tests.Repair
{
    /// <summary>Lost shards rebuilt from k others are byte-identical, or refused.</summary>
    public sealed class ShardRebuilderTests : IDisposable
    {
        private const int Segment = 1024;
        private readonly TempStore _t = new();

        public void Dispose() => _t.Dispose();

        private string TempDir => Path.Combine(_t.Home, "rebuild");

        private (ShardManifest Layout, byte[][] Shards) Put(int size, int k, int m, int seed)
        {
            var put = _t.Pipeline.Put(_t.NewFile(size, seed), k, m, Segment);
            var layout = ShardManifest.ReadUnverified(_t.Store.TryGetManifest(put.FileId)!)!;
            return (layout, layout.ShardIds.Select(id => File.ReadAllBytes(_t.Store.PathOf(id))).ToArray());
        }

        private static Dictionary<int, Stream> Streams(byte[][] shards, IEnumerable<int> indexes) =>
            indexes.ToDictionary(i => i, i => (Stream)new MemoryStream(shards[i]));

        [Theory]
        [InlineData(0, 4, 2)]
        [InlineData(1000, 4, 2)]
        [InlineData(5 * Segment + 7, 4, 3)]
        [InlineData(3 * Segment, 10, 5)]
        [InlineData(20_000, 1, 2)]
        public void Rebuild_AnyKOthers_ByteIdentical(int size, int k, int m)
        {
            var (layout, shards) = Put(size, k, m, size + k);
            int n = k + m;
            var rng = new Random(size);
            for (int trial = 0; trial < 6; trial++)
            {
                // Lose m shards at random (data and parity alike), rebuild them all from the other k.
                var lost = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(m).OrderBy(i => i).ToArray();
                var inputs = Streams(shards, Enumerable.Range(0, n).Except(lost));
                string[] made = ShardRebuilder.Rebuild(layout, inputs, lost, TempDir);
                for (int j = 0; j < lost.Length; j++)
                {
                    Assert.Equal(shards[lost[j]], File.ReadAllBytes(made[j]));
                    File.Delete(made[j]);
                }
            }
        }

        [Fact]
        public void Rebuild_FewerThanK_RefusedAndNothingWritten()
        {
            var (layout, shards) = Put(5000, 4, 2, 1);
            var e = Assert.Throws<RepairException>(() => ShardRebuilder.Rebuild(layout, Streams(shards, new[] { 0, 1, 2 }), new[] { 5 }, TempDir));
            Assert.Contains("only 3 of 6 shards available; 4 needed", e.Message);
            Assert.False(Directory.Exists(TempDir) && Directory.EnumerateFiles(TempDir).Any());
        }

        [Fact]
        public void Rebuild_CorruptInputPiece_HashMismatchRefusedAndNothingLeft()
        {
            var (layout, shards) = Put(5000, 4, 2, 2);
            byte[] bad = (byte[])shards[1].Clone();
            bad[^3] ^= 0x40;
            var inputs = Streams(shards, new[] { 0, 2, 3 });
            inputs[1] = new MemoryStream(bad);
            var e = Assert.Throws<RepairException>(() => ShardRebuilder.Rebuild(layout, inputs, new[] { 4, 5 }, TempDir));
            Assert.Contains("hashes to", e.Message);
            Assert.Empty(Directory.EnumerateFiles(TempDir));
        }

        [Fact]
        public void Rebuild_InputOfAnotherIndex_Refused()
        {
            var (layout, shards) = Put(5000, 4, 2, 3);
            var inputs = Streams(shards, new[] { 0, 1, 2 });
            inputs[3] = new MemoryStream(shards[4]);
            var e = Assert.Throws<RepairException>(() => ShardRebuilder.Rebuild(layout, inputs, new[] { 5 }, TempDir));
            Assert.Contains("header for another file or index", e.Message);
        }

        [Fact]
        public void Rebuild_InputOfAnotherFile_Refused()
        {
            var (layout, shards) = Put(5000, 4, 2, 4);
            var (_, other) = Put(5000, 4, 2, 5);
            var inputs = Streams(shards, new[] { 0, 1, 2 });
            inputs[3] = new MemoryStream(other[3]);
            Assert.Throws<RepairException>(() => ShardRebuilder.Rebuild(layout, inputs, new[] { 5 }, TempDir));
        }

        [Fact]
        public void Rebuild_TargetIsAnInput_Refused()
        {
            var (layout, shards) = Put(5000, 4, 2, 6);
            Assert.Throws<RepairException>(() => ShardRebuilder.Rebuild(layout, Streams(shards, new[] { 0, 1, 2, 3 }), new[] { 2 }, TempDir));
        }
    }
}
