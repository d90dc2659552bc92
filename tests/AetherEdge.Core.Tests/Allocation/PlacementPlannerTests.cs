using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using CsCheck;
using static AetherEdge.Core.Tests.Allocation.Devices;

namespace AetherEdge.Core.Tests.Allocation
{
    public class PlacementPlannerTests
    {
        private static readonly Gen<DeviceProfile> s_device = Gen.Select(
            Gen.Int[0, 4], Gen.Long[0, 30 * GB], Gen.Long[0, 5 * GB], Gen.Int[0, 100], Gen.Bool, Gen.Bool, Gen.Bool,
            (kind, alloc, used, battery, plugged, wifiOnly, wifi) => new DeviceProfile(
                "x", (DeviceKind)kind, alloc, used, alwaysOn: kind is 0 or 3, new BatteryStatus(battery, plugged), wifiOnly, wifi));

        private static readonly Gen<Case> s_case = Gen.Select(
            s_device.Array[1, 12], Gen.Int[1, 255], Gen.Long[1 * MB, 3 * GB], Gen.Int[0, 3], Gen.Int[1, 1_000_000],
            (devs, n, size, target, kSeed) => new Case(Renamed(devs), n, size, 1 + (kSeed % n), target));

        [Fact]
        public void Plan_SeedExample_GivesDesktop9Laptop5Phone1NotTheSeeds8_5_2BecauseThePhoneAllowsOnly100MB()
        {
            // Seed: 15 shards of 100 MB; desktop 50 % -> 8, laptop 31.5 % -> 5, phone 10.5 % -> 2 (200 MB on a
            // phone that allows 100 MB, and percentages of a 200-point total that sum to 92 %).
            var plan = PlacementPlanner.Plan(SeedExample(), 15, 100 * MB, 10);

            Assert.Equal(new[] { 9, 5, 1 }, plan.Counts);
            Assert.Empty(plan.UnplacedShards);
            // The seed's own unit test bounds still hold.
            Assert.True(plan.Counts[0] >= 7);
            Assert.True(plan.Counts[1] >= 3);
            Assert.True(plan.Counts[2] <= 2);
        }

        [Fact]
        public void Plan_SeedExample_SumsToFifteenWhereTheSeedsCeilGivesSixteen()
        {
            var plan = PlacementPlanner.Plan(SeedExample(), 15, 100 * MB, 10);
            double total = plan.Scores.Sum();
            int seedCeil = plan.Scores.Sum(s => (int)Math.Ceiling(15 * s / total));

            Assert.Equal(16, seedCeil);
            Assert.Equal(15, plan.Counts.Sum());
        }

        [Fact]
        public void Plan_SeedExample_ReportsNoDeviceLossToleranceBecauseTenOfFifteenCannotSurviveLosingTheDesktop()
        {
            var plan = PlacementPlanner.Plan(SeedExample(), 15, 100 * MB, 10);
            Assert.Equal(0, plan.ToleratesDeviceLoss);
        }

        [Fact]
        public void Plan_FourEqualHubs_CapsAtFivePerHubAndToleratesOneLoss()
        {
            var hubs = new[] { Hub("a"), Hub("b"), Hub("c"), Hub("d") };
            var plan = PlacementPlanner.Plan(hubs, 15, 100 * MB, 10);

            Assert.All(plan.Counts, c => Assert.InRange(c, 3, 4));
            Assert.Equal(1, plan.ToleratesDeviceLoss);
        }

        [Fact]
        public void Plan_BigHubAndSmallHubs_CapsTheBigHubSoOneLossIsSurvivable()
        {
            var devices = new[] { Hub("big", 500 * GB), Hub("s1", 2 * GB), Hub("s2", 2 * GB), Laptop() };
            var plan = PlacementPlanner.Plan(devices, 15, 100 * MB, 10);

            Assert.True(plan.Counts.Max() <= 5, "no device may hold more than n-k = 5 shards");
            Assert.True(plan.ToleratesDeviceLoss >= 1);
        }

        [Fact]
        public void Plan_TargetTwo_SpreadsWiderThanTargetOne()
        {
            var hubs = new[] { Hub("a"), Hub("b"), Hub("c"), Hub("d"), Hub("e"), Hub("f") };
            var plan = PlacementPlanner.Plan(hubs, 15, 100 * MB, 9, targetTolerance: 2, currentHolders: null);

            Assert.Equal(2, plan.ToleratesDeviceLoss);
            Assert.True(plan.Counts.Max() <= 3);
        }

