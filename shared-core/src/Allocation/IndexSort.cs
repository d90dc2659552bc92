namespace AetherEdge.Core.Allocation
{
    /// <summary>
    /// In-place heap sort of parallel arrays by a double key, ties broken by the int item.
    /// Hand-written because nanoFramework's Array has no Sort over keys; O(n log n), no allocation.
    /// </summary>
    public static class IndexSort
    {
        /// <summary>Sorts the first <paramref name="count"/> entries ascending by (key, item).</summary>
        public static void Ascending(double[] keys, int[] items, int count)
        {
            for (int start = count / 2 - 1; start >= 0; start--)
            {
                SiftDown(keys, items, start, count);
            }

            for (int end = count - 1; end > 0; end--)
            {
                Swap(keys, items, 0, end);
                SiftDown(keys, items, 0, end);
            }
        }

        private static void SiftDown(double[] keys, int[] items, int root, int count)
        {
            while (true)
            {
                int child = 2 * root + 1;
                if (child >= count)
                {
                    return;
                }

                if (child + 1 < count && Less(keys, items, child, child + 1))
                {
                    child++;
                }

                if (!Less(keys, items, root, child))
                {
                    return;
                }

                Swap(keys, items, root, child);
                root = child;
            }
        }

        private static bool Less(double[] keys, int[] items, int a, int b)
        {
            if (keys[a] != keys[b])
            {
                return keys[a] < keys[b];
            }

            return items[a] < items[b];
        }

        private static void Swap(double[] keys, int[] items, int a, int b)
        {
            double k = keys[a];
            keys[a] = keys[b];
            keys[b] = k;
            int i = items[a];
            items[a] = items[b];
            items[b] = i;
        }
    }
}
