namespace AetherEdge.Core.Allocation
{
    /// <summary>
    /// Result of PlacementPlanner.Plan: which device holds each shard index, the
    /// scores that drove it, the device losses the file survives, and what could not be placed and why.
    /// </summary>
    public sealed class PlacementPlan
    {
        /// <summary>Holder value of a shard no device could take.</summary>
        public const int Unplaced = -1;

        /// <summary>Assembles a plan.</summary>
        public PlacementPlan(
            string[] deviceIds,
            double[] scores,
            int[] holders,
            int dataShards,
            int targetTolerance,
            int[] unplacedShards,
            string[] unplacedReasons)
        {
            DeviceIds = deviceIds;
            Scores = scores;
            Holders = holders;
            DataShards = dataShards;
            TargetTolerance = targetTolerance;
            UnplacedShards = unplacedShards;
            UnplacedReasons = unplacedReasons;
            Counts = new int[deviceIds.Length];
            for (int s = 0; s < holders.Length; s++)
            {
                if (holders[s] != Unplaced)
                {
                    Counts[holders[s]]++;
                }
            }

            ToleratesDeviceLoss = ComputeTolerance(Counts, dataShards);
        }

        /// <summary>Device ids in input order; holder values index this array.</summary>
        public string[] DeviceIds { get; }

        /// <summary>Node score per device (same order as <see cref="DeviceIds"/>).</summary>
        public double[] Scores { get; }

        /// <summary>Device index per shard index, or <see cref="Unplaced"/>.</summary>
        public int[] Holders { get; }

        /// <summary>Shards per device.</summary>
        public int[] Counts { get; }

        /// <summary>k: how many shards rebuild the file.</summary>
        public int DataShards { get; }

        /// <summary>The device-loss tolerance the planner aimed for.</summary>
        public int TargetTolerance { get; }

        /// <summary>
        /// The largest f such that losing ANY f devices leaves at least k shards; -1 when even all
        /// devices together hold fewer than k (the file could not be rebuilt at all).
        /// </summary>
        public int ToleratesDeviceLoss { get; }

        /// <summary>Shard indexes no device took.</summary>
        public int[] UnplacedShards { get; }

        /// <summary>Why each unplaced shard was left out (parallel to <see cref="UnplacedShards"/>).</summary>
        public string[] UnplacedReasons { get; }

        /// <summary>Number of shards in the plan.</summary>
        public int ShardCount
        {
            get { return Holders.Length; }
        }

        /// <summary>The shard indexes assigned to one device, ascending.</summary>
        public int[] ShardsOf(int deviceIndex)
        {
            int[] result = new int[Counts[deviceIndex]];
            int k = 0;
            for (int s = 0; s < Holders.Length; s++)
            {
                if (Holders[s] == deviceIndex)
                {
                    result[k++] = s;
                }
            }

            return result;
        }

        /// <summary>Holder device id per shard (null when unplaced): the form a later plan takes as "current".</summary>
        public string?[] HolderIds()
        {
            string?[] ids = new string?[Holders.Length];
            for (int s = 0; s < Holders.Length; s++)
            {
                ids[s] = Holders[s] == Unplaced ? null : DeviceIds[Holders[s]];
            }

            return ids;
        }

        /// <summary>Shards whose holder differs from <paramref name="previous"/> (a newly placed shard counts as a move).</summary>
        public int CountMoves(string?[] previous)
        {
            int moves = 0;
            for (int s = 0; s < Holders.Length; s++)
            {
                string? before = s < previous.Length ? previous[s] : null;
                string? now = Holders[s] == Unplaced ? null : DeviceIds[Holders[s]];
                if (now != null && before != now)
                {
                    moves++;
                }
            }

            return moves;
        }

        /// <summary>
        /// The fewest moves any assignment with this plan's per-device counts needs, starting from
        /// <paramref name="previous"/>: every shard a device must give up (or a departed device held),
        /// plus every shard that had no holder and now has one.
        /// </summary>
        public int MinimumMoves(string?[] previous)
        {
            System.Collections.Hashtable before = new System.Collections.Hashtable();
            for (int s = 0; s < Holders.Length; s++)
            {
                string? id = s < previous.Length ? previous[s] : null;
                if (id == null)
                {
                    continue;
                }

                object? c = before[id];
                before[id] = c == null ? 1 : (int)c + 1;
            }

            int placedBefore = 0;
            int shed = 0;
            foreach (System.Collections.DictionaryEntry e in before)
            {
                int had = (int)e.Value!;
                placedBefore += had;
                int index = IndexOf((string)e.Key);
                int now = index < 0 ? 0 : Counts[index];
                if (had > now)
                {
                    shed += had - now;
                }
            }

            // Each device can keep min(had, now); every other placed slot must be filled by a move.
            int placedNow = Holders.Length - UnplacedShards.Length;
            int fills = placedNow - (placedBefore - shed);
            return fills > 0 ? fills : 0;
        }

        private int IndexOf(string id)
        {
            for (int i = 0; i < DeviceIds.Length; i++)
            {
                if (DeviceIds[i] == id)
                {
                    return i;
                }
            }

            return -1;
        }

        private static int ComputeTolerance(int[] counts, int dataShards)
        {
            int[] sorted = new int[counts.Length];
            int placed = 0;
            for (int i = 0; i < counts.Length; i++)
            {
                sorted[i] = counts[i];
                placed += counts[i];
            }

            if (placed < dataShards)
            {
                return -1;
            }

            // Biggest holders first: the worst case loses the f largest.
            for (int i = 1; i < sorted.Length; i++)
            {
                int v = sorted[i];
                int j = i - 1;
                while (j >= 0 && sorted[j] < v)
                {
                    sorted[j + 1] = sorted[j];
                    j--;
                }

                sorted[j + 1] = v;
            }

            int f = 0;
            int lost = 0;
            while (f < sorted.Length && placed - (lost + sorted[f]) >= dataShards)
            {
                lost += sorted[f];
                f++;
            }

            return f;
        }
    }
}
