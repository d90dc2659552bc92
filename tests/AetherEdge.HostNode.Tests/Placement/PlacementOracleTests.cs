using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Tests.Placement
{
    /// <summary>The oracle plans from current holders: joins and leaves move the minimum, every node agrees, rounds settle.</summary>
    public sealed class PlacementOracleTests
    {
        private const int Cases = 40;
        private const int MaxRounds = 8;
        private static readonly DeviceKind[] s_kinds = { DeviceKind.Hub, DeviceKind.Desktop, DeviceKind.Laptop, DeviceKind.Mobile };

        private static long ShardBytes(MeshModel m) => ShardManifest.ReadUnverified(m.Manifests[m.FileId])!.Layout.ShardBytes;

        private static int DataShards(MeshModel m) => ShardManifest.ReadUnverified(m.Manifests[m.FileId])!.DataShards;

        private static MeshModel RandomMesh(int seed, int devices)
        {
            var rng = new Random(seed);
            int n = new[] { 6, 12, 15, 20 }[rng.Next(4)];
            var m = new MeshModel(n, Math.Max(1, n * 2 / 3), seed);
            for (int i = 0; i < devices; i++)
            {
                AddRandom(m);
            }

            return m;
        }

        private static DeviceId AddRandom(MeshModel m) =>
            m.Add(s_kinds[m.Rng.Next(s_kinds.Length)], (1L + m.Rng.Next(20)) << 30);

        /// <summary>Every shard on its stateless-plan device and nowhere else (a settled mesh without an origin copy).</summary>
        private static void SettleStateless(MeshModel m)
        {
            var holders = PlacementPlanner.Plan(m.PlanningDevices(), m.ShardIds.Length, ShardBytes(m), DataShards(m)).HolderIds();
            for (int s = 0; s < holders.Length; s++)
            {
                if (holders[s] != null)
                {
                    m.Held[m.IdOf(holders[s]!)].Add(m.ShardIds[s]);
                }
            }
        }

        /// <summary>Shards the plan puts on a device that does not hold them.</summary>
        private static int Moves(MeshModel m, string?[] assigned) =>
            Enumerable.Range(0, assigned.Length).Count(s => assigned[s] != null && !m.Held[m.IdOf(assigned[s]!)].Contains(m.ShardIds[s]));

        /// <summary>What PlacementPlanner itself moves given one holder per shard.</summary>
        private static int PlannerMinimum(MeshModel m, string?[] current)
        {
            var plan = PlacementPlanner.Plan(m.PlanningDevices(), m.ShardIds.Length, ShardBytes(m), DataShards(m), PlacementPlanner.DefaultTargetTolerance, current);
            var after = plan.HolderIds();
            return Enumerable.Range(0, after.Length).Count(s => after[s] != null && after[s] != current[s]);
        }

        [Fact]
        public void View_DeviceJoinsSettledMesh_MovesExactlyThePlannersMinimum()
        {
            int joinsThatMoved = 0;
            for (int seed = 1; seed <= Cases; seed++)
            {
                var m = RandomMesh(seed, 2 + (seed % 6));
                SettleStateless(m);
                var joined = AddRandom(m);
                string?[] current = m.SingleHolders();
                var assigned = m.OracleOf(m.Devices[seed % m.Devices.Count].Id).Assignment(m.FileId)!;
                int moves = Moves(m, assigned);
                Assert.Equal(PlannerMinimum(m, current), moves);
                joinsThatMoved += moves > 0 ? 1 : 0;
            }

            Assert.True(joinsThatMoved > Cases / 2, "joins rarely moved anything: the cases test nothing");
        }

        [Fact]
        public void View_HubLeavesEqualHubs_MovesOnlyTheLeaversShards()
        {
            var m = new MeshModel(15, 10, 3);
            var hubs = Enumerable.Range(0, 5).Select(_ => m.Add(DeviceKind.Hub, 8L << 30)).ToArray();
            SettleStateless(m);
            var leaver = hubs[2];
            var leaverShards = m.Held[leaver];
            Assert.NotEmpty(leaverShards);
            m.Remove(leaver);
            var assigned = m.OracleOf(hubs[0]).Assignment(m.FileId)!;
            for (int s = 0; s < assigned.Length; s++)
            {
                bool wasLeavers = leaverShards.Contains(m.ShardIds[s]);
                bool stays = assigned[s] != null && m.Held[m.IdOf(assigned[s]!)].Contains(m.ShardIds[s]);
                Assert.Equal(!wasLeavers, stays);
            }
        }

        [Fact]
        public void View_DeviceLeavesRandomMesh_MovesThePlannersMinimumIncludingAllItsShards()
        {
            for (int seed = 1; seed <= Cases; seed++)
            {
                var m = RandomMesh(seed, 3 + (seed % 5));
                SettleStateless(m);
                var leaver = m.Devices[seed % m.Devices.Count].Id;
                m.Remove(leaver);
                var assigned = m.OracleOf(m.Devices[0].Id).Assignment(m.FileId)!;
                Assert.Equal(PlannerMinimum(m, m.SingleHolders()), Moves(m, assigned));
            }
        }

        [Fact]
        public void View_FreshFileOnlyOnOrigin_IsTheStatelessPlan()
        {
            for (int seed = 1; seed <= Cases; seed++)
            {
                var m = RandomMesh(seed, 2 + (seed % 6));
                m.Held[m.Devices[0].Id].UnionWith(m.ShardIds);
                var stateless = PlacementPlanner.Plan(m.PlanningDevices(), m.ShardIds.Length, ShardBytes(m), DataShards(m)).HolderIds();
                Assert.Equal(stateless, m.OracleOf(m.Devices[0].Id).Assignment(m.FileId)!);
            }
        }

        [Fact]
        public void View_EveryNodeWithTheSameKnowledge_ComputesTheSamePlan()
        {
            for (int seed = 1; seed <= Cases; seed++)
            {
                var m = RandomMesh(seed, 3 + (seed % 5));
                m.Held[m.Devices[0].Id].UnionWith(m.ShardIds);
                foreach (var d in m.Devices.Skip(1))
                {
                    m.Held[d.Id].UnionWith(m.ShardIds.Where(_ => m.Rng.Next(3) == 0));
                }

                var first = m.OracleOf(m.Devices[0].Id).Assignment(m.FileId)!;
                Assert.Contains(first, a => a != null);
                foreach (var d in m.Devices.Skip(1))
                {
                    Assert.Equal(first, m.OracleOf(d.Id).Assignment(m.FileId)!);
                }
            }
        }

        /// <summary>
        /// Nodes act as hubs do, one after another with what they know: prune synced copies the
        /// assignee holds, then pull what the plan assigns here. The origin keeps every shard (put).
        /// Returns transfers; each (node, shard) pull is recorded so a bouncing shard is caught.
        /// </summary>
        private static int Round(MeshModel m, DeviceId origin, HashSet<(DeviceId, string)> pulled)
        {
            int transfers = 0;
            foreach (var (self, _) in m.Devices.ToList())
            {
                var held = m.Held[self];
                var assigned = m.OracleOf(self).Assignment(m.FileId)!;
                for (int s = 0; s < assigned.Length && self != origin; s++)
                {
                    string? a = assigned[s];
                    if (a != null && a != self.Text && held.Contains(m.ShardIds[s]) && m.Held[m.IdOf(a)].Contains(m.ShardIds[s]))
                    {
                        held.Remove(m.ShardIds[s]);
                    }
                }

                assigned = m.OracleOf(self).Assignment(m.FileId)!;
                for (int s = 0; s < assigned.Length; s++)
                {
                    if (assigned[s] == self.Text && !held.Contains(m.ShardIds[s]) && m.Devices.Any(d => m.Held[d.Id].Contains(m.ShardIds[s])))
                    {
                        held.Add(m.ShardIds[s]);
                        transfers++;
                        Assert.True(pulled.Add((self, m.ShardIds[s])), "shard " + s + " came back to a node that had given it up (flapping)");
                    }
                }
            }

            return transfers;
        }

        /// <summary>Rounds until one changes nothing; returns the transfers it took.</summary>
        private static int Settle(MeshModel m, DeviceId origin)
        {
            var pulled = new HashSet<(DeviceId, string)>();
            int total = 0;
            for (int round = 0; round < MaxRounds; round++)
            {
                var before = m.Devices.ToDictionary(d => d.Id, d => m.Held[d.Id].Count);
                int moved = Round(m, origin, pulled);
                total += moved;
                if (moved == 0 && m.Devices.All(d => m.Held[d.Id].Count == before[d.Id]))
                {
                    // Settled: every shard is on its assignee and the plan no longer changes.
                    var assigned = m.OracleOf(origin).Assignment(m.FileId)!;
                    Assert.Equal(0, Moves(m, assigned));
                    foreach (var d in m.Devices.Where(d => d.Id != origin))
                    {
                        Assert.Equal(Enumerable.Range(0, assigned.Length).Where(s => assigned[s] == d.Id.Text).Select(s => m.ShardIds[s]).ToHashSet(), m.Held[d.Id]);
                    }

                    return total;
                }
            }

            Assert.Fail("not settled after " + MaxRounds + " rounds");
            return total;
        }

        /// <summary>Each shard's representative holder: a non-origin holder if any, else the origin.</summary>
        private static string?[] HoldersPreferringCopies(MeshModel m, DeviceId origin) =>
            m.ShardIds.Select(s => m.Devices.Where(d => d.Id != origin && m.Held[d.Id].Contains(s)).Select(d => d.Id.Text).FirstOrDefault()
                ?? (m.Held[origin].Contains(s) ? origin.Text : null)).ToArray();

        [Fact]
        public void Rounds_PutThenJoinThenLeave_SettleWithinBoundMovingAtMostThePlannersMinimum()
        {
            for (int seed = 1; seed <= Cases; seed++)
            {
                var m = RandomMesh(seed, 3);
                var origin = m.Devices[0].Id;
                m.Held[origin].UnionWith(m.ShardIds);
                Settle(m, origin);

                var joined = AddRandom(m);
                int minimum = PlannerMinimum(m, HoldersPreferringCopies(m, origin));
                Assert.InRange(Settle(m, origin), 0, minimum);

                var leaver = m.Devices[1 + (seed % (m.Devices.Count - 1))].Id;
                int leaverHeld = m.Held[leaver].Count;
                m.Remove(leaver);
                Assert.InRange(Settle(m, origin), 0, leaverHeld);
            }
        }
    }
}
