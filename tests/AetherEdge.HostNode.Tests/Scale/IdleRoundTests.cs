using System.Security.Cryptography;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Repair;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Trust;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.HostNode.Tests.Scale
{
    /// <summary>
    /// Issue 17's mechanisms, counted on a real hub's parts (from its container, over a real SQLite store):
    /// a round over nothing changed costs no store query and no plan; a change re-plans only what it touched.
    /// The hub holds every shard of <see cref="Files"/> files (it put them); one trusted peer holds some.
    /// </summary>
    public sealed class IdleRoundTests : IDisposable
    {
        private const int Files = 12;
        private readonly string _home = Path.Combine(Path.GetTempPath(), "aesy-scale-" + Guid.NewGuid().ToString("N"));
        private readonly IHost _hub;
        private readonly ShardStore _shards;
        private readonly ShardStoreSyncStore _store;
        private readonly PeerKnowledge _peers;
        private readonly PlacementOracle _oracle;
        private readonly MisplacedShards _misplaced;
        private readonly ShardRepairs _repairs;
        private readonly ShardPipeline _pipeline;
        private readonly DeviceId _peer = NewDevice();
        private readonly List<ShardManifest> _files = new();

        public IdleRoundTests()
        {
            _hub = HubHost.Build(new HubSettings { Home = _home, Name = "x", Kind = DeviceKind.Hub, AllocationBytes = 2L << 30, Mdns = false }, TextWriter.Null);
            _shards = Get<ShardStore>();
            _store = Get<ShardStoreSyncStore>();
            _peers = Get<PeerKnowledge>();
            _oracle = Get<PlacementOracle>();
            _misplaced = Get<MisplacedShards>();
            _repairs = Get<ShardRepairs>();
            _pipeline = new ShardPipeline(_shards, new UserKeys(RandomNumberGenerator.GetBytes(32)));
            for (int f = 0; f < Files; f++)
            {
                _files.Add(Put(f));
            }

            Trust(_peer);
            _peers.Inventory(_peer, _files.SelectMany(m => m.ShardIds.Take(3)));
        }

        [Fact]
        public void IdleRound_NothingChanged_RunsNoStoreQueryAndMakesNoPlan()
        {
            Round();
            long queries = _shards.Queries;
            long plans = _oracle.PlansMade;

            Round();
            Round();

            Assert.Equal(queries, _shards.Queries);
            Assert.Equal(plans, _oracle.PlansMade);
        }

        [Fact]
        public void IdleRound_HoldingsAnsweredFromMemory_NoQueryPerShard()
        {
            Round();
            long queries = _shards.Queries;

            // What a session's ChooseWants and a Hello ask, for every shard held.
            foreach (var m in _files)
            {
                Assert.True(_store.HasManifest(m.FileIdText));
                Assert.All(m.ShardIds, id => Assert.True(_store.HasShard(id)));
            }

            Assert.Equal(Files * 16, _store.ListItems().Length);
            Assert.True(_store.UsedBytes > 0);
            Assert.Equal(queries, _shards.Queries);
        }

        [Fact]
        public void Put_OneMoreFile_ReplansThatFileOnly()
        {
            Round();
            long plans = _oracle.PlansMade;

            // Through the sync store, as a received manifest and shards would arrive.
            using var origin = ShardStore.Open(Path.Combine(_home, "origin"), 1L << 30);
            var put = new ShardPipeline(origin, new UserKeys(RandomNumberGenerator.GetBytes(32))).Put(NewFile(99), 10, 5);
            _store.StoreManifest(put.FileId, origin.TryGetManifest(put.FileId)!);
            Round();

            Assert.Equal(plans + 1, _oracle.PlansMade);
        }

        [Fact]
        public void PeerInventory_OneShardMore_ReplansThatShardsFileOnly()
        {
            Round();
            long plans = _oracle.PlansMade;

            _peers.Inventory(_peer, _files.SelectMany(m => m.ShardIds.Take(3)).Append(_files[4].ShardIds[7]));
            Round();

            Assert.Equal(plans + 1, _oracle.PlansMade);
        }

        [Fact]
        public void DeviceJoins_ReplansEveryFile()
        {
            Round();
            long plans = _oracle.PlansMade;

            Trust(NewDevice());
            Round();

            Assert.Equal(plans + Files, _oracle.PlansMade);
        }

        [Fact]
        public void AnotherProcessCommits_SeenAtTheNextRound()
        {
            Round();
            long version = _store.Version;

            // A second connection, as `aether put` in another process would be.
            using (var cli = ShardStore.Open(_home, 2L << 30))
            {
                var put = new ShardPipeline(cli, new UserKeys(RandomNumberGenerator.GetBytes(32))).Put(NewFile(7), 10, 5);
                Assert.False(_store.HasManifest(put.FileId));
                Assert.NotEqual(version, _store.Version);
                Assert.True(_store.HasManifest(put.FileId));
            }
        }

        public void Dispose()
        {
            _hub.Dispose();
            Directory.Delete(_home, true);
        }

        private static DeviceId NewDevice() => DeviceId.FromPublicKeyInfo(RandomNumberGenerator.GetBytes(64));

        // What the sync service does each round besides sessions: prune misplaced copies, then repair.
        private void Round()
        {
            _misplaced.Prune();
            _repairs.Pass();
        }

        private void Trust(DeviceId device)
        {
            Get<TrustCircle>().Add(device, "peer", DateTimeOffset.UtcNow);
            _peers.Heard(device, LocalDevice.ProfileFor(device.Text, DeviceKind.Hub, 2L << 30, 0, BatteryStatus.Mains, true));
            _peers.Inventory(device, Array.Empty<string>());
        }

        private ShardManifest Put(int seed) => _pipeline.Put(NewFile(seed), 10, 5).Manifest;

        private string NewFile(int seed)
        {
            string path = Path.Combine(_home, "in-" + seed);
            var bytes = new byte[300];
            new Random(seed).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        private T Get<T>()
            where T : notnull => _hub.Services.GetRequiredService<T>();
    }
}
