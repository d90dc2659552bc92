using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Placement;

namespace AetherEdge.HostNode.Tests.Placement
{
    public sealed class PlanShapesTests
    {
        private static DeviceProfile[] Devices(Random rng, int count) =>
            Enumerable.Range(0, count)
                .Select(i => new DeviceProfile("dev" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), i % 3 == 0 ? DeviceKind.Hub : DeviceKind.Desktop, (long)rng.Next(1, 64) << 30, 0, i % 2 == 0, new BatteryStatus(100, true), false, true))
                .ToArray();

        private static bool[,] Held(Random rng, int shards, int devices)
        {
            var held = new bool[shards, devices];
            for (int s = 0; s < shards; s++)
            {
                for (int d = 0; d < devices; d++)
                {
                    held[s, d] = rng.Next(3) == 0;
                }
            }

            return held;
        }

        private static string?[] Direct(DeviceProfile[] devices, long shardBytes, int k, bool[,] held)
        {
            var holders = new int[held.GetLength(0)][];
            for (int s = 0; s < holders.Length; s++)
            {
                holders[s] = Enumerable.Range(0, devices.Length).Where(d => held[s, d]).ToArray();
            }

            return HolderAwarePlacement.Plan(devices, shardBytes, k, holders).HolderIds();
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Plan_RandomShapesAskedTwice_SameAsThePlannerEveryTime(int seed)
        {
            var rng = new Random(seed);
            var shapes = new PlanShapes();
            for (int round = 0; round < 200; round++)
            {
                int count = rng.Next(1, 20);
                var devices = Devices(rng, count);
                string key = string.Join(";", devices.Select(d => d.Id + "|" + d.AllocationBytes));
                int n = rng.Next(3, 20);
                var held = Held(rng, n, count);
                long bytes = rng.Next(1, 1 << 20);
                int k = rng.Next(1, n);

                var expected = Direct(devices, bytes, k, held);
                Assert.Equal(expected, shapes.Plan(key, devices, bytes, k, held));
                Assert.Equal(expected, shapes.Plan(key, devices, bytes, k, held));
            }
        }

        [Fact]
        public void Plan_ManyFilesOfOneShape_RunsThePlannerOnce()
        {
            var rng = new Random(7);
            var devices = Devices(rng, 3);
            var held = Held(rng, 15, 3);
            var shapes = new PlanShapes();

            for (int f = 0; f < 1000; f++)
            {
                shapes.Plan("three", devices, 256, 10, held);
            }

            Assert.Equal(1, shapes.Planned);
        }

        [Fact]
        public void Plan_DevicesChanged_PlansAfreshForTheNewDevices()
        {
            var rng = new Random(8);
            var before = Devices(rng, 3);
            var after = Devices(rng, 3);
            var held = Held(rng, 15, 3);
            var shapes = new PlanShapes();

            shapes.Plan("before", before, 256, 10, held);
            var plan = shapes.Plan("after", after, 256, 10, held);

            Assert.Equal(2, shapes.Planned);
            Assert.Equal(Direct(after, 256, 10, held), plan);
        }

        [Fact]
        public void Plan_SizeOrDataShardsDiffer_AreOtherShapes()
        {
            var rng = new Random(9);
            var devices = Devices(rng, 4);
            var held = Held(rng, 15, 4);
            var shapes = new PlanShapes();

            shapes.Plan("four", devices, 256, 10, held);
            shapes.Plan("four", devices, 257, 10, held);
            shapes.Plan("four", devices, 256, 9, held);
            shapes.Plan("four", devices, 256L << 32, 10, held);

            Assert.Equal(4, shapes.Planned);
        }
    }
}
