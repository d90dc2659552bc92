using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;

namespace AetherEdge.HostNode.Placement
{
    /// <summary>
    /// Plans a file's shards from what the devices hold, moving as few shards as possible when a shard
    /// may have several holders (the origin keeps every shard it was put with; synced copies linger
    /// until pruned). The planner takes one holder per shard, so this picks them:
    /// 1. every shard held by its stateless-plan device keeps it there (a fixed, holder-independent
    ///    target: extra copies pull the plan toward it, never away);
    /// 2. the other held shards are matched to holders with room left (each device up to its planned
    ///    count) by augmenting paths, trying holders in descending rendezvous draw: a maximum matching,
    ///    so the planner then moves n − matched shards, the least any choice of one holder per shard
    ///    allows (augmenting from the step-1 matching still ends at a maximum one);
    /// 3. a shard nobody can keep is "held" by its stateless-plan device when that one has room (it
    ///    has to move anyway; this makes a fresh file land exactly on the stateless plan).
    /// The planner itself deals what is left. Deterministic: the same devices and holders give the same
    /// plan on every node. In a settled mesh each non-origin device holds exactly its assignment, so the
    /// maximum matching is unique and the plan is a fixed point (no flapping).
    /// </summary>
    public static class HolderAwarePlacement
    {
        /// <summary>
        /// <paramref name="holders"/>[s] lists indexes into <paramref name="devices"/> that hold shard s
        /// (empty: nobody in the plan). Returns the plan the planner makes from the chosen holders.
        /// </summary>
        public static PlacementPlan Plan(DeviceProfile[] devices, long shardBytes, int dataShards, int[][] holders)
        {
            int n = holders.Length;
            var target = PlacementPlanner.Plan(devices, n, shardBytes, dataShards);
            int[] room = (int[])target.Counts.Clone();
            int[] match = new int[n];
            Array.Fill(match, PlacementPlan.Unplaced);
            var ordered = new int[n][];
            for (int s = 0; s < n; s++)
            {
                ordered[s] = ByDraw(devices, holders[s], s);
                int t = target.Holders[s];
                if (t != PlacementPlan.Unplaced && Array.IndexOf(holders[s], t) >= 0 && room[t] > 0)
                {
                    match[s] = t;
                    room[t]--;
                }
            }

            for (int s = 0; s < n; s++)
            {
                if (match[s] == PlacementPlan.Unplaced && ordered[s].Length > 0)
                {
                    Augment(s, ordered, match, room, new bool[devices.Length]);
                }
            }

            var current = new string?[n];
            for (int s = 0; s < n; s++)
            {
                int t = target.Holders[s];
                if (match[s] == PlacementPlan.Unplaced && t != PlacementPlan.Unplaced && room[t] > 0)
                {
                    match[s] = t;
                    room[t]--;
                }

                current[s] = match[s] == PlacementPlan.Unplaced ? null : devices[match[s]].Id;
            }

            return PlacementPlanner.Plan(devices, n, shardBytes, dataShards, PlacementPlanner.DefaultTargetTolerance, current);
        }

        // Kuhn's augmenting path with device capacities: give shard s a holder with room, else free a
        // slot by moving a shard matched there to another of its holders. A device is explored once.
        private static bool Augment(int s, int[][] ordered, int[] match, int[] room, bool[] seen)
        {
            foreach (int d in ordered[s])
            {
                if (room[d] > 0)
                {
                    match[s] = d;
                    room[d]--;
                    return true;
                }
            }

            foreach (int d in ordered[s])
            {
                if (seen[d])
                {
                    continue;
                }

                seen[d] = true;
                for (int other = 0; other < match.Length; other++)
                {
                    if (other != s && match[other] == d && ordered[other].Length > 1 && Augment(other, ordered, match, room, seen))
                    {
                        // `other` took a slot elsewhere; its slot on d is now s's.
                        match[s] = d;
                        return true;
                    }
                }
            }

            return false;
        }

        private static int[] ByDraw(DeviceProfile[] devices, int[] holders, int shard)
        {
            var keys = new double[holders.Length];
            var order = (int[])holders.Clone();
            for (int i = 0; i < order.Length; i++)
            {
                double weight = NodeScorer.Score(devices[order[i]]).Total;
                keys[i] = -PlacementPlanner.Draw(StableHash.Of(devices[order[i]].Id), shard, weight > 0 ? weight : 1);
            }

            // Ties (impossible in practice) fall back to device order, which is sorted by id.
            Array.Sort(keys, order);
            return order;
        }
    }
}
