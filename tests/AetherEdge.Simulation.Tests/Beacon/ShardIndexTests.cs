using AetherEdge.Firmware.Beacon;

namespace AetherEdge.Simulation.Tests.Beacon
{
    public class ShardIndexTests
    {
        private static byte[] Id(int n)
        {
            var id = new byte[32];
            BitConverter.TryWriteBytes(id, n);
            id[31] = 0xAE;
            return id;
        }

        [Fact]
        public void RandomOperations_MatchAReferenceModel()
        {
            // Small capacity so probe runs collide and wrap: backward-shift deletion must keep every id reachable.
            var index = new ShardIndex(8);
            var model = new List<int>(); // oldest first
            var random = new Random(17);
            for (int step = 0; step < 20_000; step++)
            {
                int n = random.Next(24);
                int slot = index.Find(Id(n), 0);
                Assert.Equal(model.Contains(n), slot >= 0);
                int op = random.Next(3);
                if (slot >= 0 && op == 0)
                {
                    index.Remove(slot);
                    model.Remove(n);
                }
                else if (slot >= 0)
                {
                    index.Touch(slot);
                    model.Remove(n);
                    model.Add(n);
                }
                else if (index.Count < index.Capacity)
                {
                    Assert.True(index.Add(Id(n), 0, (uint)n + 1, n, 0) >= 0);
                    model.Add(n);
                }
                else
                {
                    Assert.Equal(-1, index.Add(Id(n), 0, (uint)n + 1, n, 0));
                    int oldest = index.Oldest;
                    Assert.Equal(model[0], BitConverter.ToInt32(index.IdAt(oldest), 0));
                    index.Remove(oldest);
                    model.RemoveAt(0);
                }

                Assert.Equal(model.Count, index.Count);
                Assert.Equal(model.Sum(), index.UsedBytes);
            }

            var order = new List<int>();
            for (int i = index.Oldest; i >= 0; i = index.NewerThan(i))
            {
                order.Add(BitConverter.ToInt32(index.IdAt(i), 0));
            }

            Assert.Equal(model, order);
        }

        [Fact]
        public void HoldsFile_AfterIndexFileNumbers_OnlyHeldNumbers()
        {
            var index = new ShardIndex(64);
            for (int n = 0; n < 64; n++)
            {
                index.Add(Id(n), 0, (uint)(n * 3) + 1, 10, 0);
            }

            index.Remove(index.Find(Id(5), 0));
            index.IndexFileNumbers();
            for (uint file = 0; file < 200; file++)
            {
                bool held = file % 3 == 1 && file / 3 < 64 && file != 16;
                Assert.Equal(held, index.HoldsFile(file));
            }
        }
    }
}
