using System.Collections.Concurrent;
using System.Security.Cryptography;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Tests.Storage;
using Xunit;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>
    /// A real hub runtime (store, oracle, repairs, metrics) with one trusted peer faked through what
    /// the sync sessions would record (its Hello and inventory). The file is 4-of-8; the hub holds
    /// shards 0 and 1, the peer 2..5, and 6 and 7 are lost: the plan gives both to the hub.
    /// </summary>
    public sealed class ShardRepairsTests : IDisposable
    {
        private const int Segment = 1024;
        private readonly TempStore _origin = new();
        private readonly string _home = Path.Combine(Path.GetTempPath(), "aesy-repair-" + Guid.NewGuid().ToString("N"));
        private readonly HubRuntime _hub;
        private readonly DeviceId _peer = DeviceId.FromPublicKeyInfo(RandomNumberGenerator.GetBytes(64));
        private readonly string[] _ids;
        private readonly string _fileId;

        public ShardRepairsTests()
        {
            _hub = new HubRuntime(new HubSettings { Home = _home, Name = "x", Kind = DeviceKind.Hub, AllocationBytes = 2L << 30 });
            var put = _origin.Pipeline.Put(_origin.NewFile(20_000, 3), 4, 4, Segment);
            _fileId = put.FileId;
            _ids = put.Manifest.ShardIds;
            _hub.Shards.PutManifest(_fileId, _origin.Store.TryGetManifest(_fileId)!);
            Give(0, 1);
            _hub.Circle.Add(_peer, "peer", DateTimeOffset.UtcNow);
            _hub.Hosts.Profiles[_peer] = (HubRuntime.ProfileFor(_peer.Text, DeviceKind.Hub, 2L << 30, 0, BatteryStatus.Mains, true), Environment.TickCount64);
            PeerHolds(2, 3, 4, 5);

            // As the sync service sets it after its first round.
            _hub.Placement.Pulling = true;
        }

        public void Dispose()
        {
            _hub.Dispose();
            _origin.Dispose();
            Directory.Delete(_home, true);
        }

        private void Give(params int[] shards)
        {
            foreach (int i in shards)
            {
                using var fs = File.OpenRead(_origin.Store.PathOf(_ids[i]));
                _hub.Shards.PutShard(_ids[i], fs);
            }
        }

        private void PeerHolds(params int[] shards) =>
            _hub.Hosts.PeerShards[_peer] = new ConcurrentDictionary<string, bool>(shards.Select(i => KeyValuePair.Create(_ids[i], true)));

        /// <summary>What a sync session does with an input it pulled: completes the partial, which the store diverts.</summary>
        private void Receive(int shard)
        {
            string partial = Path.Combine(_home, "received-" + shard);
            File.Copy(_origin.Store.PathOf(_ids[shard]), partial);
            Assert.True(_hub.Store.Divert!(_ids[shard], partial));
        }

        private long RepairedMetric() =>
            long.Parse(MetricsEndpoint.Render(_hub).Split('\n').Single(l => l.StartsWith("aether_shards_repaired_total ", StringComparison.Ordinal)).Split(' ')[1]);

        [Fact]
        public void Pass_LostShardsAssignedHere_PullsMissingInputsThenRebuildsByteIdentical()
        {
            var view = _hub.Placement.View(_fileId)!;
            Assert.Equal(_hub.Identity.DeviceId.Text, view.Assigned[6]);
            Assert.Equal(_hub.Identity.DeviceId.Text, view.Assigned[7]);
            Assert.Equal(0, RepairedMetric());

            // Two local inputs, k = 4: ask the peer for the two lowest it offers, nothing else.
            var first = _hub.Repairs.Pass();
            Assert.Equal(0, first.Rebuilt);
            Assert.Equal(2, first.InputsWanted);
            Assert.True(_hub.Placement.ShouldPull(new Core.Sync.InventoryEntry(Core.Sync.SyncItemKind.Shard, _ids[2], 1), _peer));
            Assert.True(_hub.Placement.ShouldPull(new Core.Sync.InventoryEntry(Core.Sync.SyncItemKind.Shard, _ids[3], 1), _peer));
            Assert.False(_hub.Placement.ShouldPull(new Core.Sync.InventoryEntry(Core.Sync.SyncItemKind.Shard, _ids[4], 1), _peer));

            Receive(2);
            Receive(3);
            Assert.False(_hub.Store.HasShard(_ids[2]), "a repair input entered the store (and the inventory)");
            var second = _hub.Repairs.Pass();
            Assert.Equal(2, second.Rebuilt);
            foreach (int i in new[] { 6, 7 })
            {
                Assert.Equal(File.ReadAllBytes(_origin.Store.PathOf(_ids[i])), File.ReadAllBytes(_hub.Shards.PathOf(_ids[i])));
            }

            Assert.Empty(Directory.EnumerateFiles(_hub.Repairs.InputDir));
            Assert.Equal(2, RepairedMetric());
            Assert.Equal(0, _hub.Repairs.Pass().Rebuilt);
        }

        [Fact]
        public void ShouldPull_BeforeTheFirstRound_Nothing()
        {
            _hub.Placement.Pulling = false;
            _hub.Repairs.Pass();
            Assert.False(_hub.Placement.ShouldPull(new Core.Sync.InventoryEntry(Core.Sync.SyncItemKind.Shard, _ids[2], 1), _peer));
        }

        [Fact]
        public void Pass_PeerOffersTheShard_NoRepairItIsPulledNormally()
        {
            PeerHolds(2, 3, 4, 5, 6, 7);
            var report = _hub.Repairs.Pass();
            Assert.Equal(0, report.Rebuilt);
            Assert.Equal(0, report.InputsWanted);
            Assert.Empty(report.Problems);
        }

        [Fact]
        public void Pass_FewerThanKExistAnywhere_ReportsAndAsksForNothing()
        {
            PeerHolds(2);
            var report = _hub.Repairs.Pass();
            Assert.Equal(0, report.Rebuilt);
            Assert.Equal(0, report.InputsWanted);
            Assert.Contains(report.Problems, p => p.Contains("only 3 of 8 shards exist; 4 needed"));
            Assert.Equal(0, RepairedMetric());
        }

        [Fact]
        public void Pass_MoreLostFilesThanTheCap_GathersInputsForTheCapOnly()
        {
            var peerHolds = new List<string>(new[] { 2, 3, 4, 5 }.Select(i => _ids[i]));
            for (int f = 0; f < ShardRepairs.MaxFilesInRepair; f++)
            {
                var put = _origin.Pipeline.Put(_origin.NewFile(20_000, 10 + f), 4, 4, Segment);
                _hub.Shards.PutManifest(put.FileId, _origin.Store.TryGetManifest(put.FileId)!);
                foreach (int i in new[] { 0, 1 })
                {
                    using var fs = File.OpenRead(_origin.Store.PathOf(put.Manifest.ShardIds[i]));
                    _hub.Shards.PutShard(put.Manifest.ShardIds[i], fs);
                }

                peerHolds.AddRange(new[] { 2, 3, 4, 5 }.Select(i => put.Manifest.ShardIds[i]));
            }

            _hub.Hosts.PeerShards[_peer] = new ConcurrentDictionary<string, bool>(peerHolds.Select(id => KeyValuePair.Create(id, true)));
            var report = _hub.Repairs.Pass();
            Assert.Equal(ShardRepairs.MaxFilesInRepair * 2, report.InputsWanted);
            Assert.Single(report.Problems, p => p.Contains("waiting"));
        }

        [Fact]
        public void Pass_OnlinePeerWithoutInventoryYet_WaitsForIt()
        {
            _hub.Hosts.PeerShards.TryRemove(_peer, out _);
            var report = _hub.Repairs.Pass();
            Assert.Equal(0, report.InputsWanted);
            Assert.Empty(report.Problems);
        }

        [Fact]
        public void Divert_ShardNotWanted_GoesToTheStoreAsBefore()
        {
            string partial = Path.Combine(_home, "x");
            File.Copy(_origin.Store.PathOf(_ids[5]), partial);
            Assert.False(_hub.Store.Divert!(_ids[5], partial));
        }
    }
}
