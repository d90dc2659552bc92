using System.Security.Cryptography;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Push;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Tests.Storage;

namespace AetherEdge.HostNode.Tests.Push
{
    /// <summary>
    /// A holder's record of pushed shards (issue 13, "complete or absent"): shards acknowledged for a put whose origin
    /// died before committing the manifest are removed after the grace, once the origin has synced since; shards a
    /// manifest here names, or whose manifest arrived, stay. The clock is the test's.
    /// </summary>
    public sealed class PushedLedgerTests : IDisposable
    {
        private static readonly TimeSpan s_grace = TimeSpan.FromMinutes(10);
        private static readonly DateTimeOffset s_pushed = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        private readonly TempStore _origin = new();
        private readonly TempStore _holder = new();
        private readonly ShardStoreSyncStore _sync;
        private readonly PushedLedger _ledger;
        private readonly Clock _clock = new();
        private readonly DeviceId _originId = DeviceId.FromPublicKeyInfo(RandomNumberGenerator.GetBytes(91));

        public PushedLedgerTests()
        {
            _sync = new ShardStoreSyncStore(_holder.Store, ShardStoreSyncStore.PartialsOf(_holder.Home));
            _ledger = new PushedLedger(_holder.Store, _sync, new ShardFormat(), new PushOrphanOptions(s_grace, TimeSpan.FromDays(7)), _clock);
        }

        public void Dispose()
        {
            _origin.Dispose();
            _holder.Dispose();
        }

        [Fact]
        public void ShardsOfAPutThatNeverCommitted_AreRemovedAfterTheGrace_OnceTheOriginSyncedSince()
        {
            var (fileId, ids) = Push(1);
            long used = _holder.Store.UsedBytes;
            Assert.True(used > 0);

            // Within the grace, or the origin not heard from since: kept (the manifest may still be on its way).
            Assert.Equal(0, _ledger.Sweep(s_pushed + s_grace / 2, _ => s_pushed + s_grace / 2).ShardsRemoved);
            Assert.Equal(0, _ledger.Sweep(s_pushed + (s_grace * 3), _ => s_pushed + TimeSpan.FromMinutes(1)).ShardsRemoved);
            Assert.Equal(0, _ledger.Sweep(s_pushed + (s_grace * 3), _ => null).ShardsRemoved);
            Assert.All(ids, id => Assert.True(_holder.Store.HasShard(id)));

            var swept = _ledger.Sweep(s_pushed + (s_grace * 3), o => o == _originId ? s_pushed + (s_grace * 2) : null);

            Assert.Equal(ids.Length, swept.ShardsRemoved);
            Assert.Equal(used, swept.BytesRemoved);
            Assert.Equal(1, swept.FilesAbandoned);
            Assert.All(ids, id => Assert.False(_holder.Store.HasShard(id)));
            Assert.Equal(0, _holder.Store.UsedBytes);
            Assert.Equal(0, _ledger.Pending);
            Assert.False(_holder.Store.IsRemoved(fileId));
        }

        [Fact]
        public void ShardsWhoseManifestArrived_StayAndTheRecordIsForgotten()
        {
            var (fileId, ids) = Push(2, storeManifest: true);

            var swept = _ledger.Sweep(s_pushed + (s_grace * 3), _ => s_pushed + (s_grace * 2));

            Assert.Equal(1, swept.FilesCommitted);
            Assert.Equal(0, swept.ShardsRemoved);
            Assert.All(ids, id => Assert.True(_holder.Store.HasShard(id)));
            Assert.Equal(0, _ledger.Pending);
            Assert.NotNull(_holder.Store.TryGetManifest(fileId));
        }

        [Fact]
        public void AnOriginNeverHeardFromAgain_LosesItsUncommittedShardsOnlyAfterTheLongerWait()
        {
            var (_, ids) = Push(3);

            Assert.Equal(0, _ledger.Sweep(s_pushed + TimeSpan.FromDays(6), _ => null).ShardsRemoved);
            Assert.Equal(ids.Length, _ledger.Sweep(s_pushed + TimeSpan.FromDays(7), _ => null).ShardsRemoved);
        }

        [Fact]
        public void AShardAnotherManifestHereNames_IsKept_WhenTheAbandonedPutIsSwept()
        {
            // Two puts pushed the same shard ids (the same content put again after the origin died): the second committed.
            var (_, ids) = Push(4, storeManifest: true, recordUnder: "0123456789abcdef0123456789abcdef");

            var swept = _ledger.Sweep(s_pushed + (s_grace * 3), _ => s_pushed + (s_grace * 2));

            Assert.Equal(0, swept.ShardsRemoved);
            Assert.Equal(1, swept.FilesAbandoned);
            Assert.All(ids, id => Assert.True(_holder.Store.HasShard(id)));
        }

        [Fact]
        public void AFileWhoseLinkIsOpen_IsNeverSwept_AndItsGraceStartsWhenTheLinkCloses()
        {
            var (fileId, ids) = Push(5, held: true);
            var late = s_pushed + TimeSpan.FromDays(30);

            Assert.Equal(0, _ledger.Sweep(late, _ => late).ShardsRemoved);

            _clock.Now = late;
            _ledger.Release(new[] { fileId });
            Assert.Equal(0, _ledger.Sweep(late + (s_grace * 3), _ => late + TimeSpan.FromMinutes(1)).ShardsRemoved);
            Assert.Equal(ids.Length, _ledger.Sweep(late + (s_grace * 3), _ => late + (s_grace * 2)).ShardsRemoved);
        }

        /// <summary>
        /// Puts a file at the origin and pushes its shards to the holder as the receiver does (recorded, then adopted),
        /// recorded at <see cref="s_pushed"/>; the manifest reaches the holder only when asked.
        /// </summary>
        private (string FileId, string[] Ids) Push(int seed, bool storeManifest = false, string? recordUnder = null, bool held = false)
        {
            var put = _origin.Pipeline.Put(_origin.NewFile(300_000, seed), 2, 2);
            string fileId = put.Manifest.FileIdText;
            var ids = put.Manifest.ShardIds.Distinct().ToArray();
            string recorded = recordUnder ?? fileId;
            _ledger.Record(recorded, _originId, ids, firstOnLink: held);
            var temps = new List<(string Id, string Path)>();
            foreach (string id in ids)
            {
                string temp = _holder.Store.NewTempPath();
                File.Copy(_origin.Store.PathOf(id), temp);
                temps.Add((id, temp));
            }

            Assert.All(_sync.AdoptPushed(temps), s => Assert.Equal(AckStatus.Ok, s));
            File.SetLastWriteTimeUtc(Path.Combine(_ledger.Path, recorded), s_pushed.UtcDateTime);
            if (storeManifest)
            {
                Assert.Equal(AckStatus.Ok, _sync.StoreManifest(fileId, _origin.Store.TryGetManifest(fileId)!));
            }

            return (fileId, ids);
        }

        private sealed class Clock : TimeProvider
        {
            public DateTimeOffset Now { get; set; } = s_pushed;

            public override DateTimeOffset GetUtcNow() => Now;
        }
    }
}
