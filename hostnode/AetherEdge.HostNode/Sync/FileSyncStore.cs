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
            var f = new FileInfo(Path.Combine(PartialDir, Safe(id)));
            return f.Exists ? f.Length : 0;
        }

        public void DiscardPartial(string id) => File.Delete(Path.Combine(PartialDir, Safe(id)));

        public void AppendPartial(string id, long position, byte[] data, int offset, int count)
        {
            using var fs = new FileStream(Path.Combine(PartialDir, Safe(id)), FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
            if (fs.Length != position)
            {
                throw new IOException("partial " + id + " has " + fs.Length + " bytes, chunk starts at " + position);
            }

            fs.Seek(position, SeekOrigin.Begin);
            fs.Write(data, offset, count);
        }

        public AckStatus CompletePartial(string id, long totalLength, byte[] hash)
        {
            string partial = Path.Combine(PartialDir, Safe(id));
            if (!File.Exists(partial))
            {
                if (totalLength != 0)
                {
                    return AckStatus.BadHash;
                }

                File.WriteAllBytes(partial, Array.Empty<byte>());
            }

            byte[] actual;
            long length;
            using (var s = File.OpenRead(partial))
            {
                length = s.Length;
                actual = SHA256.HashData(s);
            }

            if (length != totalLength || !CryptographicOperations.FixedTimeEquals(actual, hash))
            {
                File.Delete(partial);
                return AckStatus.BadHash;
            }

            File.Move(partial, ShardPath(id), true);
            return AckStatus.Ok;
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
