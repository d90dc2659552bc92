using System.Security.Cryptography;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Files
{
    /// <summary>One file of this user as the manifests held here describe it.</summary>
    public sealed class FileEntry
    {
        public FileEntry(ShardManifest manifest, string? name, int shardsHere, string? recordId = null)
        {
            Manifest = manifest;
            Name = name;
            ShardsHere = shardsHere;
            _recordId = recordId;
        }

        private readonly string? _recordId;

        public ShardManifest Manifest { get; }

        /// <summary>The id this entry goes by: the file's, or for another name of the same content, its name record's.</summary>
        public string FileId => _recordId ?? Manifest.FileIdText;

        /// <summary>The id of the stored content (its manifest): what get reads and rm removes with every name.</summary>
        public string DataId => Manifest.FileIdText;

        /// <summary>True for a second name of content stored under another entry (a name record).</summary>
        public bool IsExtraName => _recordId != null;

        /// <summary>The name recorded at put (a folder put's relative path), or null for files put before names were recorded.</summary>
        public string? Name { get; }

        public long Bytes => Manifest.OriginalBytes;

        public DateTimeOffset CreatedUtc => Manifest.CreatedUtc;

        /// <summary>Intact-looking shards of this file indexed on this device (not re-hashed here).</summary>
        public int ShardsHere { get; }

        /// <summary>The same entry with <paramref name="shardsHere"/> counted (a listing that counted only the files it shows).</summary>
        public FileEntry WithShardsHere(int shardsHere) => new(Manifest, Name, shardsHere, _recordId);

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

        /// <param name="countShardsHere">
        /// False: <see cref="FileEntry.ShardsHere"/> is -1 and the 1.5 M shard ids of a 100,000-file home are not read
        /// (a page of ls counts its own files' shards).
        /// </param>
        public static FileCatalog Read(ShardStore store, UserKeys keys, bool countShardsHere = true)
        {
            var files = new List<FileEntry>();
            var records = new List<(string Id, byte[] Body)>();
            int others = 0;

            // Two queries in all (not two per file plus one per shard): ls answers within a second on 100,000 files.
            // Binary keys: 1.6 M shard ids at 100,000 files would be ~250 MB as strings.
            HashSet<ShardKey>? held = null;
            if (countShardsHere)
            {
                held = new HashSet<ShardKey>();
                store.ScanShardKeys(key => held.Add(key));
            }

            var manifests = new List<(string Id, byte[] Body)>();
            store.ScanManifestBodies((id, body) => manifests.Add((id, body)));
            manifests.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));

            // Authenticating each manifest and opening its name is most of ls's CPU at many files: on every core,
            // each with one key-wrap cipher (making one per file was a third of it). Results keep the manifests' order.
            var entries = new FileEntry?[manifests.Count];
            Parallel.For(0, manifests.Count, () => new AesGcm(keys.KeyWrapKey, ShardLimits.TagBytes), (i, _, keyWrap) =>
            {
                var (id, body) = manifests[i];
                if (NameRecord.Is(body))
                {
                    return keyWrap;
                }

                try
                {
                    var manifest = ShardManifest.Parse(body, keys.ManifestKey);
                    if (manifest.FileIdText == id)
                    {
                        entries[i] = new FileEntry(manifest, NameOf(manifest, keyWrap), HeldCount(manifest, held));
                    }
                }
                catch (ShardException)
                {
                }

                return keyWrap;
            }, keyWrap => keyWrap.Dispose());
            for (int i = 0; i < manifests.Count; i++)
            {
                if (NameRecord.Is(manifests[i].Body))
                {
                    records.Add(manifests[i]);
                }
                else if (entries[i] is { } entry)
                {
                    files.Add(entry);
                }
                else
                {
                    others++;
                }
            }

            var byData = files.ToDictionary(f => f.DataId, StringComparer.Ordinal);
            foreach (var (id, body) in records)
            {
                var named = NamedBy(id, body, keys, byData);
                if (named == null)
                {
                    // Another user's record, or one whose file is not here (yet): nothing to show.
                    others++;
                    continue;
                }

                files.Add(named);
            }

            files.Sort((a, b) =>
                a.Name == null != (b.Name == null) ? (a.Name == null ? 1 : -1)
                : a.Name != null && string.CompareOrdinal(a.Name, b.Name) != 0 ? string.CompareOrdinal(a.Name, b.Name)
                : string.CompareOrdinal(a.FileId, b.FileId));
            return new FileCatalog(files, others);
        }

        /// <summary>Every entry of the same content as <paramref name="entry"/> (its names), itself included.</summary>
        public IReadOnlyList<FileEntry> NamesOf(FileEntry entry) => Files.Where(f => f.DataId == entry.DataId).ToList();

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

        private static FileEntry? NamedBy(string id, byte[] body, UserKeys keys, Dictionary<string, FileEntry> byData)
        {
            try
            {
                var record = NameRecord.Parse(body, keys.ManifestKey);
                if (record.IdText != id || !byData.TryGetValue(record.TargetText, out var target))
                {
                    return null;
                }

                byte[] fileKey = SegmentCrypto.UnwrapKey(keys.KeyWrapKey, target.Manifest.FileId, target.Manifest.WrappedKey);
                try
                {
                    return new FileEntry(target.Manifest, record.Name(fileKey), target.ShardsHere, id);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(fileKey);
                }
            }
            catch (ShardException)
            {
                return null;
            }
            catch (CryptographicException)
            {
                return null;
            }
        }

        // Shards of the file indexed here; the set is only read (safe from several threads).
        private static int HeldCount(ShardManifest manifest, HashSet<ShardKey>? held)
        {
            if (held == null)
            {
                return -1;
            }

            int here = 0;
            foreach (string shard in manifest.ShardIds)
            {
                if (ShardKey.TryParse(shard, out var key) && held.Contains(key))
                {
                    here++;
                }
            }

            return here;
        }

        private static string? NameOf(ShardManifest manifest, AesGcm keyWrap)
        {
            try
            {
                return SegmentCrypto.OpenPath(manifest, keyWrap);
            }
            catch (CryptographicException)
            {
                return null;
            }
            catch (ShardException)
            {
                return null;
            }
        }
    }
}
