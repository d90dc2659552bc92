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
    /// The first load runs in steps of <see cref="LoadChunk"/> shards in id order (<see cref="LoadStep"/>), so the
    /// owner can let go of its lock between them (a hub of 100,000 files serves within seconds, issue 17): until it
    /// is done, point lookups above the loaded range and used bytes are answered by the store, and whatever needs
    /// every id (the inventory, the manifest list) finishes the load first.
    /// </summary>
    internal sealed class HeldIndex
    {
        /// <summary>Shards read per load step: ~0.1 s of the lock on this machine.</summary>
        public const int DefaultLoadChunk = 20_000;

        private readonly ShardStore _store;
        // Binary keys (32 bytes) rather than 64-character strings: 1.6 M shards on a hub of 100,000 files (issue 17).
        private Dictionary<ShardKey, long> _shards = new();
        private readonly HashSet<ShardKey> _synced = new();
        private Dictionary<string, int> _manifests = new(StringComparer.Ordinal);
        private bool _stale;
        private bool _manifestsIn;
        private string? _after;
        private ShardKey _afterKey;
        private long _usedAt = -1;
        private long _usedFromStore;
        private long _seenLocal = -1;
        private long _seenExternal = -1;
        private string[]? _manifestIds;
        private long _version;
        private readonly ChangeLog _changes = new(PeerKnowledge.ChangeLogCapacity);
        private readonly long _inventoryBase = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue) * (1L << 31);

        public HeldIndex(ShardStore store, int loadChunk = DefaultLoadChunk)
        {
            _store = store;
            LoadChunk = loadChunk;

            // A random start: a restarted hub must not reuse a version a peer cached with other contents.
            _version = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue) * (1L << 31);
        }

        public int LoadChunk { get; }

        /// <summary>Steps the first load has taken (the manifests, then one per chunk of shards).</summary>
        public long LoadSteps { get; private set; }

        /// <summary>Lookups answered by the store because the first load had not reached them yet.</summary>
        public long StoreLookups { get; private set; }

        /// <summary>True once every id is in memory and nothing changed behind the index's back since.</summary>
        public bool IsLoaded => Loads > 0 && !Diverged;

        /// <summary>Grows whenever what the store holds changed; starts at random, so it never repeats across restarts either.</summary>
        public long Version
        {
            get
            {
                Ready();
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
                Ready();
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
                else if (ShardKey.TryParse(id, out var key) && _shards.TryGetValue(key, out long size))
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

        /// <summary>
        /// Bytes of shards held, after any change this process made (a removal) is loaded; while the first load runs,
        /// one <c>SUM</c> query per change of the store.
        /// </summary>
        public long CurrentUsedBytes()
        {
            if (Ready())
            {
                return UsedBytes;
            }

            if (_usedAt != _store.LocalChanges)
            {
                _usedAt = _store.LocalChanges;
                _usedFromStore = _store.UsedBytes;
                StoreLookups++;
            }

            return _usedFromStore;
        }

        /// <summary>Shards held: from memory once loaded, else one <c>COUNT</c> query.</summary>
        public int ShardCount()
        {
            if (Ready())
            {
                return _shards.Count;
            }

            StoreLookups++;
            return _store.ShardCount;
        }

        /// <summary>Shard and manifest ids added or removed since <paramref name="cursor"/>, or null when unknown (a reload).</summary>
        public IReadOnlyList<string>? ChangedSince(long cursor)
        {
            Ready();
            return _changes.Since(cursor);
        }

        public long ChangeCursor
        {
            get
            {
                Ready();
                return _changes.Cursor;
            }
        }

        /// <summary>Asks the store (one cheap pragma) whether another process committed since the last look.</summary>
        public void CheckExternal()
        {
            long external = _store.ExternalChanges();
            if (external != _seenExternal)
            {
                _stale = true;
                _seenExternal = external;
            }
        }

        public bool HasShard(string id) => LengthOf(id) >= 0;

        public long LengthOf(string id)
        {
            if (!ShardKey.TryParse(id, out var key))
            {
                return -1;
            }

            if (Ready() || (_after != null && key.CompareTo(_afterKey) <= 0))
            {
                return _shards.TryGetValue(key, out long size) ? size : -1;
            }

            StoreLookups++;
            return _store.LengthOf(id);
        }

        public bool HasManifest(string id)
        {
            if (!Ready() && !_manifestsIn)
            {
                LoadStep();
            }

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

        /// <summary>
        /// Ids of shards that arrived by sync: a copy of their keys, each id made as it is read (1.5 M id strings kept
        /// per version were ~225 MiB on a hub that pulled 100,000 files; issue 17).
        /// </summary>
        public IReadOnlyList<string> SyncedIds()
        {
            Current();
            return new KeyIds(_synced.ToArray());
        }

        /// <summary>
        /// Manifests then shards, each sorted by id: built for each whole inventory (a peer's first session after a
        /// restart, protocol-2 peers), not kept: 1.6 M entries with their id strings are ~300 MiB at 100,000 files.
        /// </summary>
        public InventoryEntry[] Items()
        {
            Current();
            var list = new List<InventoryEntry>(_manifests.Count + _shards.Count);
            foreach (string m in ManifestIds())
            {
                if (SyncFrame.IsValidItemId(m))
                {
                    list.Add(new InventoryEntry(SyncItemKind.Manifest, m, _manifests[m]));
                }
            }

            // Keys order as their hex does; the strings exist only in this array.
            var keys = _shards.Keys.ToArray();
            Array.Sort(keys);
            foreach (var k in keys)
            {
                list.Add(new InventoryEntry(SyncItemKind.Shard, k.ToString(), _shards[k]));
            }

            return list.ToArray();
        }

        /// <summary>Shard ids over a copy of their keys; each id string made when read.</summary>
        private sealed class KeyIds : IReadOnlyList<string>
        {
            private readonly ShardKey[] _keys;

            public KeyIds(ShardKey[] keys)
            {
                _keys = keys;
            }

            public int Count => _keys.Length;

            public string this[int index] => _keys[index].ToString();

            public IEnumerator<string> GetEnumerator()
            {
                foreach (var k in _keys)
                {
                    yield return k.ToString();
                }
            }

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }

        /// <summary>
        /// Runs a store change made by this process and applies <paramref name="apply"/> to the index, unless
        /// the store changed behind the index's back before it (then the next lookup loads it afresh).
        /// </summary>
        public T Change<T>(Func<T> change, Action<T> apply)
        {
            Ready();
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
            var key = ShardKey.Parse(s.Id);
            Set(key, s.Size);

            if (s.FileId == null)
            {
                _synced.Add(key);
            }
            else
            {
                _synced.Remove(key);
            }
        }

        public void RemoveShard(string id)
        {
            _changes.Add(id);
            if (!ShardKey.TryParse(id, out var key))
            {
                return;
            }

            if (_shards.Remove(key, out long size))
            {
                UsedBytes -= size;
            }

            _synced.Remove(key);
        }

        public void AddManifest(string id, int length)
        {
            _changes.Add(id);
            _manifests[id] = length;
        }

        /// <summary>
        /// One step of the first load (the manifests, then <see cref="LoadChunk"/> shards after the last loaded id);
        /// true once everything is in memory. A change behind the index's back meanwhile starts it over.
        /// </summary>
        public bool LoadStep()
        {
            if (Ready())
            {
                return true;
            }

            LoadSteps++;
            if (!_manifestsIn)
            {
                _store.ScanManifests((id, length) =>
                {
                    if (ShardManifest.IsFileId(id))
                    {
                        _manifests[id] = length;
                    }
                });
                _manifestsIn = true;
                return false;
            }

            int read = _store.ScanShardsAfter(_after, LoadChunk, (id, size, synced) =>
            {
                _after = id;
                if (!ShardKey.TryParse(id, out var key))
                {
                    return;
                }

                _afterKey = key;
                Set(key, size);
                if (synced)
                {
                    _synced.Add(key);
                }
                else
                {
                    _synced.Remove(key);
                }
            });
            if (read < LoadChunk)
            {
                // Not a change of what the store holds (lookups meanwhile asked the store): plans made during the
                // load stay valid, so no version step here.
                Loads++;
                return true;
            }

            return false;
        }

        private bool Diverged => _stale || _store.LocalChanges != _seenLocal;

        // True when memory answers everything: after the first load, reloading whole if the store changed behind its
        // back. During the first load, false (and a change behind its back starts that load over).
        private bool Ready()
        {
            if (Loads > 0)
            {
                Current();
                return true;
            }

            if (Diverged)
            {
                Restart();
            }

            return false;
        }

        // The first load from the beginning: memory empty, everything marked changed.
        private void Restart()
        {
            _stale = false;
            _seenLocal = _store.LocalChanges;

            // From here on another process's commit shows (the first look only sets where the store's count starts).
            _seenExternal = _store.ExternalChanges();
            _synced.Clear();
            _manifests.Clear();

            // Sized once from a count: grown by doubling, the table of 1.5 M keys had room for 2.9 M (139 MB, not 72).
            _shards = new Dictionary<ShardKey, long>(_store.ShardCount + LoadChunk);
            _manifestsIn = false;
            _after = null;
            UsedBytes = 0;
            _changes.AddAll();
            Touched();
        }

        private void Set(ShardKey key, long size)
        {
            UsedBytes += _shards.TryGetValue(key, out long old) ? size - old : size;
            _shards[key] = size;
        }

        // The first load (all steps at once) when never loaded, or a reload when a change this process did not apply shows in the local counter. A reload
        // logs only the ids that differ from what was held (another process's put of one file is a delta of one
        // file for peers, not a whole inventory); only the first load marks everything changed.
        private void Current()
        {
            if (Loads == 0)
            {
                while (!LoadStep())
                {
                }

                return;
            }

            if (!Diverged)
            {
                return;
            }

            _stale = false;
            _seenLocal = _store.LocalChanges;
            var shards = new Dictionary<ShardKey, long>(_shards.Count);
            var manifests = new Dictionary<string, int>(_manifests.Count, StringComparer.Ordinal);
            _synced.Clear();
            long used = 0;
            _store.ScanShards((id, size, synced) =>
            {
                if (!ShardKey.TryParse(id, out var key))
                {
                    return;
                }

                shards[key] = size;
                used += size;
                if (synced)
                {
                    _synced.Add(key);
                }
            });
            _store.ScanManifests((id, length) =>
            {
                if (ShardManifest.IsFileId(id))
                {
                    manifests[id] = length;
                }
            });
            LogDifferences(_shards, shards, k => k.ToString());
            LogDifferences(_manifests, manifests, m => m);
            _shards = shards;
            _manifests = manifests;
            UsedBytes = used;
            Loads++;
            Touched();
        }

        private void LogDifferences<TKey, TValue>(Dictionary<TKey, TValue> before, Dictionary<TKey, TValue> after, Func<TKey, string> idOf)
            where TKey : notnull
        {
            foreach (var (key, value) in after)
            {
                if (!before.TryGetValue(key, out var old) || !EqualityComparer<TValue>.Default.Equals(old, value))
                {
                    _changes.Add(idOf(key));
                }
            }

            foreach (var key in before.Keys)
            {
                if (!after.ContainsKey(key))
                {
                    _changes.Add(idOf(key));
                }
            }
        }

        private void Touched()
        {
            _version++;
            _manifestIds = null;
        }
    }
}
