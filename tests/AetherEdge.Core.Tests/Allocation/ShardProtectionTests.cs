using AetherEdge.Core.Allocation;

namespace AetherEdge.Core.Tests.Allocation
{
    public class ShardProtectionTests
    {
        /// <summary>"a", "b,c", "" per shard → device indices (a = 0, b = 1, ...).</summary>
        private static int[][] Holders(params string[] perShard) =>
            perShard.Select(h => h.Length == 0 ? Array.Empty<int>() : h.Split(',').Select(d => d[0] - 'a').ToArray()).ToArray();

        [Fact]
        public void SurvivableLosses_OneShardPerDevice_IsShardsBeyondK()
        {
            // 6 of 15, one shard on each of 15 devices: any 9 can go.
            var holders = Enumerable.Range(0, 15).Select(i => new[] { i }).ToArray();
            Assert.Equal(9, ShardProtection.SurvivableLosses(6, 15, holders));
        }

        [Fact]
        public void SurvivableLosses_DeviceHoldingMany_CountsAsOneBigLoss()
        {
            // 3 of 5: a holds 3 shards. Losing a leaves 2 < 3.
            Assert.Equal(0, ShardProtection.SurvivableLosses(3, 3, Holders("a", "a", "a", "b", "c")));
            // 2/2/1: losing a device with 2 leaves 3; any second loss leaves at most 2.
            Assert.Equal(1, ShardProtection.SurvivableLosses(3, 3, Holders("a", "a", "b", "b", "c")));
        }

        [Fact]
        public void SurvivableLosses_FewerThanKHeld_IsUnreadable()
        {
            Assert.Equal(ShardProtection.Unreadable, ShardProtection.SurvivableLosses(3, 2, Holders("a", "", "", "b", "")));
        }

        [Fact]
        public void SurvivableLosses_ExactlyKHeld_SurvivesNone()
        {
            Assert.Equal(0, ShardProtection.SurvivableLosses(3, 3, Holders("a", "b", "c", "", "")));
        }

        [Fact]
        public void SurvivableLosses_ShardKeptTwice_SurvivesItsHolderLoss()
        {
            // 2 of 3; shard 0 on a and b. Losing a leaves shards 0 (b), 1 (b), 2 (c); losing b too leaves 1 < 2.
            Assert.Equal(1, ShardProtection.SurvivableLosses(2, 3, Holders("a,b", "b", "c")));
        }

        [Fact]
        public void SurvivableLosses_WorstPairIsNotTheBiggestHolder_GreedyFirstLossWouldOverstate()
        {
            // 3 of 5: a alone holds 2 shards; b and c both hold the other 3. Losing a leaves 3 (readable), but
            // losing b and c together leaves 2. The old dashboard took the "worst" device first (a, then b,
            // then c) and said 2; the answer is 1.
            Assert.Equal(1, ShardProtection.SurvivableLosses(3, 3, Holders("a", "a", "b,c", "b,c", "b,c")));
        }

        [Fact]
        public void SurvivableLosses_DuplicateHolderInOneShard_CountsOnce()
        {
            Assert.Equal(1, ShardProtection.SurvivableLosses(1, 2, Holders("a,a", "b")));
        }

        [Fact]
        public void SurvivableLosses_BadInput_Throws()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ShardProtection.SurvivableLosses(0, 1, Holders("a")));
            Assert.Throws<ArgumentOutOfRangeException>(() => ShardProtection.SurvivableLosses(1, 1, Holders("b")));
            Assert.Throws<ArgumentNullException>(() => ShardProtection.SurvivableLosses(1, 1, null!));
        }

        [Fact]
        public void SurvivableLosses_RandomHoldings_MatchEveryDeviceSubset()
        {
            // Against the definition: the smallest set of devices whose loss leaves fewer than k shards, minus one.
            var random = new Random(16);
            for (int trial = 0; trial < 400; trial++)
            {
                int devices = random.Next(1, 8);
                int n = random.Next(1, 10);
                int k = random.Next(1, n + 1);
                var holders = new int[n][];
                for (int s = 0; s < n; s++)
                {
                    holders[s] = Enumerable.Range(0, devices).Where(_ => random.Next(3) == 0).ToArray();
                }

                Assert.Equal(BruteForce(k, devices, holders), ShardProtection.SurvivableLosses(k, devices, holders));
            }
        }

        [Fact]
        public void SurvivableLosses_PlannedSpreadOf255Shards_AnswersFromTheBound()
        {
            // 200 of 255 over 50 devices (five hold 6, the rest 5): 56 lost shards make it unreadable; the
            // 10 fullest devices hold 55, the 11 fullest 60.
            var holders = Enumerable.Range(0, 255).Select(s => new[] { s % 50 }).ToArray();
            Assert.Equal(10, ShardProtection.SurvivableLosses(200, 50, holders));
        }

        private static int BruteForce(int k, int devices, int[][] holders)
        {
            if (holders.Count(h => h.Length > 0) < k)
            {
                return ShardProtection.Unreadable;
            }

            int best = devices;
            for (int mask = 0; mask < 1 << devices; mask++)
            {
                int left = holders.Count(h => h.Any(d => (mask & (1 << d)) == 0));
                int lost = System.Numerics.BitOperations.PopCount((uint)mask);
                if (left < k && lost < best)
                {
                    best = lost;
                }
            }

            return best - 1;
        }
    }
}