        [Fact]
        public void Plan_InsufficientCapacity_ReportsUnplacedShardsWithReason()
        {
            var devices = new[] { Phone("p1", 100 * MB), Phone("p2", 100 * MB) };
            var plan = PlacementPlanner.Plan(devices, 15, 100 * MB, 10);

            Assert.Equal(13, plan.UnplacedShards.Length);
            Assert.All(plan.UnplacedReasons, r => Assert.Contains("insufficient capacity", r));
            Assert.Equal(-1, plan.ToleratesDeviceLoss);
        }

        [Fact]
        public void Plan_OnlyZeroScoreOrFullDevices_PlacesNothingAndSaysWhy()
        {
            var full = Hub("full", 10 * GB, used: 10 * GB);
            var plan = PlacementPlanner.Plan(new[] { full }, 3, 1 * MB, 2);

            Assert.Equal(new[] { 0, 1, 2 }, plan.UnplacedShards);
            Assert.Contains("no device can take shards", plan.UnplacedReasons[0]);
        }

        [Fact]
        public void Plan_DeviceLeaves_ItsShardsMoveAndNoOthers()
        {
            var devices = new[] { Hub("a"), Hub("b"), Hub("c"), Hub("d"), Laptop() };
            var before = PlacementPlanner.Plan(devices, 15, 100 * MB, 10);
            var remaining = devices.Where(d => d.Id != "c").ToArray();
            var after = PlacementPlanner.Plan(remaining, 15, 100 * MB, 10, 1, before.HolderIds());

            int hadC = before.Counts[2];
            Assert.Equal(hadC, after.CountMoves(before.HolderIds()));
            for (int s = 0; s < 15; s++)
            {
                if (before.DeviceIds[before.Holders[s]] != "c")
                {
                    Assert.Equal(before.DeviceIds[before.Holders[s]], after.DeviceIds[after.Holders[s]]);
                }
            }
        }

