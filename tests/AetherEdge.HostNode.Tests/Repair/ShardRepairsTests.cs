using System.Security.Cryptography;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Repair;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Tests.Storage;
using AetherEdge.HostNode.Trust;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.HostNode.Tests.Repair
{
    /// <summary>
    /// A real hub's parts from its container (store, oracle, pull policy, repairs, metrics) with one
    /// trusted peer faked through what the sync sessions would record (its Hello and inventory). The
    /// file is 4-of-8; the hub holds shards 0 and 1, the peer 2..5, and 6 and 7 are lost: the plan gives
    /// both to the hub.
    /// </summary>
    public sealed class ShardRepairsTests : IDisposable
    {
        private const int Segment = 1024;
        private readonly TempStore _origin = new();
        private readonly string _home = Path.Combine(Path.GetTempPath(), "aesy-repair-" + Guid.NewGuid().ToString("N"));
        private readonly IHost _hub;
        private readonly ShardStore _shards;
        private readonly PeerKnowledge _peers;
        private readonly PullPolicy _pulling;
        private readonly RepairInputs _inputs;
        private readonly ShardRepairs _repairs;
        private readonly DeviceId _peer = DeviceId.FromPublicKeyInfo(RandomNumberGenerator.GetBytes(64));
        private readonly string[] _ids;
        private readonly string _fileId;

        public ShardRepairsTests()
        {
            _hub = HubHost.Build(new HubSettings { Home = _home, Name = "x", Kind = DeviceKind.Hub, AllocationBytes = 2L << 30, Mdns = false }, TextWriter.Null);
            _shards = Get<ShardStore>();
            _peers = Get<PeerKnowledge>();
            _pulling = Get<PullPolicy>();
            _inputs = Get<RepairInputs>();
            _repairs = Get<ShardRepairs>();
            var put = _origin.Pipeline.Put(_origin.NewFile(20_000, 3), 4, 4, Segment);
            _fileId = put.FileId;
            _ids = put.Manifest.ShardIds;
            _shards.PutManifest(_fileId, _origin.Store.TryGetManifest(_fileId)!);
            Give(0, 1);
            Get<TrustCircle>().Add(_peer, "peer", DateTimeOffset.UtcNow);
            _peers.Heard(_peer, LocalDevice.ProfileFor(_peer.Text, DeviceKind.Hub, 2L << 30, 0, BatteryStatus.Mains, true));
        }

        private T Get<T>()
            where T : notnull => _hub.Services.GetRequiredService<T>();

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
                _shards.PutShard(_ids[i], fs);
            }
        }

        private void PeerHolds(params int[] shards) => _peers.Inventory(_peer, shards.Select(i => _ids[i]));

        /// <summary>What a sync session does with a shard it pulled: completes the partial in the hub's sync store.</summary>
        private void Receive(int shard)
        {
            byte[] bytes = File.ReadAllBytes(_origin.Store.PathOf(_ids[shard]));
            var store = Get<ShardStoreSyncStore>();
            store.AppendPartial(_ids[shard], 0, bytes, 0, bytes.Length);
            Assert.Equal(AckStatus.Ok, store.CompletePartial(_ids[shard], bytes.Length, SHA256.HashData(bytes)));
        }

        private long RepairedMetric() =>
            long.Parse(_hub.Services.GetRequiredService<MetricsEndpoint>().Render().Split('\n').Single(l => l.StartsWith("aether_shards_repaired_total ", StringComparison.Ordinal)).Split(' ')[1]);

        [Fact]
        public void Pass_LostShardsAssignedHere_PullsMissingInputsThenRebuildsByteIdentical()
        {
            PeerHolds(2, 3, 4, 5);
            _pulling.Start();
            var view = Get<PlacementOracle>().View(_fileId)!;
            Assert.Equal(Get<NodeIdentity>().DeviceId.Text, view.Assigned[6]);
            Assert.Equal(Get<NodeIdentity>().DeviceId.Text, view.Assigned[7]);
            Assert.Equal(0, RepairedMetric());

            // Two local inputs, k = 4: ask the peer for the two lowest it offers, nothing else.
            var first = _repairs.Pass();
            Assert.Equal(0, first.Rebuilt);
            Assert.Equal(2, first.InputsWanted);
            Assert.True(_pulling.ShouldPull(_ids[2], _peer));
            Assert.True(_pulling.ShouldPull(_ids[3], _peer));
            Assert.False(_pulling.ShouldPull(_ids[4], _peer));

            Receive(2);
            Receive(3);
            Assert.False(_shards.HasShard(_ids[2]), "a repair input entered the store (and the inventory)");
            Assert.True(_inputs.IsStaged(_ids[2]) && _inputs.IsStaged(_ids[3]), "the store did not divert the inputs");
            var second = _repairs.Pass();
            Assert.Equal(2, second.Rebuilt);
            foreach (int i in new[] { 6, 7 })
            {
                Assert.Equal(File.ReadAllBytes(_origin.Store.PathOf(_ids[i])), File.ReadAllBytes(_shards.PathOf(_ids[i])));
            }

            Assert.Empty(Directory.EnumerateFiles(_inputs.Directory));
            Assert.Equal(2, RepairedMetric());
            Assert.Equal(0, _repairs.Pass().Rebuilt);
        }

        [Fact]
        public void Pass_InputsFetchedThenTheirHolderGoes_StoresThemAndRebuildsTheRest()
        {
            // Found by the four-hub netns test: inputs staged from a peer that then went away are assigned
            // here; the pass tried to rebuild them from themselves and refused, so the repair stalled.
            PeerHolds(2, 3, 4, 5);
            _pulling.Start();
            Assert.Equal(2, _repairs.Pass().InputsWanted);
            Receive(2);
            Receive(3);
            Assert.True(Get<TrustCircle>().Remove(_peer));

            var pass = _repairs.Pass();
            Assert.Empty(pass.Problems);
            Assert.Equal(6, pass.Rebuilt);
            foreach (int i in new[] { 2, 3, 4, 5, 6, 7 })
            {
                Assert.Equal(File.ReadAllBytes(_origin.Store.PathOf(_ids[i])), File.ReadAllBytes(_shards.PathOf(_ids[i])));
            }
        }

        [Fact]
        public void ShouldPull_BeforeTheFirstRound_Nothing()
        {
            PeerHolds(2, 3, 4, 5);
            _repairs.Pass();
            Assert.False(_pulling.ShouldPull(_ids[2], _peer));
        }

        [Fact]
        public void Pass_PeerOffersTheShard_NoRepairItIsPulledNormally()
        {
            PeerHolds(2, 3, 4, 5, 6, 7);
            var report = _repairs.Pass();
            Assert.Equal(0, report.Rebuilt);
            Assert.Equal(0, report.InputsWanted);
            Assert.Empty(report.Problems);
        }

        [Fact]
        public void Pass_FewerThanKExistAnywhere_ReportsAndAsksForNothing()
        {
            PeerHolds(2);
            var report = _repairs.Pass();
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
                _shards.PutManifest(put.FileId, _origin.Store.TryGetManifest(put.FileId)!);
                foreach (int i in new[] { 0, 1 })
                {
                    using var fs = File.OpenRead(_origin.Store.PathOf(put.Manifest.ShardIds[i]));
                    _shards.PutShard(put.Manifest.ShardIds[i], fs);
                }

                peerHolds.AddRange(new[] { 2, 3, 4, 5 }.Select(i => put.Manifest.ShardIds[i]));
            }

            _peers.Inventory(_peer, peerHolds);
            var report = _repairs.Pass();
            Assert.Equal(ShardRepairs.MaxFilesInRepair * 2, report.InputsWanted);
            Assert.Single(report.Problems, p => p.Contains("waiting"));
        }

        [Fact]
        public void Pass_OnlinePeerWithoutInventoryYet_WaitsForIt()
        {
            // The peer's Hello arrived (constructor), its inventory has not.
            var report = _repairs.Pass();
            Assert.Equal(0, report.InputsWanted);
            Assert.Empty(report.Problems);
        }

        [Fact]
        public void Divert_ShardNotWanted_GoesToTheStoreAsBefore()
        {
            PeerHolds(2, 3, 4, 5);
            _repairs.Pass();
            string partial = Path.Combine(_home, "x");
            File.Copy(_origin.Store.PathOf(_ids[5]), partial);
            Assert.False(_inputs.TryTake(_ids[5], partial));
            Receive(5);
            Assert.True(_shards.HasShard(_ids[5]));
        }
    }
}
