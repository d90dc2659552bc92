using System;

namespace AetherEdge.Core.Allocation
{
    /// <summary>
    /// "Survives the loss of N devices": from which devices hold which shards of one file, the largest N such
    /// that losing ANY N devices still leaves at least k distinct shards. Exact: it finds the fewest devices
    /// whose loss leaves fewer than k (a shard is gone when every device holding it is gone) and answers one
    /// less. With one holder per shard, as plans place them, a lower bound settles it at once; shards kept on
    /// several devices (during a move or a repair) need a bounded branch-and-bound search. Pure, no I/O.
    /// </summary>
    public static class ShardProtection
    {
        /// <summary>The answer when fewer than k distinct shards are held now (the file cannot be read).</summary>
        public const int Unreadable = -1;

        /// <summary>
        /// Search steps per file before the answer falls back to the lower bound (never an overstatement:
        /// a file is then shown as less protected than it may be, never more).
        /// </summary>
        public const int SearchBudget = 100000;

        /// <summary>
        /// The devices that can be lost with the file still readable, or <see cref="Unreadable"/>.
        /// <paramref name="holders"/>[s] lists the device indices (0 to <paramref name="deviceCount"/> - 1)
        /// holding shard s; null or empty: nobody holds it. A device listed twice for one shard counts once.
        /// </summary>
        public static int SurvivableLosses(int dataShards, int deviceCount, int[][] holders)
        {
            if (dataShards < 1)
            {
                throw new ArgumentOutOfRangeException("dataShards");
            }

            if (holders == null)
            {
                throw new ArgumentNullException("holders");
            }

            int[][] shards = Held(holders, deviceCount);
            if (shards.Length < dataShards)
            {
                return Unreadable;
            }

            // Losing these many shards leaves fewer than k.
            int need = shards.Length - dataShards + 1;
            int[] load = new int[deviceCount];
            for (int s = 0; s < shards.Length; s++)
            {
                for (int i = 0; i < shards[s].Length; i++)
                {
                    load[shards[s][i]]++;
                }
            }

            int lower = LowerBound(load, need);
            var search = new Search(Ordered(shards, load, deviceCount), deviceCount, need, lower);
            search.Run(0, 0, 0);
            // Out of budget: the lower bound is the safe answer (it can only understate the protection).
            return (search.Exhausted ? lower : search.Best) - 1;
        }

        /// <summary>The shards someone holds, each as its distinct holder indices.</summary>
        private static int[][] Held(int[][] holders, int deviceCount)
        {
            int count = 0;
            var kept = new int[holders.Length][];
            var seen = new int[deviceCount];
            for (int s = 0; s < holders.Length; s++)
            {
                int[] h = holders[s];
                if (h == null || h.Length == 0)
                {
                    continue;
                }

                int distinct = 0;
                var copy = new int[h.Length];
                for (int i = 0; i < h.Length; i++)
                {
                    int d = h[i];
                    if (d < 0 || d >= deviceCount)
                    {
                        throw new ArgumentOutOfRangeException("holders", "device index " + d.ToString() + " is not below " + deviceCount.ToString());
                    }

                    if (seen[d] != s + 1)
                    {
                        seen[d] = s + 1;
                        copy[distinct++] = d;
                    }
                }

                var exact = new int[distinct];
                Array.Copy(copy, exact, distinct);
                kept[count++] = exact;
            }

            var result = new int[count][];
            Array.Copy(kept, result, count);
            return result;
        }

        /// <summary>
        /// No set of t devices can take more shards than the t largest loads together, so the fewest losses
        /// that take <paramref name="need"/> shards is at least the smallest such t.
        /// </summary>
        private static int LowerBound(int[] load, int need)
        {
            var sorted = new double[load.Length];
            var items = new int[load.Length];
            for (int d = 0; d < load.Length; d++)
            {
                sorted[d] = -load[d];
                items[d] = d;
            }

            IndexSort.Ascending(sorted, items, load.Length);
            int sum = 0;
            for (int t = 0; t < load.Length; t++)
            {
                sum += load[items[t]];
                if (sum >= need)
                {
                    return t + 1;
                }
            }

            return load.Length;
        }

        /// <summary>
        /// Shards with fewest holders first, then those on the most loaded devices, grouped by device: the
        /// search's first answer is then the greedy one, which with one holder per shard meets the lower bound.
        /// </summary>
        private static int[][] Ordered(int[][] shards, int[] load, int deviceCount)
        {
            var keys = new double[shards.Length];
            var items = new int[shards.Length];
            for (int s = 0; s < shards.Length; s++)
            {
                int maxLoad = 0;
                int first = deviceCount;
                for (int i = 0; i < shards[s].Length; i++)
                {
                    int d = shards[s][i];
                    if (load[d] > maxLoad || (load[d] == maxLoad && d < first))
                    {
                        maxLoad = load[d];
                        first = d;
                    }
                }

                keys[s] = shards[s].Length * 1e12 - maxLoad * 1e6 + first;
                items[s] = s;
            }

            IndexSort.Ascending(keys, items, shards.Length);
            var ordered = new int[shards.Length][];
            for (int i = 0; i < shards.Length; i++)
            {
                ordered[i] = shards[items[i]];
            }

            return ordered;
        }

        /// <summary>
        /// Branch and bound over the shards: each is either taken (all its holders lost) or kept. Every set
        /// of lost devices is reached through the branch that takes exactly the shards it takes, so the best
        /// found is the minimum; a kept shard that later loses all its holders is simply not counted there.
        /// </summary>
        private sealed class Search
        {
            private readonly int[][] _shards;
            private readonly int _need;
            private readonly int _lower;
            private readonly int[] _lostAt;
            private int _steps;
            private bool _stop;

            public Search(int[][] shards, int deviceCount, int need, int lower)
            {
                _shards = shards;
                _need = need;
                _lower = lower;
                _lostAt = new int[deviceCount];
                Best = deviceCount + 1;
            }

            public int Best { get; private set; }

            public bool Exhausted { get; private set; }

            public void Run(int index, int taken, int lost)
            {
                if (_stop)
                {
                    return;
                }

                if (++_steps > SearchBudget)
                {
                    Exhausted = true;
                    _stop = true;
                    return;
                }

                if (taken >= _need)
                {
                    if (lost < Best)
                    {
                        Best = lost;
                        _stop = Best <= _lower;
                    }

                    return;
                }

                if (lost >= Best || index == _shards.Length || taken + _shards.Length - index < _need)
                {
                    return;
                }

                int[] h = _shards[index];
                int fresh = 0;
                for (int i = 0; i < h.Length; i++)
                {
                    if (_lostAt[h[i]] == 0)
                    {
                        fresh++;
                    }
                }

                if (fresh == 0)
                {
                    // Already gone with devices lost for earlier shards.
                    Run(index + 1, taken + 1, lost);
                    return;
                }

                if (lost + fresh < Best)
                {
                    int mark = index + 1;
                    for (int i = 0; i < h.Length; i++)
                    {
                        if (_lostAt[h[i]] == 0)
                        {
                            _lostAt[h[i]] = mark;
                        }
                    }

                    Run(index + 1, taken + 1, lost + fresh);
                    for (int i = 0; i < h.Length; i++)
                    {
                        if (_lostAt[h[i]] == mark)
                        {
                            _lostAt[h[i]] = 0;
                        }
                    }
                }

                Run(index + 1, taken, lost);
            }
        }
    }
}
