using AetherEdge.HostNode.Dashboard;

namespace AetherEdge.HostNode.Tests.Dashboard
{
    public sealed class ProtectionTests
    {
        private static IReadOnlyList<IReadOnlyList<string>> Holders(params string[] perShard) =>
            perShard.Select(h => (IReadOnlyList<string>)(h.Length == 0 ? Array.Empty<string>() : h.Split(','))).ToList();

        [Fact]
        public void SurvivableLosses_OneShardPerDevice_IsShardsBeyondK()
        {
            // 6 of 15, one shard on each of 15 devices: any 9 can go.
            var holders = Holders(Enumerable.Range(0, 15).Select(i => "d" + i).ToArray());
            Assert.Equal(9, Protection.SurvivableLosses(6, holders));
        }

        [Fact]
        public void SurvivableLosses_DeviceHoldingMany_CountsAsOneBigLoss()
        {
            // 3 of 5: a holds 3 shards, b and c one each. Losing a leaves 2 < 3.
            Assert.Equal(0, Protection.SurvivableLosses(3, Holders("a", "a", "a", "b", "c")));
            // Spread 2/2/1: losing the device with 2 leaves 3; a second loss leaves at most 2.
            Assert.Equal(1, Protection.SurvivableLosses(3, Holders("a", "a", "b", "b", "c")));
        }

        [Fact]
        public void SurvivableLosses_FewerThanKHeld_IsUnreadable()
        {
            Assert.Equal(-1, Protection.SurvivableLosses(3, Holders("a", "", "", "b", "")));
        }

        [Fact]
        public void SurvivableLosses_ShardKeptTwice_SurvivesItsHolderLoss()
        {
            // 2 of 3; shard 0 on a and b. Losing a leaves shards 0 (b), 1 (b), 2 (c); losing b then leaves only 2.
            Assert.Equal(1, Protection.SurvivableLosses(2, Holders("a,b", "b", "c")));
        }
    }
}
