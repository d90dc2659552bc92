using AetherEdge.Firmware.Beacon;

namespace AetherEdge.Simulation.Tests.Beacon
{
    public class ShardCacheTests
    {
        private static byte[] Id(int n)
        {
            var id = new byte[32];
            BitConverter.TryWriteBytes(id, n);
            id[31] = 0xAE;
            return id;
        }

        private static byte[] Data(int n, int length)
        {
            var d = new byte[length];
            new Random(n).NextBytes(d);
            return d;
        }

        private static ShardCache Mounted(SimulatedSdCard card, long allocation = 10_000, int entries = 16)
        {
            var cache = new ShardCache(card, allocation, entries);
            cache.Mount();
            return cache;
        }

        private static byte[]? Read(ShardCache cache, int n)
        {
            var buffer = new byte[70_000];
            int length = cache.TryRead(Id(n), 0, buffer, 0);
            return length < 0 ? null : buffer.AsSpan(0, length).ToArray();
        }

        [Fact]
        public void TryPut_OverAllocation_EvictsLeastRecentlyUsed()
        {
            var cache = Mounted(new SimulatedSdCard(), allocation: 3000);
            cache.TryPut(Id(1), 0, Data(1, 1000), 0, 1000);
            cache.TryPut(Id(2), 0, Data(2, 1000), 0, 1000);
            cache.TryPut(Id(3), 0, Data(3, 1000), 0, 1000);
            Assert.NotNull(Read(cache, 1)); // 1 is now more recent than 2
            cache.TryPut(Id(4), 0, Data(4, 1000), 0, 1000);
            Assert.False(cache.Contains(Id(2), 0));
            Assert.True(cache.Contains(Id(1), 0) && cache.Contains(Id(3), 0) && cache.Contains(Id(4), 0));
            Assert.Equal(3000, cache.UsedBytes);
            Assert.Equal(1, cache.Evictions);
        }

        [Fact]
        public void TryPut_LargerThanAllocation_Refused()
        {
            var cache = Mounted(new SimulatedSdCard(), allocation: 500);
            Assert.False(cache.TryPut(Id(1), 0, Data(1, 501), 0, 501));
            Assert.Equal(0, cache.Count);
        }

        [Fact]
        public void TryPut_IndexFull_EvictsToMakeRoom()
        {
            var cache = Mounted(new SimulatedSdCard(), allocation: 1_000_000, entries: 2);
            for (int n = 1; n <= 3; n++)
            {
                Assert.True(cache.TryPut(Id(n), 0, Data(n, 10), 0, 10));
            }

            Assert.Equal(2, cache.Count);
            Assert.False(cache.Contains(Id(1), 0));
        }

        [Fact]
        public void Mount_AfterRestart_RestoresShards()
        {
            var card = new SimulatedSdCard();
            var cache = Mounted(card);
            cache.TryPut(Id(1), 0, Data(1, 700), 0, 700);
            cache.TryPut(Id(2), 0, Data(2, 800), 0, 800);
            cache.Remove(Id(1), 0);
            var again = Mounted(card);
            Assert.Null(Read(again, 1));
            Assert.Equal(Data(2, 800), Read(again, 2));
            Assert.Equal(800, again.UsedBytes);
        }

        [Fact]
        public void TryRead_MediaCorrupted_NotServedAndDropped()
        {
            var card = new SimulatedSdCard();
            var cache = Mounted(card);
            cache.TryPut(Id(1), 0, Data(1, 700), 0, 700);
            string file = card.Files.Keys.Single(k => k.StartsWith('d'));
            card.Corrupt(file, 100);
            Assert.Null(Read(cache, 1));
            Assert.Equal(1, cache.CorruptReads);
            Assert.False(cache.Contains(Id(1), 0));
        }

        [Fact]
        public void Journal_ManyPutsAndEvictions_CompactsAndRemounts()
        {
            var card = new SimulatedSdCard();
            var cache = Mounted(card, allocation: 400, entries: 4);
            for (int n = 0; n < 200; n++)
            {
                cache.TryPut(Id(n), 0, Data(n, 100), 0, 100);
            }

            Assert.True(card.Files.ContainsKey("j1")); // compaction switched journals at least once
            Assert.True(card.Length("j0") + card.Length("j1") < 200 * 52);
            var again = Mounted(card, allocation: 400, entries: 4);
            for (int n = 196; n < 200; n++)
            {
                Assert.Equal(Data(n, 100), Read(again, n));
            }

            Assert.Equal(4, again.Count);
            Assert.Equal(4, card.Files.Keys.Count(k => k.StartsWith('d')));
        }

