namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>How many device losses a file survives, from where its shards are (pure; no I/O).</summary>
    public static class Protection
    {
        /// <summary>
        /// The largest N such that losing the N devices that hold the most of the file still leaves
        /// <paramref name="dataShards"/> distinct shards; -1 when fewer than k are held now (unreadable until
        /// more come back). <paramref name="holders"/> lists, per shard index, the devices holding it. The
        /// worst case is taken greedily (next loss: the device whose loss removes the most shards still held);
        /// with one holder per shard, as plans place them, that is exact.
        /// </summary>
        public static int SurvivableLosses(int dataShards, IReadOnlyList<IReadOnlyList<string>> holders)
        {
            var left = new List<HashSet<string>>();
            foreach (var h in holders)
            {
                if (h.Count > 0)
                {
                    left.Add(new HashSet<string>(h, StringComparer.Ordinal));
                }
            }

            if (left.Count < dataShards)
            {
                return -1;
            }

            int losses = 0;
            while (true)
            {
                // The device whose loss takes away the most shards now (ties: the one holding most copies).
                var lost = new Dictionary<string, (int Sole, int Any)>(StringComparer.Ordinal);
                foreach (var h in left)
                {
                    foreach (string d in h)
                    {
                        lost.TryGetValue(d, out var c);
                        lost[d] = (c.Sole + (h.Count == 1 ? 1 : 0), c.Any + 1);
                    }
                }

                if (lost.Count == 0)
                {
                    return losses;
                }

                string worst = lost.OrderByDescending(kv => kv.Value.Sole).ThenByDescending(kv => kv.Value.Any).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
                foreach (var h in left)
                {
                    h.Remove(worst);
                }

                left.RemoveAll(h => h.Count == 0);
                if (left.Count < dataShards)
                {
                    return losses;
                }

                losses++;
            }
        }
    }
}
