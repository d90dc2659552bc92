using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Placement;

namespace AetherEdge.HostNode.Tests.Placement
{
    public sealed class PlacementOracleMemoTests
    {
        private static (PlacementOracle Oracle, MeshModel Mesh, Func<int> Lookups) Counting()
        {
            var m = new MeshModel(15, 10, seed: 3);
            var self = m.Add(DeviceKind.Hub, 20L << 30);
            m.Add(DeviceKind.Desktop, 10L << 30);
            int lookups = 0;
            var oracle = m.OracleOf(self, id => { Interlocked.Increment(ref lookups); return false; }, _ => Array.Empty<string>());
            return (oracle, m, () => Volatile.Read(ref lookups));
        }

        [Fact]
        public void PlanEachFileOnce_AskingAboutEveryShard_PlansTheFileOnceWithSameAnswers()
        {
            var (oracle, m, lookups) = Counting();
            var without = m.ShardIds.Select(oracle.AssignedHolder).ToArray();
            int unbatched = lookups();

            int before = lookups();
            string?[] with;
            using (oracle.PlanEachFileOnce())
            {
                with = m.ShardIds.Select(oracle.AssignedHolder).ToArray();
            }

            Assert.Equal(without, with);
            Assert.Equal(m.ShardIds.Length, lookups() - before);
            Assert.Equal(m.ShardIds.Length * m.ShardIds.Length, unbatched);
        }

        [Fact]
        public void PlanEachFileOnce_AfterDispose_PlansAfresh()
        {
            var (oracle, m, lookups) = Counting();
            using (oracle.PlanEachFileOnce())
            {
                oracle.AssignedHolder(m.ShardIds[0]);
            }

            int before = lookups();
            oracle.AssignedHolder(m.ShardIds[0]);
            oracle.AssignedHolder(m.ShardIds[1]);
            Assert.Equal(2 * m.ShardIds.Length, lookups() - before);
        }

        [Fact]
        public void AssignedHolder_EveryShardOfAFile_NeverReadsTheStoresUsage()
        {
            var m = new MeshModel(15, 10, seed: 5);
            var self = m.Add(DeviceKind.Hub, 20L << 30);
            m.Add(DeviceKind.Desktop, 10L << 30);
            var store = new FakeNodeStore(_ => false, m.Manifests);
            var oracle = m.OracleOf(self, store, _ => Array.Empty<string>());

            var assigned = m.ShardIds.Select(oracle.AssignedHolder).ToArray();

            Assert.Contains(self.Text, assigned);
            Assert.Equal(0, store.UsedBytesReads);
        }

        [Fact]
        public void PlanEachFileOnce_ShardsOfUnknownFiles_ListsTheManifestsOnce()
        {
            var m = new MeshModel(15, 10, seed: 6);
            var self = m.Add(DeviceKind.Hub, 20L << 30);
            var store = new FakeNodeStore(_ => false, m.Manifests);
            var oracle = m.OracleOf(self, store, _ => Array.Empty<string>());
            var unknown = Enumerable.Range(0, 50).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new[] { (byte)i }))).ToArray();

            using (oracle.PlanEachFileOnce())
            {
                Assert.All(unknown, id => Assert.Null(oracle.AssignedHolder(id)));
            }

            Assert.Equal(1, store.ManifestListings);
            Assert.Null(oracle.AssignedHolder(unknown[0]));
            Assert.Equal(2, store.ManifestListings);
        }

        [Fact]
        public void PlanEachFileOnce_ManyViews_AskTheTrustCircleOncePerPeer()
        {
            var m = new MeshModel(15, 10, seed: 7);
            var self = m.Add(DeviceKind.Hub, 20L << 30);
            var peer = m.Add(DeviceKind.Desktop, 10L << 30);
            int asked = 0;
            var peers = new AetherEdge.HostNode.Peers.PeerKnowledge(_ => { Interlocked.Increment(ref asked); return true; }, AetherEdge.HostNode.Peers.PeerKnowledge.DefaultOnlineWindow);
            peers.Heard(peer, m.Devices.Single(d => d.Id == peer).Profile);
            peers.Inventory(peer, Array.Empty<string>());
            var oracle = new PlacementOracle(new FakeNodeStore(_ => false, m.Manifests), peers, new AetherEdge.HostNode.Peers.LocalDevice(self, "self", DeviceKind.Hub, 20L << 30));

            using (oracle.PlanEachFileOnce())
            {
                for (int i = 0; i < 10; i++)
                {
                    Assert.NotNull(oracle.View(m.FileId));
                }
            }

            Assert.Equal(1, asked);
            for (int i = 0; i < 10; i++)
            {
                oracle.View(m.FileId);
            }

            Assert.Equal(11, asked);
        }
    }
}