        [Fact]
        public void Compaction_KeepsRecencyOrder_AcrossRemount()
        {
            // The old index compacted in slot order, so after a reboot the shard read most recently was evicted first.
            var card = new SimulatedSdCard();
            var cache = Mounted(card, allocation: 45, entries: 8);
            for (int n = 1; n <= 4; n++)
            {
                cache.TryPut(Id(n), 0, Data(n, 10), 0, 10);
            }

            Assert.NotNull(Read(cache, 1)); // recency now 2, 3, 4, 1
            while (!card.Files.ContainsKey("j1"))
            {
                cache.TryPut(Id(99), 0, Data(99, 5), 0, 5); // fits beside the four: no eviction
                cache.Remove(Id(99), 0);
            }

            var again = Mounted(card, allocation: 45, entries: 8);
            again.TryPut(Id(5), 0, Data(5, 10), 0, 10); // 50 > 45: evicts the least recently used
            Assert.True(again.Contains(Id(1), 0));
            Assert.False(again.Contains(Id(2), 0));
            Assert.Equal(1, again.Evictions);
        }

        [Fact]
        public void Mount_ManyPutsAndRemoves_RebuildsExactlyTheLiveSet()
        {
            var card = new SimulatedSdCard();
            var cache = Mounted(card, allocation: 1_000_000, entries: 64);
            var live = new HashSet<int>();
            var random = new Random(5);
            for (int step = 0; step < 600; step++)
            {
                int n = random.Next(100);
                if (live.Contains(n) && random.Next(2) == 0)
                {
                    cache.Remove(Id(n), 0);
                    live.Remove(n);
                }
                else if (live.Count < 64)
                {
                    cache.TryPut(Id(n), 0, Data(n, 20), 0, 20);
                    live.Add(n);
                }
            }

            var again = Mounted(card, allocation: 1_000_000, entries: 64);
            Assert.Equal(live.Count, again.Count);
            for (int n = 0; n < 100; n++)
            {
                Assert.Equal(live.Contains(n) ? Data(n, 20) : null, Read(again, n));
            }

            Assert.Equal(live.Count, card.Files.Keys.Count(k => k.StartsWith('d')));
            Assert.Equal(0, again.OrphansRemoved);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void PowerCut_AtEveryPoint_NeverServesCorruptShard(bool loseUnflushed)
        {
            // Measure how many bytes the workload writes, then cut power after every k bytes of it.
            long total = Workload(new SimulatedSdCard(), out _);
            int checkedCuts = 0;
            for (long cut = 0; cut < total; cut += 37)
            {
                var card = new SimulatedSdCard { LoseUnflushedOnCut = loseUnflushed };
                card.CutPowerAfterBytes(cut);
                var confirmed = new List<int>();
                Assert.Throws<PowerCutException>(() => Workload(card, out confirmed));
                card.PowerOn();
                var cache = Mounted(card, allocation: 2500, entries: 8);
                for (int n = 0; n < 12; n++)
                {
                    byte[]? got = Read(cache, n);
                    if (got != null)
                    {
                        Assert.Equal(Data(n, 300 + n), got); // whatever is served is intact
                    }
                }

                // Shards whose put returned are present unless a later put evicted them (LRU, 2500 bytes).
                foreach (int n in confirmed.Skip(Math.Max(0, confirmed.Count - 6)))
                {
                    if (!loseUnflushed || n != confirmed[^1])
                    {
                        Assert.NotNull(Read(cache, n));
                    }
                }

                Assert.Equal(cache.UsedBytes, Enumerable.Range(0, 12).Sum(n => cache.LengthOf(Id(n), 0) is var l && l > 0 ? l : 0));
                checkedCuts++;
            }

            Assert.True(checkedCuts > 50);
        }

        private static long Workload(SimulatedSdCard card, out List<int> confirmed)
        {
            confirmed = new List<int>();
            var cache = Mounted(card, allocation: 2500, entries: 8);
            for (int n = 0; n < 12; n++)
            {
                cache.TryPut(Id(n), 0, Data(n, 300 + n), 0, 300 + n);
                confirmed.Add(n);
                if (n % 4 == 3)
                {
                    cache.Remove(Id(n - 2), 0);
                    confirmed.Remove(n - 2);
                }
            }

            return card.BytesWritten;
        }
    }
}
