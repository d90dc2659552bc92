using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// The hub's in-memory copy of what its store holds: shard ids with sizes (and which arrived by sync),
    /// manifest ids with body lengths, used bytes, and the inventory built from them. Loaded with two queries;
    /// kept current by the changes this process makes (applied one by one); loaded again only when the store
    /// changed behind its back (another process's commit, a quarantine on read). Answers lookups without a
    /// query, so a round over an unchanged store costs no store lookups at all. <see cref="Version"/> grows
    /// with every change seen: the inventory version peers cache against. Not thread-safe: the owner locks.
    /// </summary>
    internal sealed class HeldIndex
    {
        private readonly ShardStore _store;
        private Dictionary<string, long> _shards = new(StringComparer.Ordinal);
        private readonly HashSet<string> _synced = new(StringComparer.Ordinal);
        private Dictionary<string, int> _manifests = new(StringComparer.Ordinal);
        private bool _loaded;
        private long _seenLocal = -1;
        private long _seenExternal = -1;
        private string[]? _manifestIds;
        private string[]? _syncedIds;
        private InventoryEntry[]? _items;
        private long _version;
        private readonly ChangeLog _changes = new(PeerKnowledge.ChangeLogCapacity);
        private readonly long _inventoryBase = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue) * (1L << 31);

        public HeldIndex(ShardStore store)
        {
            _store = store;

            // A random start: a restarted hub must not reuse a version a peer cached with other contents.
            _version = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue) * (1L << 31);
        }

        /// <summary>Grows whenever what the store holds changed; starts at random, so it never repeats across restarts either.</summary>
        public long Version
        {
            get
            {
                Current();
                return _version;
            }
        }

        /// <summary>
        /// The inventory version peers cache (sync protocol 3): a random base plus the change log's cursor, so equal
        /// numbers mean equal contents, a restart never repeats one, and the changes since any version still in
        /// the log can be listed (<see cref="InventorySince"/>).
        /// </summary>
        public long InventoryVersion
        {
            get
            {
                Current();
                return _inventoryBase + _changes.Cursor;
            }
        }

        /// <summary>
        /// What a peer holding inventory version <paramref name="since"/> needs to be current: nothing when it is
        /// current, the items changed since (held ones with kind and length, the others as gone) while the change
        /// log still reaches back that far, else the whole inventory (0, a version of an earlier run, too old).
        /// </summary>
        public InventoryChanges InventorySince(long since)
        {
            Current();
            long now = _inventoryBase + _changes.Cursor;
            if (since == now)
            {
                return new InventoryChanges(now, false, since, Array.Empty<InventoryEntry>(), Array.Empty<string>());
            }

            var ids = since > _inventoryBase && since < now ? _changes.Since(since - _inventoryBase) : null;
            if (ids == null)
            {
                return InventoryChanges.WholeAt(now, Items());
            }

            var present = new List<InventoryEntry>();
            var gone = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string id in ids)
            {
                if (!seen.Add(id) || !SyncFrame.IsValidItemId(id))
                {
                    continue;
                }

                if (_manifests.TryGetValue(id, out int length))
                {
                    present.Add(new InventoryEntry(SyncItemKind.Manifest, id, length));
                }
                else if (_shards.TryGetValue(id, out long size))
                {
                    present.Add(new InventoryEntry(SyncItemKind.Shard, id, size));
                }
                else
                {
                    gone.Add(id);
                }
            }

            return new InventoryChanges(now, false, since, present.ToArray(), gone.ToArray());
        }

        /// <summary>Times the index was loaded from the store (the first load and every change behind its back).</summary>
        public long Loads { get; private set; }

        public long UsedBytes { get; private set; }

        /// <summary>Bytes of shards held, after any change this process made (a removal) is loaded.</summary>
        public long CurrentUsedBytes()
        {
            Current();
            return UsedBytes;
        }

        /// <summary>Shard and manifest ids added or removed since <paramref name="cursor"/>, or null when unknown (a reload).</summary>
        public IReadOnlyList<string>? ChangedSince(long cursor)
        {
            Current();
            return _changes.Since(cursor);
        }

        public long ChangeCursor
        {
            get
            {
                Current();
                return _changes.Cursor;
            }
        }

        /// <summary>Asks the store (one cheap pragma) whether another process committed since the last look.</summary>
        public void CheckExternal()
        {
            long external = _store.ExternalChanges();
            if (external != _seenExternal)
            {
                _loaded = false;
                _seenExternal = external;
            }
        }

        public bool HasShard(string id)
        {
            Current();
            return _shards.ContainsKey(id);
        }

        public long LengthOf(string id)
        {
            Current();
            return _shards.TryGetValue(id, out long size) ? size : -1;
        }

        public bool HasManifest(string id)
        {
            Current();
            return _manifests.ContainsKey(id);
        }

        /// <summary>Manifest ids, sorted (one array per version).</summary>
        public string[] ManifestIds()
        {
            Current();
            if (_manifestIds == null)
            {
                _manifestIds = _manifests.Keys.ToArray();
                Array.Sort(_manifestIds, StringComparer.Ordinal);
            }

            return _manifestIds;
        }

        /// <summary>Ids of shards that arrived by sync (one array per version).</summary>
        public string[] SyncedIds()
        {
            Current();
            return _syncedIds ??= _synced.ToArray();
        }

        /// <summary>Manifests then shards, each sorted by id (one array per version).</summary>
        public InventoryEntry[] Items()
        {
            Current();
            if (_items == null)
            {
                var list = new List<InventoryEntry>(_manifests.Count + _shards.Count);
                foreach (string m in ManifestIds())
                {
                    if (SyncFrame.IsValidItemId(m))
                    {
                        list.Add(new InventoryEntry(SyncItemKind.Manifest, m, _manifests[m]));
                    }
                }

                var ids = _shards.Keys.ToArray();
                Array.Sort(ids, StringComparer.Ordinal);
                foreach (string s in ids)
                {
                    list.Add(new InventoryEntry(SyncItemKind.Shard, s, _shards[s]));
                }

                _items = list.ToArray();
            }

            return _items;
        }

        /// <summary>
        /// Runs a store change made by this process and applies <paramref name="apply"/> to the index, unless
        /// the store changed behind the index's back before it (then the next lookup loads it afresh).
        /// </summary>
        public T Change<T>(Func<T> change, Action<T> apply)
        {
            Current();
            long before = _store.LocalChanges;
            T result = change();
            long after = _store.LocalChanges;
            if (after != before && before == _seenLocal)
            {
                apply(result);
                _seenLocal = after;
                Touched();
            }

            return result;
        }

        public void AddShard(StoredShard s)
        {
            _changes.Add(s.Id);
            if (_shards.TryAdd(s.Id, s.Size))
            {
                UsedBytes += s.Size;
            }

            if (s.FileId == null)
            {
                _synced.Add(s.Id);
            }
            else
            {
                _synced.Remove(s.Id);
            }
        }

        public void RemoveShard(string id)
        {
            _changes.Add(id);
            if (_shards.Remove(id, out long size))
            {
                UsedBytes -= size;
            }

            _synced.Remove(id);
        }

        public void AddManifest(string id, int length)
        {
            _changes.Add(id);
            _manifests[id] = length;
        }

        // Loads when never loaded, or when a change this process did not apply shows in the local counter. A reload
        // logs only the ids that differ from what was held (another process's put of one file is a delta of one
        // file for peers, not a whole inventory); only the first load marks everything changed.
        private void Current()
        {
            if (_loaded && _store.LocalChanges == _seenLocal)
            {
                return;
            }

            _seenLocal = _store.LocalChanges;
            var shards = new Dictionary<string, long>(_shards.Count, StringComparer.Ordinal);
            var manifests = new Dictionary<string, int>(_manifests.Count, StringComparer.Ordinal);
            _synced.Clear();
            long used = 0;
            _store.ScanShards((id, size, synced) =>
            {
                shards[id] = size;
                used += size;
                if (synced)
                {
                    _synced.Add(id);
                }
            });
            _store.ScanManifests((id, length) =>
            {
                if (ShardManifest.IsFileId(id))
                {
                    manifests[id] = length;
                }
            });
            if (Loads == 0)
            {
                _changes.AddAll();
            }
            else
            {
                LogDifferences(_shards, shards);
                LogDifferences(_manifests, manifests);
            }

            _shards = shards;
            _manifests = manifests;
            UsedBytes = used;
            _loaded = true;
            Loads++;
            Touched();
        }

        private void LogDifferences<TValue>(Dictionary<string, TValue> before, Dictionary<string, TValue> after)
        {
            foreach (var (id, value) in after)
            {
                if (!before.TryGetValue(id, out var old) || !EqualityComparer<TValue>.Default.Equals(old, value))
                {
                    _changes.Add(id);
                }
            }

            foreach (string id in before.Keys)
            {
                if (!after.ContainsKey(id))
                {
                    _changes.Add(id);
                }
            }
        }

        private void Touched()
        {
            _version++;
            _manifestIds = null;
            _syncedIds = null;
            _items = null;
        }
    }
}
