using System.Security.Cryptography;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Files
{
    /// <summary>One file of this user as the manifests held here describe it.</summary>
    public sealed class FileEntry
    {
        public FileEntry(ShardManifest manifest, string? name, int shardsHere)
        {
            Manifest = manifest;
            Name = name;
            ShardsHere = shardsHere;
        }

        public ShardManifest Manifest { get; }

        public string FileId => Manifest.FileIdText;

        /// <summary>The name recorded at put (a folder put's relative path), or null for files put before names were recorded.</summary>
        public string? Name { get; }

        public long Bytes => Manifest.OriginalBytes;

        public DateTimeOffset CreatedUtc => Manifest.CreatedUtc;

        /// <summary>Intact-looking shards of this file indexed on this device (not re-hashed here).</summary>
        public int ShardsHere { get; }

        /// <summary>The name, or the file id where there is none.</summary>
        public string Label => Name ?? FileId;
    }

    /// <summary>What the held manifests say: this user's files (authenticated with the user key) and how many others there are.</summary>
    public sealed class FileCatalog
    {
        /// <summary>Shortest file id prefix accepted in place of the whole id.</summary>
        public const int MinIdPrefix = 8;

        private FileCatalog(IReadOnlyList<FileEntry> files, int othersFiles)
        {
            Files = files;
            OtherUsersFiles = othersFiles;
        }

        /// <summary>This user's files, by name (unnamed ones last, by id).</summary>
        public IReadOnlyList<FileEntry> Files { get; }

        /// <summary>Manifests held here that this user's key does not authenticate (other users' files a hub keeps).</summary>
        public int OtherUsersFiles { get; }

        public static FileCatalog Read(ShardStore store, UserKeys keys)
        {
            var files = new List<FileEntry>();
            int others = 0;
            foreach (string id in store.ListManifests())
            {
                byte[]? body = store.TryGetManifest(id);
                ShardManifest manifest;
                try
                {
                    manifest = ShardManifest.Parse(body ?? Array.Empty<byte>(), keys.ManifestKey);
                }
                catch (ShardException)
                {
                    others++;
                    continue;
                }

                if (manifest.FileIdText != id)
                {
                    others++;
                    continue;
                }

                int here = 0;
                foreach (string shard in manifest.ShardIds)
                {
                    if (store.HasShard(shard))
                    {
                        here++;
                    }
                }

                files.Add(new FileEntry(manifest, NameOf(manifest, keys), here));
            }

            files.Sort((a, b) =>
                a.Name == null != (b.Name == null) ? (a.Name == null ? 1 : -1)
                : a.Name != null && string.CompareOrdinal(a.Name, b.Name) != 0 ? string.CompareOrdinal(a.Name, b.Name)
                : string.CompareOrdinal(a.FileId, b.FileId));
            return new FileCatalog(files, others);
        }

        /// <summary>
        /// The files <paramref name="nameOrId"/> means: the file with that id; else those whose whole
        /// recorded name, or last path part, equals it; else those whose id starts with it (at least
        /// <see cref="MinIdPrefix"/> hex characters). Several = ambiguous; none = unknown.
        /// </summary>
        public IReadOnlyList<FileEntry> Find(string nameOrId)
        {
            var byId = Files.Where(f => f.FileId == nameOrId).ToList();
            if (byId.Count > 0)
            {
                return byId;
            }

            var byName = Files.Where(f => f.Name == nameOrId).ToList();
            if (byName.Count > 0)
            {
                return byName;
            }

            var byLeaf = Files.Where(f => f.Name != null && LastPart(f.Name) == nameOrId).ToList();
            if (byLeaf.Count > 0)
            {
                return byLeaf;
            }

            bool hexPrefix = nameOrId.Length >= MinIdPrefix && nameOrId.All(c => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
            return hexPrefix ? Files.Where(f => f.FileId.StartsWith(nameOrId, StringComparison.Ordinal)).ToList() : new List<FileEntry>();
        }

        public static string LastPart(string name)
        {
            int slash = name.LastIndexOf('/');
            return slash < 0 ? name : name.Substring(slash + 1);
        }

        private static string? NameOf(ShardManifest manifest, UserKeys keys)
        {
            if (manifest.EncryptedPath == null)
            {
                return null;
            }

            byte[] fileKey = SegmentCrypto.UnwrapKey(keys.KeyWrapKey, manifest.FileId, manifest.WrappedKey);
            try
            {
                return SegmentCrypto.DecryptPath(fileKey, manifest.FileId, manifest.EncryptedPath);
            }
            catch (CryptographicException)
            {
                return null;
            }
            catch (ShardException)
            {
                return null;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(fileKey);
            }
        }
    }
}
