using System.Security.Cryptography;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Tests.Storage;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>The hub's sync view of a real ShardStore: serving and receiving shards.</summary>
    public sealed class ShardStoreSyncStoreTests
    {
        private const int Chunk = 64 * 1024;

        private static byte[] Bytes(int n, int seed)
        {
            var b = new byte[n];
            new Random(seed).NextBytes(b);
            return b;
        }

        private static string Put(TempStore t, byte[] data)
        {
            string id = ShardId.Of(data);
            t.Store.PutShard(id, new MemoryStream(data));
            return id;
        }

        private static byte[] ReadPass(ShardStoreSyncStore sync, string id, long length)
        {
            var all = new byte[length];
            long at = 0;
            while (at < length)
            {
                int n = sync.Read(id, at, all, (int)at, (int)Math.Min(Chunk, length - at));
                Assert.True(n > 0, "read returned " + n + " at " + at);
                at += n;
            }

            return all;
        }

        private static void Receive(ShardStoreSyncStore sync, string id, byte[] data)
        {
            for (int at = 0; at < data.Length; at += Chunk)
            {
                sync.AppendPartial(id, at, data, at, Math.Min(Chunk, data.Length - at));
            }
        }

        [Fact]
        public void Read_WholePassInChunks_ReturnsTheShardsBytes()
        {
            using var t = new TempStore();
            var sync = new ShardStoreSyncStore(t.Store, ShardStoreSyncStore.PartialsOf(t.Home));
            byte[] data = Bytes(300_001, 1);
            string id = Put(t, data);

            Assert.Equal(data, ReadPass(sync, id, data.Length));
            Assert.Equal(data, ReadPass(sync, id, data.Length));
        }

        [Fact]
        public void Read_ServesWithoutRehashing_PeersBadHashThenQuarantinesTheCorruptCopy()
        {
            string home = Path.Combine(Path.GetTempPath(), "aesy-serve-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(home);
            var stages = new StoreStages();
            try
            {
                using var store = ShardStore.Open(home, 1L << 30, stages: stages);
                var sync = new ShardStoreSyncStore(store, ShardStoreSyncStore.PartialsOf(home));
                byte[] data = Bytes(200_000, 2);
                string id = ShardId.Of(data);
                store.PutShard(id, new MemoryStream(data));
                TempStore.FlipByte(store.PathOf(id), 150_000);

                // The receiver's hash is the check: the serving side reads the bytes as they are.
                byte[] served = ReadPass(sync, id, data.Length);
                Assert.NotEqual(data, served);
                Assert.Equal(0, stages.Verify.Sample().Bytes);

                sync.PeerRefused(id);

                Assert.False(store.HasShard(id));
                Assert.Equal(-1, sync.LengthOf(id));
                Assert.Equal(0, sync.Read(id, 0, new byte[Chunk], 0, Chunk));
            }
            finally
            {
                Directory.Delete(home, true);
            }
        }

        [Fact]
        public void PeerRefused_IntactShard_KeptAndStillServed()
        {
            using var t = new TempStore();
            var sync = new ShardStoreSyncStore(t.Store, ShardStoreSyncStore.PartialsOf(t.Home));
            byte[] data = Bytes(70_000, 6);
            string id = Put(t, data);

            sync.PeerRefused(id);

            Assert.True(t.Store.HasShard(id));
            Assert.Equal(data, ReadPass(sync, id, data.Length));
        }

        [Fact]
        public void Read_ManyShardsInterleaved_EachPassCorrect()
        {
            using var t = new TempStore();
            var sync = new ShardStoreSyncStore(t.Store, ShardStoreSyncStore.PartialsOf(t.Home));
            int count = ShardStoreSyncStore.MaxServingShards + 3;
            var shards = Enumerable.Range(0, count).Select(i => Bytes(2 * Chunk + i, 10 + i)).ToArray();
            var ids = shards.Select(d => Put(t, d)).ToArray();
            var got = shards.Select(d => new byte[d.Length]).ToArray();

            // Round-robin chunk by chunk: more passes open at once than handles are kept.
            for (long at = 0; at < shards.Max(d => d.Length); at += Chunk)
            {
                for (int i = 0; i < count; i++)
                {
                    if (at < shards[i].Length)
                    {
                        int n = sync.Read(ids[i], at, got[i], (int)at, (int)Math.Min(Chunk, shards[i].Length - at));
                        Assert.Equal(Math.Min(Chunk, shards[i].Length - at), n);
                    }
                }
            }

            Assert.All(Enumerable.Range(0, count), i => Assert.Equal(shards[i], got[i]));
        }

        [Fact]
        public void CompletePartial_ContentHashesToId_StoredAndPartialGone()
        {
            using var t = new TempStore();
            var sync = new ShardStoreSyncStore(t.Store, ShardStoreSyncStore.PartialsOf(t.Home));
            byte[] data = Bytes(250_000, 3);
            string id = ShardId.Of(data);
            Receive(sync, id, data);

            Assert.Equal(AckStatus.Ok, sync.CompletePartial(id, data.Length, SHA256.HashData(data)));

            Assert.True(t.Store.HasShard(id));
            using (var s = t.Store.TryOpenShard(id))
            {
                Assert.NotNull(s);
                var back = new byte[data.Length];
                s!.ReadExactly(back);
                Assert.Equal(data, back);
            }

            Assert.Empty(Directory.GetFiles(sync.PartialDir));
            Assert.True(t.Reopen(verifyHashes: true).OpenReport.Clean);
        }

        [Fact]
        public void CompletePartial_PeerClaimsMatchingHashForWrongId_BadHashAndNotStored()
        {
            using var t = new TempStore();
            var sync = new ShardStoreSyncStore(t.Store, ShardStoreSyncStore.PartialsOf(t.Home));
            byte[] data = Bytes(100_000, 4);
            string otherId = ShardId.Of(Bytes(10, 5));
            Receive(sync, otherId, data);

            Assert.Equal(AckStatus.BadHash, sync.CompletePartial(otherId, data.Length, SHA256.HashData(data)));

            Assert.False(t.Store.HasShard(otherId));
            Assert.Empty(Directory.GetFiles(sync.PartialDir));
        }

        [Fact]
        public void CompletePartial_OverAllocation_NoSpaceAndNothingKept()
        {
            using var t = new TempStore(allocationBytes: 50_000);
            var sync = new ShardStoreSyncStore(t.Store, ShardStoreSyncStore.PartialsOf(t.Home));
            byte[] data = Bytes(60_000, 6);
            string id = ShardId.Of(data);
            Receive(sync, id, data);

            Assert.Equal(AckStatus.NoSpace, sync.CompletePartial(id, data.Length, SHA256.HashData(data)));

            Assert.False(t.Store.HasShard(id));
            Assert.Empty(Directory.GetFiles(sync.PartialDir));
            Assert.Empty(t.FilesUnderShards());
        }

        [Fact]
        public void AdoptPushed_FsyncsEachShardOfTheGroupOnce_AndIndexesTheGroupInOneTransaction()
        {
            string home = Path.Combine(Path.GetTempPath(), "aesy-adopt-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(home);
            var stages = new StoreStages();
            try
            {
                using var store = ShardStore.Open(home, 1L << 30, stages: stages);
                var sync = new ShardStoreSyncStore(store, ShardStoreSyncStore.PartialsOf(home));
                var pushed = new List<(string Id, string Path)>();
                for (int i = 0; i < 3; i++)
                {
                    byte[] data = Bytes(50_000 + i, 10 + i);
                    string temp = store.NewTempPath();
                    File.WriteAllBytes(temp, data);
                    pushed.Add((ShardId.Of(data), temp));
                }

                long before = stages.Fsync.Sample().Calls;
                long indexBefore = stages.Index.Sample().Calls;
                var statuses = sync.AdoptPushed(pushed);

                Assert.All(statuses, s => Assert.Equal(AckStatus.Ok, s));
                Assert.Equal(3, stages.Fsync.Sample().Calls - before);
                Assert.Equal(1, stages.Index.Sample().Calls - indexBefore);
                Assert.Equal(3, stages.Index.Sample().Bytes);
                Assert.All(pushed, p => Assert.True(store.HasShard(p.Id)));
            }
            finally
            {
                Directory.Delete(home, true);
            }
        }
    }
}
