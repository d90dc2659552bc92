namespace AetherEdge.Core.Allocation
{
    /// <summary>
    /// Largest-remainder (Hamilton) apportionment with per-party caps. Unlike the seed's
    /// ceil(share × N), the counts always sum to exactly the seats handed out.
    /// </summary>
    public static class Apportionment
    {
        /// <summary>
        /// Splits <paramref name="seats"/> in proportion to <paramref name="weights"/>, never giving a
        /// party more than its cap. Parties with weight or cap 0 get nothing. If the caps hold fewer
        /// seats than asked, every party gets its cap. Ties go to the heavier party, then the lower index.
        /// </summary>
        public static int[] Apportion(double[] weights, int[] caps, int seats)
        {
            int n = weights.Length;
            int[] counts = new int[n];
            bool[] open = new bool[n];
            long capacity = 0;
            for (int i = 0; i < n; i++)
            {
                open[i] = weights[i] > 0 && caps[i] > 0;
                if (open[i])
                {
                    capacity += caps[i];
                }
            }

            if (capacity <= seats)
            {
                for (int i = 0; i < n; i++)
                {
                    counts[i] = open[i] ? caps[i] : 0;
                }

                return counts;
            }

            int remaining = seats;
            double[] quota = new double[n];
            bool changed = true;
            while (changed)
            {
                changed = false;
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    if (open[i])
                    {
                        total += weights[i];
                    }
                }

                for (int i = 0; i < n; i++)
                {
                    if (!open[i])
                    {
                        continue;
                    }

                    quota[i] = remaining * weights[i] / total;
                    if (quota[i] >= caps[i])
                    {
                        // Saturated: pin at the cap and re-share the rest among the others.
                        counts[i] = caps[i];
                        remaining -= caps[i];
                        open[i] = false;
                        changed = true;
                    }
                }
            }

            int given = 0;
            int openCount = 0;
            for (int i = 0; i < n; i++)
            {
                if (open[i])
                {
                    counts[i] = (int)quota[i];
                    given += counts[i];
                    openCount++;
                }
            }

            int leftover = remaining - given;
            if (leftover <= 0)
            {
                return counts;
            }

            // Rank open parties by remainder (desc), then weight (desc), then index (asc).
            double[] keys = new double[openCount];
            int[] order = new int[openCount];
            int k = 0;
            for (int i = 0; i < n; i++)
            {
                if (open[i])
                {
                    keys[k] = -(quota[i] - counts[i]);
                    order[k] = i;
                    k++;
                }
            }

            SortByRemainderThenWeight(keys, order, weights, openCount);
            for (int j = 0; j < leftover && j < openCount; j++)
            {
                counts[order[j]]++;
            }

            return counts;
        }

        private static void SortByRemainderThenWeight(double[] keys, int[] order, double[] weights, int count)
        {
            // Insertion sort: the open set is the device list (hundreds at most).
            for (int i = 1; i < count; i++)
            {
                double key = keys[i];
                int item = order[i];
                int j = i - 1;
                while (j >= 0 && Before(key, item, keys[j], order[j], weights))
                {
                    keys[j + 1] = keys[j];
                    order[j + 1] = order[j];
                    j--;
                }

                keys[j + 1] = key;
                order[j + 1] = item;
            }
        }

        private static bool Before(double keyA, int a, double keyB, int b, double[] weights)
        {
            if (keyA != keyB)
            {
                return keyA < keyB;
            }

            if (weights[a] != weights[b])
            {
                return weights[a] > weights[b];
            }

            return a < b;
        }
    }
}