        [Fact]
        public void Plan_BadArguments_ThrowWithMessageNamingTheProblem()
        {
            var d = new[] { Hub("a") };
            Assert.Contains("data shards", Assert.Throws<ArgumentException>(() => PlacementPlanner.Plan(d, 5, MB, 6)).Message);
            Assert.Contains("shard count", Assert.Throws<ArgumentException>(() => PlacementPlanner.Plan(d, 0, MB, 1)).Message);
            Assert.Contains("shard size", Assert.Throws<ArgumentException>(() => PlacementPlanner.Plan(d, 5, 0, 1)).Message);
            Assert.Contains("at least one device", Assert.Throws<ArgumentException>(() => PlacementPlanner.Plan(Array.Empty<DeviceProfile>(), 5, MB, 1)).Message);
            Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => PlacementPlanner.Plan(new[] { Hub("a"), Hub("a") }, 5, MB, 1)).Message);
        }

        [Fact]
        public void Plan_Property_NeverExceedsAnyDevicesAvailableBytes()
        {
            s_case.Sample(c =>
            {
                var plan = c.Run(null);
                for (int i = 0; i < c.Devices.Length; i++)
                {
                    Assert.True(plan.Counts[i] * c.ShardSize <= c.Devices[i].AvailableBytes);
                }
            }, iter: 500);
        }

        [Fact]
        public void Plan_Property_EveryShardPlacedOrReported()
        {
            s_case.Sample(c =>
            {
                var plan = c.Run(null);
                Assert.Equal(c.Shards, plan.Counts.Sum() + plan.UnplacedShards.Length);
                Assert.Equal(plan.UnplacedShards.Length, plan.UnplacedReasons.Length);
                Assert.All(plan.UnplacedShards, s => Assert.Equal(PlacementPlan.Unplaced, plan.Holders[s]));
            }, iter: 500);
        }

        [Fact]
        public void Plan_Property_IsDeterministic()
        {
            s_case.Sample(c => Assert.Equal(c.Run(null).Holders, c.Run(null).Holders), iter: 300);
        }

        [Fact]
        public void Plan_Property_ReportedToleranceSurvivesLosingTheLargestHolders()
        {
            s_case.Sample(c =>
            {
                var plan = c.Run(null);
                int f = plan.ToleratesDeviceLoss;
                if (f < 0)
                {
                    Assert.True(plan.Counts.Sum() < c.DataShards);
                    return;
                }

                var sorted = plan.Counts.OrderByDescending(x => x).ToArray();
                Assert.True(plan.Counts.Sum() - sorted.Take(f).Sum() >= c.DataShards);
                if (f < sorted.Length)
                {
                    Assert.True(plan.Counts.Sum() - sorted.Take(f + 1).Sum() < c.DataShards, "tolerance must be the largest f");
                }
            }, iter: 500);
        }

        [Fact]
        public void Plan_Property_CountsFollowScoresWithinOneShardWhenNothingIsCapped()
        {
            var roomy = Gen.Select(Gen.Int[1, 8], Gen.Int[1, 255], (devs, n) => (devs, n));
            roomy.Sample(t =>
            {
                var devices = Enumerable.Range(0, t.devs).Select(i => Hub("h" + i, (i + 1) * 3 * GB)).ToArray();
                var plan = PlacementPlanner.Plan(devices, t.n, 1, t.n, 0, null);
                double total = plan.Scores.Sum();
                for (int i = 0; i < devices.Length; i++)
                {
                    double quota = t.n * plan.Scores[i] / total;
                    Assert.InRange(plan.Counts[i], Math.Floor(quota), Math.Ceiling(quota));
                }
            }, iter: 300);
        }

        [Fact]
        public void Plan_Property_DeviceJoinsMovesTheMinimumNeeded()
        {
            Gen.Select(s_case, s_device).Sample(t =>
            {
                var (c, joiner) = t;
                var before = c.Run(null);
                var withJoiner = c.Devices.Append(Renamed(joiner, "joiner")).ToArray();
                var after = PlacementPlanner.Plan(withJoiner, c.Shards, c.ShardSize, c.DataShards, c.Target, before.HolderIds());
                AssertMovesWithinBound(before, after);
            }, iter: 400);
        }

        [Fact]
        public void Plan_Property_DeviceLeavesMovesTheMinimumNeeded()
        {
            Gen.Select(s_case, Gen.Int[0, 1000]).Sample(t =>
            {
                var (c, pick) = t;
                if (c.Devices.Length < 2)
                {
                    return;
                }

                var before = c.Run(null);
                var leaver = c.Devices[pick % c.Devices.Length].Id;
                var rest = c.Devices.Where(d => d.Id != leaver).ToArray();
                var after = PlacementPlanner.Plan(rest, c.Shards, c.ShardSize, c.DataShards, c.Target, before.HolderIds());
                AssertMovesWithinBound(before, after);
            }, iter: 400);
        }

        [Fact]
        public void Plan_SameHoldersAgain_MovesNothing()
        {
            var devices = new[] { Hub("a"), Hub("b"), Laptop(), Phone() };
            var first = PlacementPlanner.Plan(devices, 15, 100 * MB, 10);
            var again = PlacementPlanner.Plan(devices, 15, 100 * MB, 10, 1, first.HolderIds());
            Assert.Equal(0, again.CountMoves(first.HolderIds()));
        }

        private static void AssertMovesWithinBound(PlacementPlan before, PlacementPlan after)
        {
            var prev = before.HolderIds();
            int moves = after.CountMoves(prev);
            int minimum = after.MinimumMoves(prev);
            Assert.True(moves <= 1.2 * minimum, $"moved {moves}, minimum {minimum}");
            Assert.Equal(minimum, moves);
        }

        private static DeviceProfile[] Renamed(DeviceProfile[] devs) =>
            devs.Select((d, i) => Renamed(d, "d" + i)).ToArray();

        private static DeviceProfile Renamed(DeviceProfile d, string id) =>
            new(id, d.Kind, d.AllocationBytes, d.UsedBytes, d.AlwaysOn, d.Battery, d.WifiOnly, d.WifiConnected);

        internal sealed record Case(DeviceProfile[] Devices, int Shards, long ShardSize, int DataShards, int Target)
        {
            public PlacementPlan Run(string?[]? current) =>
                PlacementPlanner.Plan(Devices, Shards, ShardSize, DataShards, Target, current);

            public override string ToString() =>
                $"n={Shards} k={DataShards} size={ShardSize} target={Target} devices=[{string.Join(", ", Devices.Select(d => $"{d.Kind}:{d.AllocationBytes}/{d.UsedBytes}:{d.Battery.Percent}{(d.Battery.PluggedIn ? "+" : "")}"))}]";
        }
    }
}
