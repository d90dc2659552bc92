using System.Security.Cryptography;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.TestSupport
{
    /// <summary>
    /// Items as files: <c>ROOT/shards/ID</c>, <c>ROOT/manifests/ID</c>, incomplete transfers in
    /// <c>ROOT/partial/ID</c> (kept across restarts so transfers resume). A verified partial is
    /// moved into place atomically (no fsync). SHA-256 of complete shards is cached by length and mtime.
    /// A plain-folder store for protocol tests and benchmarks; the hub uses ShardStoreSyncStore.
    /// </summary>
    public sealed class FileSyncStore : INodeStore
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, long> _removals = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (long Length, DateTime Stamp, byte[] Hash)> _hashes = new(StringComparer.Ordinal);
        private readonly PartialFiles _partials;

        public FileSyncStore(string root)
        {
            Root = root;
            ShardDir = Directory.CreateDirectory(Path.Combine(root, "shards")).FullName;
            ManifestDir = Directory.CreateDirectory(Path.Combine(root, "manifests")).FullName;
            PartialDir = Directory.CreateDirectory(Path.Combine(root, "partial")).FullName;
            _partials = new PartialFiles(PartialDir);
        }

        public string Root { get; }

        public string ShardDir { get; }

        public string ManifestDir { get; }

        public string PartialDir { get; }

        /// <summary>Bytes of complete shards held.</summary>
        public long UsedBytes => new DirectoryInfo(ShardDir).EnumerateFiles().Sum(f => f.Length);

        private long _version;

        /// <summary>Unversioned: a new number on every read, so nothing is ever taken as unchanged.</summary>
        public long Version => Interlocked.Increment(ref _version);

        public long ChangeCursor => Interlocked.Increment(ref _version);

        public IReadOnlyList<string>? ChangedSince(long cursor) => null;

        public InventoryEntry[] ListItems()
        {
            var list = new List<InventoryEntry>();
            foreach (var f in new DirectoryInfo(ManifestDir).EnumerateFiles())
            {
                if (SyncFrame.IsValidItemId(f.Name))
                {
                    list.Add(new InventoryEntry(SyncItemKind.Manifest, f.Name, f.Length));
                }
            }

            foreach (var f in new DirectoryInfo(ShardDir).EnumerateFiles())
            {
                if (SyncFrame.IsValidItemId(f.Name))
                {
                    list.Add(new InventoryEntry(SyncItemKind.Shard, f.Name, f.Length));
                }
            }

            return list.ToArray();
        }

        /// <summary>Unversioned: always the whole inventory.</summary>
        public InventoryChanges InventorySince(long since) => InventoryChanges.WholeAt(Version, ListItems());

        public IReadOnlyList<string> ManifestIds() =>
            new DirectoryInfo(ManifestDir).EnumerateFiles().Select(f => f.Name).Where(SyncFrame.IsValidItemId).ToList();

        public bool HasShard(string id) => SyncFrame.IsValidItemId(id) && File.Exists(Path.Combine(ShardDir, id));

        public bool HasManifest(string id) => SyncFrame.IsValidItemId(id) && File.Exists(Path.Combine(ManifestDir, id));

        public long LengthOf(string id)
        {
            var f = new FileInfo(ShardPath(id));
            return f.Exists ? f.Length : -1;
        }

        public byte[]? HashOf(string id)
        {
            var f = new FileInfo(ShardPath(id));
            if (!f.Exists)
            {
                return null;
            }

            lock (_gate)
            {
                if (_hashes.TryGetValue(id, out var c) && c.Length == f.Length && c.Stamp == f.LastWriteTimeUtc)
                {
                    return c.Hash;
                }
            }

            byte[] hash;
            using (var s = File.OpenRead(f.FullName))
            {
                hash = SHA256.HashData(s);
            }

            lock (_gate)
            {
                _hashes[id] = (f.Length, f.LastWriteTimeUtc, hash);
            }

            return hash;
        }

        public int Read(string id, long position, byte[] buffer, int offset, int count)
        {
            using var handle = File.OpenHandle(ShardPath(id), FileMode.Open, FileAccess.Read, FileShare.Read);
            return RandomAccess.Read(handle, buffer.AsSpan(offset, count), position);
        }

        public byte[]? ReadManifest(string id)
        {
            string p = Path.Combine(ManifestDir, Safe(id));
            return File.Exists(p) ? File.ReadAllBytes(p) : null;
        }

        public long PartialLength(string id) => _partials.Length(Safe(id));

        public void DiscardPartial(string id) => _partials.Discard(Safe(id));

        public void AppendPartial(string id, long position, byte[] data, int offset, int count) =>
            _partials.Append(Safe(id), position, data, offset, count);

        public AckStatus CompletePartial(string id, long totalLength, byte[] hash) =>
            _partials.Complete(Safe(id), totalLength, hash, path => File.Move(path, ShardPath(id), true));

        /// <summary>Flushes and closes every open partial (they stay on disk for resuming).</summary>
        public void ClosePartials() => _partials.CloseAll();

        /// <summary>Plain folders keep no quarantine: a peer's BadHash changes nothing here.</summary>
        public void PeerRefused(string id)
        {
        }

        public AckStatus StoreManifest(string id, byte[] data)
        {
            lock (_gate)
            {
                if (_removals.ContainsKey(id))
                {
                    return AckStatus.StoreError;
                }
            }

            string final = Path.Combine(ManifestDir, Safe(id));
            string tmp = Path.Combine(PartialDir, Safe(id) + ".manifest");
            File.WriteAllBytes(tmp, data);
            File.Move(tmp, final, true);
            return AckStatus.Ok;
        }

        /// <summary>Tombstones, in memory (protocol tests only).</summary>
        public RemovalEntry[] ListRemovals()
        {
            lock (_gate)
            {
                return _removals.Select(r => new RemovalEntry(r.Key, r.Value)).ToArray();
            }
        }

        /// <summary>Records the tombstone and drops the manifest (shards stay: this store does not know which file they belong to).</summary>
        public void ApplyRemoval(string id, long removedAtMilliseconds)
        {
            lock (_gate)
            {
                _removals[id] = _removals.TryGetValue(id, out long t) ? Math.Max(t, removedAtMilliseconds) : removedAtMilliseconds;
            }

            File.Delete(Path.Combine(ManifestDir, Safe(id)));
        }

        /// <summary>Removes a file here (as `aether rm` would), for tests.</summary>
        public void Remove(string id, long removedAtMilliseconds) => ApplyRemoval(id, removedAtMilliseconds);

        /// <summary>Adds a complete shard (used by put and tests).</summary>
        public void PutShard(string id, byte[] data)
        {
            string tmp = Path.Combine(PartialDir, Safe(id) + ".put");
            File.WriteAllBytes(tmp, data);
            File.Move(tmp, ShardPath(id), true);
        }

        public bool DeleteShard(string id)
        {
            string p = ShardPath(id);
            if (!File.Exists(p))
            {
                return false;
            }

            File.Delete(p);
            return true;
        }

        private string ShardPath(string id) => Path.Combine(ShardDir, Safe(id));

        private static string Safe(string id) =>
            SyncFrame.IsValidItemId(id) ? id : throw new ArgumentException("invalid item id '" + id + "'");
    }
}
