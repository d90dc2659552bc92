using System.Security.Cryptography;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// One stored copy per content: before a put writes shards, files whose content this user already
    /// stored (same content tag, <see cref="ContentTag"/>) get a name record instead (<see cref="NameRecord"/>).
    /// Only files whose size equals a stored file's, or another file's of the same put, are read for
    /// their tag first: different sizes cannot be the same content, so most puts read each file once.
    /// </summary>
    internal sealed class ContentDedup
    {
        private readonly ShardStore _store;
        private readonly UserKeys _keys;
        private readonly Dictionary<long, List<string>> _bySize = new();
        private readonly List<string> _records = new();

        public ContentDedup(ShardStore store, UserKeys keys)
        {
            _store = store;
            _keys = keys;
            foreach (string id in store.ListManifests())
            {
                if (store.TryGetManifest(id) is not { } body)
                {
                    continue;
                }

                if (NameRecord.Is(body))
                {
                    _records.Add(id);
                }
                else if (ShardManifest.ReadUnverified(body) is { ContentTag: not null } m)
                {
                    if (!_bySize.TryGetValue(m.OriginalBytes, out var ids))
                    {
                        _bySize[m.OriginalBytes] = ids = new List<string>();
                    }

                    ids.Add(id);
                }
            }
        }

        /// <summary>True when a stored file has this size (only then can it have the same content).</summary>
        public bool MayHold(long size) => _bySize.ContainsKey(size);

        /// <summary>This user's stored file with exactly this content tag, authenticated, or null.</summary>
        public ShardManifest? Find(long size, byte[] tag)
        {
            if (!_bySize.TryGetValue(size, out var ids))
            {
                return null;
            }

            foreach (string id in ids)
            {
                ShardManifest m;
                try
                {
                    m = ShardManifest.Parse(_store.TryGetManifest(id) ?? Array.Empty<byte>(), _keys.ManifestKey);
                }
                catch (ShardException)
                {
                    continue;
                }

                if (m.ContentTag != null && m.FileIdText == id && CryptographicOperations.FixedTimeEquals(m.ContentTag, tag))
                {
                    return m;
                }
            }

            return null;
        }

        /// <summary>
        /// Gives <paramref name="target"/> the name <paramref name="name"/>: nothing new when it already has
        /// that name (or no name is given), else a name record. No shard is written either way.
        /// </summary>
        public PutResult AddName(ShardManifest target, string? name)
        {
            byte[] fileKey = SegmentCrypto.UnwrapKey(_keys.KeyWrapKey, target.FileId, target.WrappedKey);
            try
            {
                string? entry = name == null ? target.FileIdText : ExistingEntry(target, fileKey, name);
                if (entry != null)
                {
                    return new PutResult(target, 0, name, entry, target.FileIdText);
                }

                var record = NameRecord.Create(target, fileKey, name!);
                _store.PutManifest(record.IdText, record.Serialize(_keys.ManifestKey));
                _records.Add(record.IdText);
                return new PutResult(target, 0, name, record.IdText, target.FileIdText);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(fileKey);
            }
        }

        /// <summary>The id under which <paramref name="target"/> already has <paramref name="name"/>, or null.</summary>
        private string? ExistingEntry(ShardManifest target, byte[] fileKey, string name)
        {
            if (target.EncryptedPath != null && SegmentCrypto.DecryptPath(fileKey, target.FileId, target.EncryptedPath) == name)
            {
                return target.FileIdText;
            }

            foreach (string id in _records)
            {
                try
                {
                    var r = NameRecord.Parse(_store.TryGetManifest(id) ?? Array.Empty<byte>(), _keys.ManifestKey);
                    if (r.TargetText == target.FileIdText && r.Name(fileKey) == name)
                    {
                        return id;
                    }
                }
                catch (ShardException)
                {
                    // Another user's record, or a damaged one: not a name of this file.
                }
            }

            return null;
        }
    }
}
