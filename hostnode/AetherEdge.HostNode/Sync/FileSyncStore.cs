using System.Security.Cryptography;
using AetherEdge.Core.Sync;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// Items as files: <c>ROOT/shards/ID</c>, <c>ROOT/manifests/ID</c>, incomplete transfers in
    /// <c>ROOT/partial/ID</c> (kept across restarts so transfers resume). A verified partial is
    /// moved into place atomically. SHA-256 of complete shards is cached by length and mtime.
    /// </summary>
    public sealed class FileSyncStore : ISyncStore
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, (long Length, DateTime Stamp, byte[] Hash)> _hashes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PartialWriter> _open = new(StringComparer.Ordinal);

        public FileSyncStore(string root)
        {
            Root = root;
            ShardDir = Directory.CreateDirectory(Path.Combine(root, "shards")).FullName;
            ManifestDir = Directory.CreateDirectory(Path.Combine(root, "manifests")).FullName;
            PartialDir = Directory.CreateDirectory(Path.Combine(root, "partial")).FullName;
        }

        public string Root { get; }

        public string ShardDir { get; }

        public string ManifestDir { get; }

        public string PartialDir { get; }

        /// <summary>Bytes of complete shards held.</summary>
        public long UsedBytes => new DirectoryInfo(ShardDir).EnumerateFiles().Sum(f => f.Length);

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

        public long PartialLength(string id)
        {
            lock (_gate)
            {
                if (_open.TryGetValue(id, out var w))
                {
                    return w.Stream.Length;
                }
            }

            var f = new FileInfo(Path.Combine(PartialDir, Safe(id)));
            return f.Exists ? f.Length : 0;
        }

        public void DiscardPartial(string id)
        {
            Close(id)?.Dispose();
            File.Delete(Path.Combine(PartialDir, Safe(id)));
        }

        public void AppendPartial(string id, long position, byte[] data, int offset, int count)
        {
            var w = Writer(id);
            if (w.Stream.Length != position)
            {
                throw new IOException("partial " + id + " has " + w.Stream.Length + " bytes, chunk starts at " + position);
            }

            w.Stream.Write(data, offset, count);
            w.Hash.AppendData(data, offset, count);
        }

        public AckStatus CompletePartial(string id, long totalLength, byte[] hash)
        {
            string partial = Path.Combine(PartialDir, Safe(id));
            var w = Writer(id);
            long length = w.Stream.Length;
            byte[] actual = w.Hash.GetHashAndReset();
            Close(id);
            w.Dispose();
            if (length != totalLength || !CryptographicOperations.FixedTimeEquals(actual, hash))
            {
                File.Delete(partial);
                return AckStatus.BadHash;
            }

            File.Move(partial, ShardPath(id), true);
            return AckStatus.Ok;
        }

        /// <summary>
        /// The open partial of <paramref name="id"/>: appends are hashed as they arrive, so completion
        /// needs no second read; a partial left by an earlier run is hashed once when reopened.
        /// </summary>
        private PartialWriter Writer(string id)
        {
            lock (_gate)
            {
                if (_open.TryGetValue(id, out var existing))
                {
                    return existing;
                }
            }

            var stream = new FileStream(Path.Combine(PartialDir, Safe(id)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
            var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, n);
            }

            var w = new PartialWriter(stream, hash);
            lock (_gate)
            {
                _open[id] = w;
            }

            return w;
        }

        private PartialWriter? Close(string id)
        {
            lock (_gate)
            {
                if (_open.Remove(id, out var w))
                {
                    w.Stream.Flush();
                    return w;
                }
            }

            return null;
        }

        /// <summary>Flushes and closes every open partial (they stay on disk for resuming).</summary>
        public void ClosePartials()
        {
            List<PartialWriter> all;
            lock (_gate)
            {
                all = _open.Values.ToList();
                _open.Clear();
            }

            foreach (var w in all)
            {
                w.Dispose();
            }
        }

        private sealed class PartialWriter : IDisposable
        {
            public PartialWriter(FileStream stream, IncrementalHash hash)
            {
                Stream = stream;
                Hash = hash;
            }

            public FileStream Stream { get; }

            public IncrementalHash Hash { get; }

            public void Dispose()
            {
                Stream.Dispose();
                Hash.Dispose();
            }
        }

        public AckStatus StoreManifest(string id, byte[] data)
        {
            string final = Path.Combine(ManifestDir, Safe(id));
            string tmp = Path.Combine(PartialDir, Safe(id) + ".manifest");
            File.WriteAllBytes(tmp, data);
            File.Move(tmp, final, true);
            return AckStatus.Ok;
        }

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
