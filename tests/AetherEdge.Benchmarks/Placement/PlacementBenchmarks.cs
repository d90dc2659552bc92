using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using BenchmarkDotNet.Attributes;

namespace AetherEdge.Benchmarks.Placement
{
    /// <summary>
    /// Placement of 1 M shards over 1000 mixed devices (issue goal: under 1 s), a fresh plan and a
    /// re-plan after one device leaves (the minimal-movement path the hub runs on every change).
    /// </summary>
    [MemoryDiagnoser]
    public class PlacementBenchmarks
    {
        private DeviceProfile[] _devices = Array.Empty<DeviceProfile>();
        private DeviceProfile[] _withoutOne = Array.Empty<DeviceProfile>();
        private string?[] _current = Array.Empty<string?>();

        [Params(1_000_000)]
        public int Shards { get; set; }

        [Params(1000)]
        public int DeviceCount { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            var rng = new Random(42);
            _devices = Enumerable.Range(0, DeviceCount).Select(i =>
            {
                var kind = (DeviceKind)(i % 5);
                long alloc = (long)(rng.NextDouble() * 200) * StorageAllocation.Gigabyte + StorageAllocation.Gigabyte;
                return new DeviceProfile("dev-" + i, kind, alloc, 0, kind is DeviceKind.Hub or DeviceKind.Desktop,
                    new BatteryStatus(rng.Next(0, 101), rng.Next(2) == 0), rng.Next(2) == 0, true);
            }).ToArray();
            _withoutOne = _devices.Skip(1).ToArray();
            _current = PlacementPlanner.Plan(_devices, Shards, 1_000_000, 10, 1, null).HolderIds();
        }

        [Benchmark(Baseline = true)]
        public int FreshPlan() => PlacementPlanner.Plan(_devices, Shards, 1_000_000, 10, 1, null).ToleratesDeviceLoss;

        [Benchmark]
        public int ReplanAfterDeviceLeaves() =>
            PlacementPlanner.Plan(_withoutOne, Shards, 1_000_000, 10, 1, _current).ToleratesDeviceLoss;
    }
}
