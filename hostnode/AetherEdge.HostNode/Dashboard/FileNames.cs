using System.Collections.Concurrent;
using System.Security.Cryptography;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>
    /// A file's name for the page: the path a folder put sealed into its manifest, opened with the home's user
    /// key (every paired device of the user holds it); otherwise "file" and the start of its ID. The key and
    /// the file keys stay in this class and are never shown. Names are cached by file ID (a manifest never
    /// changes), so a poll decrypts only files it has not seen.
    /// </summary>
    public sealed class FileNames
    {
        private const int ShortIdChars = 12;

        private readonly string _home;
        private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);
        private readonly object _gate = new();
        private UserKeys? _keys;
        private bool _keyRead;

        public FileNames(DashboardOptions options)
        {
            _home = options.Home;
        }

        /// <summary>The name of file <paramref name="fileId"/>; its manifest is read (by <paramref name="manifest"/>) only the first time.</summary>
        public string NameOf(string fileId, Func<byte[]?> manifest)
        {
            if (_names.TryGetValue(fileId, out string? known))
            {
                return known;
            }

            byte[]? body = manifest();
            string name = (body == null ? null : TryOpen(body)) ?? "file " + fileId.Substring(0, Math.Min(ShortIdChars, fileId.Length));
            _names.TryAdd(fileId, name);
            return name;
        }

        /// <summary>Forgets names of files no longer held (the cache never outgrows the store).</summary>
        public void Keep(ICollection<string> fileIds)
        {
            foreach (string id in _names.Keys)
            {
                if (!fileIds.Contains(id))
                {
                    _names.TryRemove(id, out _);
                }
            }
        }

        private string? TryOpen(byte[] body)
        {
            var keys = Keys();
            if (keys == null)
            {
                return null;
            }

            try
            {
                return SegmentCrypto.OpenPath(ShardManifest.Parse(body, keys.ManifestKey), keys.KeyWrapKey);
            }
            catch (Exception e) when (e is ShardException or CryptographicException or ArgumentException)
            {
                // Another user's file, or a manifest that does not authenticate: shown by its ID.
                return null;
            }
        }

        private UserKeys? Keys()
        {
            lock (_gate)
            {
                if (!_keyRead)
                {
                    _keyRead = true;
                    try
                    {
                        var secret = NodeHome.Open(_home).ReadUserKey();
                        _keys = new UserKeys(secret);
                        CryptographicOperations.ZeroMemory(secret);
                    }
                    catch (Exception e) when (e is HomeException or IOException or UnauthorizedAccessException)
                    {
                        _keys = null;
                    }
                }

                return _keys;
            }
        }
    }
}
