using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// The sync protocol's view of a home's content-addressed <see cref="ShardStore"/>: shard ids are
    /// SHA-256 hex of the content (so Have needs no hashing), manifests are keyed by file id.
    /// Incoming shards collect in <c>HOME/sync-partial/</c>, hashed while they arrive, and are
    /// renamed into the store (quota-checked, fsynced) once their SHA-256 equals their id. Calls
    /// into the store are serialised. Disposing closes partials and served shards, not the store.
    /// </summary>
    public sealed partial class ShardStoreSyncStore : INodeStore, IDisposable
    {
        public const string PartialFolder = "sync-partial";

        /// <summary>Verified shards kept open between the chunks of a serve pass (oldest closed first).</summary>
        public const int MaxServingShards = 8;

        private readonly ShardStore _store;
        private readonly HeldIndex _held;
        private readonly PartialFiles _partials;
        private readonly IShardDiversion? _diversion;
        private readonly Func<string, (string FileId, int Index)?>? _keepAs;
        private readonly object _gate = new();
        private readonly Dictionary<string, ServeHandle> _serving = new(StringComparer.Ordinal);
        private long _servingOpened;

        /// <param name="store">The home's shard store (not owned).</param>
        /// <param name="partials">Incoming partials, by convention <c>HOME/sync-partial/</c> (<see cref="PartialsOf"/>).</param>
        /// <param name="diversion">Takes completed, hash-checked shards it wants instead of the store (repair inputs).</param>
        /// <param name="keepAs">
        /// Names the file a completed shard belongs to, recorded as put does, which keeps it out of
        /// placement pruning while <c>aether get</c> reads what it fetched (it deletes them afterwards).
        /// </param>
        /// <param name="indexLoadChunk">Shards per step of the held index's first load (small in tests, to count steps).</param>
        public ShardStoreSyncStore(ShardStore store, PartialFiles partials, IShardDiversion? diversion = null, Func<string, (string FileId, int Index)?>? keepAs = null, int indexLoadChunk = HeldIndex.DefaultLoadChunk)
        {
            _store = store;
            _held = new HeldIndex(store, indexLoadChunk);
            _partials = partials;
            _diversion = diversion;
            _keepAs = keepAs;
        }

        /// <summary>The partials folder of <paramref name="home"/>.</summary>
        public static PartialFiles PartialsOf(string home) => new(Path.Combine(home, PartialFolder));

        public string PartialDir => _partials.Directory;

        /// <summary>
        /// Runs <paramref name="read"/> on the store serialised with the sessions' calls: the store's one
        /// SQLite connection is not safe for two threads at once (readers outside sync, e.g. the dashboard).
        /// </summary>
        public T Read<T>(Func<ShardStore, T> read)
        {
            lock (_gate)
            {
                return read(_store);
            }
        }

        /// <summary>
        /// One step of the background reconciliation walk, serialised with the sessions' calls (one SQLite
        /// connection); a step that removed rows makes the held index load afresh at its next lookup.
        /// </summary>
        public bool RunWalkStep(StoreWalk walk)
        {
            lock (_gate)
            {
                return walk.Step();
            }
        }

        /// <summary>
        /// One step of the held index's first load under this class's lock (<see cref="HeldIndex.LoadStep"/>); true
        /// once it is loaded. The hub runs the steps in the background so nothing waits for 1.5 M rows at start-up.
        /// </summary>
        public bool LoadIndexStep()
        {
            lock (_gate)
            {
                return _held.LoadStep();
            }
        }

        /// <summary>Lookups the store answered because the held index's first load had not reached them.</summary>
        public long IndexStoreLookups
        {
            get
            {
                lock (_gate)
                {
                    return _held.StoreLookups;
                }
            }
        }

        public long UsedBytes
        {
            get
            {
                lock (_gate)
                {
                    return _held.CurrentUsedBytes();
                }
            }
        }

        /// <summary>
        /// What this node holds, as a number that grows with every change (the inventory version peers cache
        /// against, and what rounds compare to skip work when nothing changed). Asks the store once whether
        /// another process (a CLI put) committed since the last look.
        /// </summary>
        public long Version
        {
            get
            {
                lock (_gate)
                {
                    _held.CheckExternal();
                    return _held.Version;
                }
            }
        }

        /// <summary>
        /// This node's inventory for a peer that holds version <paramref name="since"/> of it (sync protocol 3): unchanged,
        /// the changes since, or whole (<see cref="HeldIndex.InventorySince"/>). Notices another process's commit first.
        /// </summary>
        public InventoryChanges InventorySince(long since)
        {
            LoadIndex();
            lock (_gate)
            {
                _held.CheckExternal();
                return _held.InventorySince(since);
            }
        }

        /// <summary>Shard and manifest ids added or removed since <paramref name="cursor"/> (a <see cref="ChangeCursor"/>), or null when unknown.</summary>
        public IReadOnlyList<string>? ChangedSince(long cursor)
        {
            lock (_gate)
            {
                return _held.ChangedSince(cursor);
            }
        }

        public long ChangeCursor
        {
            get
            {
                lock (_gate)
                {
                    return _held.ChangeCursor;
                }
            }
        }

        /// <summary>
        /// The store's <see cref="ShardStore.ExternalChanges"/> under this class's lock: the connection is shared
        /// by the sessions, and a poll racing them on another thread broke Microsoft.Data.Sqlite's command list (an
        /// ArgumentOutOfRangeException that stopped the hub at 10,000 files).
        /// </summary>
        public long ExternalChanges()
        {
            lock (_gate)
            {
                return _store.ExternalChanges();
            }
        }

        /// <summary>Times the in-memory index was (re)loaded from the store.</summary>
        public long IndexLoads
        {
            get
            {
                lock (_gate)
                {
                    return _held.Loads;
                }
            }
        }

        public bool HasShard(string id)
        {
            lock (_gate)
            {
                return _held.HasShard(id);
            }
        }

        /// <summary>Shards held (the held index's count; no table scan once it is loaded).</summary>
        public int ShardCount
        {
            get
            {
                lock (_gate)
                {
                    return _held.ShardCount();
                }
            }
        }

        /// <summary>Whether each of <paramref name="ids"/> is held here, under one lock (a file's shards at once).</summary>
        public bool[] HoldsEach(IReadOnlyList<string> ids)
        {
            var held = new bool[ids.Count];
            lock (_gate)
            {
                for (int i = 0; i < held.Length; i++)
                {
                    held[i] = _held.HasShard(ids[i]);
                }
            }

            return held;
        }

        public bool HasManifest(string id)
        {
            lock (_gate)
            {
                return _held.HasManifest(id);
            }
        }

        public IReadOnlyList<string> ManifestIds()
        {
            LoadIndex();
            lock (_gate)
            {
                return _held.ManifestIds();
            }
        }

        /// <summary>The inventory from memory; one array per version (a session start costs nothing when nothing changed).</summary>
        public InventoryEntry[] ListItems()
        {
            LoadIndex();
            lock (_gate)
            {
                _held.CheckExternal();
                return _held.Items();
            }
        }

        /// <summary>Ids of shards that arrived by sync (put records the file; sync does not).</summary>
        public IReadOnlyList<string> SyncedShardIds()
        {
            LoadIndex();
            lock (_gate)
            {
                return _held.SyncedIds();
            }
        }

        /// <summary>Stores a shard made here (a repair) as a synced one: placement may prune it. The store re-checks the hash.</summary>
        public void AddShard(string id, Stream content)
        {
            lock (_gate)
            {
                _held.Change(() => _store.PutShard(id, content), _held.AddShard);
            }
        }

        /// <summary>Opens a held shard after the store re-hashed it; null when absent or corrupt (then quarantined).</summary>
        public Stream? OpenShard(string id)
        {
            lock (_gate)
            {
                return _store.TryOpenShard(id);
            }
        }

        /// <summary>A peer answered BadHash for a shard served from here: re-hash it (a corrupt copy is quarantined, never served again).</summary>
        public void PeerRefused(string id)
        {
            if (!ShardId.IsValid(id))
            {
                return;
            }

            lock (_gate)
            {
                if (_serving.Remove(id, out var h))
                {
                    h.Dispose();
                }

                // Quarantining removes the row (a store change the held index follows); an intact copy is just closed.
                _held.Change(() => _store.TryOpenShard(id), s =>
                {
                    if (s == null)
                    {
                        _held.RemoveShard(id);
                    }
                })?.Dispose();
            }
        }

        public bool DeleteShard(string id)
        {
            lock (_gate)
            {
                if (_serving.Remove(id, out var h))
                {
                    h.Dispose();
                }

                return _held.Change(() => _store.DeleteShard(id), deleted => _held.RemoveShard(id));
            }
        }

        public long LengthOf(string id)
        {
            lock (_gate)
            {
                return _held.LengthOf(id);
            }
        }

        public byte[]? HashOf(string id) => ShardId.IsValid(id) && LengthOf(id) >= 0 ? Convert.FromHexString(id) : null;

        /// <summary>
        /// Reads served bytes. The shard is opened when a pass starts at position 0 or nothing is open
        /// for it; later chunks of the same pass reuse that handle. Serving does not re-hash (the
        /// receiver verifies against the id; its BadHash makes <see cref="PeerRefused"/> check here).
        /// </summary>
        public int Read(string id, long position, byte[] buffer, int offset, int count)
        {
            ServeHandle? h = OpenForServing(id, position == 0);
            if (h == null)
            {
                return 0;
            }

            int got;
            try
            {
                got = RandomAccess.Read(h.Handle, buffer.AsSpan(offset, count), position);
            }
            catch (ObjectDisposedException)
            {
                // Evicted by another session between lookup and read: open afresh (verifies again).
                h = OpenForServing(id, true);
                if (h == null)
                {
                    return 0;
                }

                got = RandomAccess.Read(h.Handle, buffer.AsSpan(offset, count), position);
            }

            if (got == 0 || position + got >= h.Length)
            {
                CloseServing(id, h);
            }

            return got;
        }

        public byte[]? ReadManifest(string id)
        {
            if (!ShardManifest.IsFileId(id))
            {
                return null;
            }

            lock (_gate)
            {
                return _store.TryGetManifest(id);
            }
        }

        public long PartialLength(string id) => ShardId.IsValid(id) ? _partials.Length(id) : 0;

        public void DiscardPartial(string id) => _partials.Discard(Valid(id));

        public void AppendPartial(string id, long position, byte[] data, int offset, int count) =>
            _partials.Append(Valid(id), position, data, offset, count);

        /// <summary>
        /// Verifies the partial against the id itself (the content address, whatever the peer's Have
        /// claimed), then hands the file to the store without a second hash or copy.
        /// </summary>
        public AckStatus CompletePartial(string id, long totalLength, byte[] hash)
        {
            AckStatus status = AckStatus.Ok;
            var result = _partials.Complete(Valid(id), totalLength, Convert.FromHexString(id), path =>
            {
                if (_diversion != null && Convert.ToHexStringLower(hash) == id && _diversion.TryTake(id, path))
                {
                    return;
                }

                try
                {
                    lock (_gate)
                    {
                        var tag = _keepAs?.Invoke(id);
                        _held.Change(() => _store.AdoptVerifiedShard(id, path, tag?.FileId, tag?.Index), _held.AddShard);
                    }
                }
                catch (QuotaExceededException)
                {
                    status = AckStatus.NoSpace;
                }
                catch (IOException)
                {
                    status = AckStatus.StoreError;
                }

                File.Delete(path);
            });
            return result == AckStatus.Ok ? status : result;
        }

        public AckStatus StoreManifest(string id, byte[] data)
        {
            if (!ShardManifest.IsFileId(id))
            {
                return AckStatus.StoreError;
            }

            lock (_gate)
            {
                // False for a removed file: a removal is final, whoever offers the manifest again.
                bool stored = _held.Change(() => _store.PutManifest(id, data), ok =>
                {
                    if (ok)
                    {
                        _held.AddManifest(id, data.Length);
                    }
                });
                return stored ? AckStatus.Ok : AckStatus.StoreError;
            }
        }

        public void Dispose() => ClosePartials();

        /// <summary>Flushes and closes open partials (kept for resuming) and the shards open for serving.</summary>
        public void ClosePartials()
        {
            _partials.CloseAll();
            lock (_gate)
            {
                foreach (var h in _serving.Values)
                {
                    h.Dispose();
                }

                _serving.Clear();
            }
        }

        // What needs every id finishes the first load in steps, letting go of the lock between them (the metrics
        // endpoint and other sessions' point lookups go on meanwhile).
        private void LoadIndex()
        {
            while (!LoadIndexStep())
            {
            }
        }

        private ServeHandle? OpenForServing(string id, bool fresh)
        {
            lock (_gate)
            {
                if (_serving.TryGetValue(id, out var open))
                {
                    if (!fresh)
                    {
                        return open;
                    }

                    _serving.Remove(id);
                    open.Dispose();
                }

                if (_store.OpenShardToServe(id) is not FileStream s)
                {
                    return null;
                }

                if (_serving.Count >= MaxServingShards)
                {
                    var oldest = _serving.MinBy(e => e.Value.Opened);
                    _serving.Remove(oldest.Key);
                    oldest.Value.Dispose();
                }

                var h = new ServeHandle(s, ++_servingOpened);
                _serving[id] = h;
                return h;
            }
        }

        private void CloseServing(string id, ServeHandle h)
        {
            lock (_gate)
            {
                if (_serving.TryGetValue(id, out var current) && current == h)
                {
                    _serving.Remove(id);
                }
            }

            h.Dispose();
        }

        private static string Valid(string id) =>
            ShardId.IsValid(id) ? id : throw new Core.Protocol.ProtocolViolationException("'" + id + "' is not a shard id (64 lower-case hex characters)");

        /// <summary>A shard open for serving; reads are positional, so sessions can share it.</summary>
        private sealed class ServeHandle : IDisposable
        {
            private readonly FileStream _stream;

            public ServeHandle(FileStream stream, long opened)
            {
                _stream = stream;
                Opened = opened;
                Handle = stream.SafeFileHandle;
                Length = RandomAccess.GetLength(Handle);
            }

            public Microsoft.Win32.SafeHandles.SafeFileHandle Handle { get; }

            public long Length { get; }

            public long Opened { get; }

            public void Dispose() => _stream.Dispose();
        }
    }
}
