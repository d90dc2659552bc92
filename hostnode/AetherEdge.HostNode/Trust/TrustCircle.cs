using System.Text.Json;
using System.Text.Json.Serialization;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Trust
{
    /// <summary>One trusted device.</summary>
    public sealed class TrustMember
    {
        public TrustMember(DeviceId id, string name, DateTimeOffset added)
        {
            Id = id;
            Name = name;
            Added = added;
        }

        public DeviceId Id { get; }

        public string Name { get; }

        public DateTimeOffset Added { get; }
    }

    /// <summary>
    /// The devices this home trusts, persisted in <c>HOME/trust.json</c> (written atomically, 0600).
    /// Reads re-check the file's timestamp, so a running hub sees `aether trust`/`aether pair` edits.
    /// </summary>
    public sealed class TrustCircle
    {
        public const string FileName = "trust.json";
        public const int MaxNameLength = 64;
        public const int FormatVersion = 1;

        private readonly object _gate = new();
        private readonly string _path;
        private List<TrustMember> _members = new();
        private DateTime _loadedStamp = DateTime.MinValue;

        public TrustCircle(string home)
        {
            _path = Path.Combine(home, FileName);
        }

        public string FilePath => _path;

        public IReadOnlyList<TrustMember> Members
        {
            get
            {
                lock (_gate)
                {
                    Refresh();
                    return _members.ToArray();
                }
            }
        }

        public bool Contains(DeviceId id)
        {
            lock (_gate)
            {
                Refresh();
                return _members.Any(m => m.Id == id);
            }
        }

        public string? NameOf(DeviceId id)
        {
            lock (_gate)
            {
                Refresh();
                return _members.FirstOrDefault(m => m.Id == id)?.Name;
            }
        }

        /// <summary>Adds or renames a member. Returns false when it was already present with that name.</summary>
        public bool Add(DeviceId id, string? name, DateTimeOffset now)
        {
            string clean = CleanName(name, id);
            lock (_gate)
            {
                Refresh();
                int i = _members.FindIndex(m => m.Id == id);
                if (i >= 0 && _members[i].Name == clean)
                {
                    return false;
                }

                var member = new TrustMember(id, clean, i >= 0 ? _members[i].Added : now);
                if (i >= 0)
                {
                    _members[i] = member;
                }
                else
                {
                    _members.Add(member);
                }

                Save();
                return true;
            }
        }

        public bool Remove(DeviceId id)
        {
            lock (_gate)
            {
                Refresh();
                if (_members.RemoveAll(m => m.Id == id) == 0)
                {
                    return false;
                }

                Save();
                return true;
            }
        }

        private static string CleanName(string? name, DeviceId id)
        {
            string n = (name ?? string.Empty).Trim();
            if (n.Length == 0)
            {
                return id.Short;
            }

            n = new string(n.Where(c => !char.IsControl(c)).ToArray());
            return n.Length > MaxNameLength ? n.Substring(0, MaxNameLength) : n;
        }

        private void Refresh()
        {
            if (!File.Exists(_path))
            {
                _members = new List<TrustMember>();
                _loadedStamp = DateTime.MinValue;
                return;
            }

            DateTime stamp = File.GetLastWriteTimeUtc(_path);
            if (stamp == _loadedStamp)
            {
                return;
            }

            TrustFile? file;
            try
            {
                file = JsonSerializer.Deserialize(File.ReadAllText(_path), TrustJsonContext.Default.TrustFile);
            }
            catch (JsonException e)
            {
                throw new IOException(_path + " is not valid trust JSON (" + e.Message + "); fix or remove it");
            }

            var members = new List<TrustMember>();
            foreach (var m in file?.Members ?? new List<TrustEntry>())
            {
                if (!DeviceId.TryParse(m.Id, out var id, out string error))
                {
                    throw new IOException(_path + ": " + error + " ('" + m.Id + "')");
                }

                members.Add(new TrustMember(id, CleanName(m.Name, id), m.Added));
            }

            _members = members;
            _loadedStamp = stamp;
        }

        private void Save()
        {
            var file = new TrustFile
            {
                Version = FormatVersion,
                Members = _members.Select(m => new TrustEntry { Id = m.Id.Text, Name = m.Name, Added = m.Added }).ToList(),
            };
            string json = JsonSerializer.Serialize(file, TrustJsonContext.Default.TrustFile);
            string tmp = _path + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            HomeDirectory.Ensure(Path.GetDirectoryName(_path)!);
            using (var fs = new FileStream(tmp, options))
            using (var w = new StreamWriter(fs))
            {
                w.Write(json);
            }

            File.Move(tmp, _path, true);
            _loadedStamp = File.GetLastWriteTimeUtc(_path);
        }
    }

    internal sealed class TrustFile
    {
        [JsonPropertyName("version")]
        public int Version { get; set; }

        [JsonPropertyName("members")]
        public List<TrustEntry> Members { get; set; } = new();
    }

    internal sealed class TrustEntry
    {
        [JsonPropertyName("id")]
        public string Id { get; set; } = string.Empty;

        [JsonPropertyName("name")]
        public string Name { get; set; } = string.Empty;

        [JsonPropertyName("added")]
        public DateTimeOffset Added { get; set; }
    }

    [JsonSourceGenerationOptions(WriteIndented = true)]
    [JsonSerializable(typeof(TrustFile))]
    internal sealed partial class TrustJsonContext : JsonSerializerContext
    {
    }
}
