using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Peers
{
    /// <summary>
    /// The shard ids one peer holds, as 32-byte keys in one hash set: a peer's whole inventory on a hub of 100,000
    /// files is 1.5 M shards, which as a concurrent dictionary of 64-character strings cost ~200 bytes and two
    /// objects each (issue 17: ~300 MB per peer, and a garbage collector walking 3 M objects). Ids that are not
    /// shard ids are not kept (nothing plans or serves them). Thread-safe: sessions write while plans read.
    /// </summary>
    public sealed class HeldShards
    {
        private readonly object _gate = new();
        private readonly HashSet<ShardKey> _keys;

        public HeldShards(IEnumerable<string> ids)
        {
            _keys = new HashSet<ShardKey>();
            foreach (string id in ids)
            {
                if (ShardKey.TryParse(id, out var key))
                {
                    _keys.Add(key);
                }
            }
        }

        /// <summary>A set of keys already parsed (an inventory staged as keys).</summary>
        public HeldShards(List<ShardKey> keys)
        {
            _keys = new HashSet<ShardKey>(keys);
        }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _keys.Count;
                }
            }
        }

        public bool Contains(string id) => ShardKey.TryParse(id, out var key) && Contains(key);

        public bool Contains(ShardKey key)
        {
            lock (_gate)
            {
                return _keys.Contains(key);
            }
        }

        /// <summary>Sets <paramref name="held"/>[s, <paramref name="column"/>] for every key held (null: not a shard id), under one lock.</summary>
        public void Mark(ShardKey?[] keys, bool[,] held, int column)
        {
            lock (_gate)
            {
                for (int s = 0; s < keys.Length; s++)
                {
                    held[s, column] = keys[s] is { } key && _keys.Contains(key);
                }
            }
        }

        /// <summary>True when it was not held before.</summary>
        public bool Add(string id)
        {
            if (!ShardKey.TryParse(id, out var key))
            {
                return false;
            }

            lock (_gate)
            {
                return _keys.Add(key);
            }
        }

        /// <summary>True when it was not held before.</summary>
        public bool Add(ShardKey key)
        {
            lock (_gate)
            {
                return _keys.Add(key);
            }
        }

        /// <summary>True when it was held.</summary>
        public bool Remove(string id)
        {
            if (!ShardKey.TryParse(id, out var key))
            {
                return false;
            }

            lock (_gate)
            {
                return _keys.Remove(key);
            }
        }

        /// <summary>The ids held now, as text (a copy).</summary>
        public string[] Ids()
        {
            ShardKey[] keys;
            lock (_gate)
            {
                keys = new ShardKey[_keys.Count];
                _keys.CopyTo(keys);
            }

            return Array.ConvertAll(keys, k => k.ToString());
        }

        /// <summary>Ids held here and not in <paramref name="other"/>, as text (one lock at a time: no lock order to keep).</summary>
        public List<string> Except(HeldShards other)
        {
            ShardKey[] keys;
            lock (_gate)
            {
                keys = new ShardKey[_keys.Count];
                _keys.CopyTo(keys);
            }

            var missing = new List<string>();
            foreach (var key in keys)
            {
                if (!other.Contains(key))
                {
                    missing.Add(key.ToString());
                }
            }

            return missing;
        }
    }
}
