using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Push
{
    /// <summary>How long a holder waits for the manifest of shards a peer pushed before it removes them as orphans.</summary>
    public sealed class PushOrphanOptions
    {
        /// <summary>The default grace: far longer than a put's commit and push round, short enough not to hoard space.</summary>
        public const int DefaultGraceSeconds = 600;

        public PushOrphanOptions(TimeSpan grace, TimeSpan? originGone = null)
        {
            Grace = grace > TimeSpan.Zero ? grace : throw new ArgumentOutOfRangeException(nameof(grace));
            OriginGone = originGone ?? TimeSpan.FromDays(7);
        }

        /// <summary>
        /// Shards of a file whose manifest is not here this long after the push link that brought them closed, and that
        /// no manifest here names, are removed once a sync session with their origin that began at least this long after
        /// that close has completed (the origin commits before it closes the link, and a session delivers every manifest
        /// the origin held when it began: then the put never committed).
        /// </summary>
        public TimeSpan Grace { get; }

        /// <summary>An origin not heard from (no completed session) for this long after a push is taken as gone for good.</summary>
        public TimeSpan OriginGone { get; }
    }

    /// <summary>What one <see cref="PushedLedger.Sweep"/> did.</summary>
    public readonly record struct OrphanSweep(int FilesCommitted, int FilesAbandoned, int ShardsRemoved, long BytesRemoved);

    /// <summary>
    /// The holder's record of shards peers pushed here, per file: <c>HOME/pushed/FILEID</c>, a first line
    /// <c>origin DEVICEID</c>, then one shard id per line, appended before the shards are acknowledged; its time is
    /// set again when the link closes (<see cref="Release"/>), and a file whose link is open is never swept. A put whose
    /// origin died before committing the manifest leaves its acknowledged shards here unreferenced; <see cref="Sweep"/>
    /// removes them after the grace (<see cref="PushOrphanOptions"/>) and forgets files whose manifest arrived.
    /// The record is not fsynced: after a power cut a lost line can only leave an orphan, never remove a needed shard.
    /// </summary>
    public sealed class PushedLedger
    {
        public const string Folder = "pushed";

        private const string OriginPrefix = "origin ";

        private readonly ShardStore _store;
        private readonly ShardStoreSyncStore _sync;
        private readonly IShardFormat _format;
        private readonly PushOrphanOptions _options;
        private readonly TimeProvider _clock;
        private readonly object _gate = new();
        private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

        public PushedLedger(ShardStore store, ShardStoreSyncStore sync, IShardFormat format, PushOrphanOptions options, TimeProvider clock)
        {
            _clock = clock;
            _store = store;
            _sync = sync;
            _format = format;
            _options = options;
            Directory.CreateDirectory(Path);
        }

        public string Path => System.IO.Path.Combine(_store.Home, Folder);

        /// <summary>
        /// Notes that <paramref name="origin"/> pushed these shards of <paramref name="fileId"/> (before they are adopted);
        /// <paramref name="firstOnLink"/>: the first time on this link, which holds the file until <see cref="Release"/>.
        /// </summary>
        public void Record(string fileId, DeviceId origin, IEnumerable<string> shardIds, bool firstOnLink)
        {
            if (!ShardStore.IsFileId(fileId))
            {
                throw new ArgumentException("not a file id: " + fileId, nameof(fileId));
            }

            lock (_gate)
            {
                string file = System.IO.Path.Combine(Path, fileId);
                bool fresh = !File.Exists(file);
                using var w = new StreamWriter(file, append: true);
                if (fresh)
                {
                    w.WriteLine(OriginPrefix + origin);
                }

                foreach (string id in shardIds)
                {
                    w.WriteLine(id);
                }

                if (firstOnLink)
                {
                    _open[fileId] = _open.GetValueOrDefault(fileId) + 1;
                }
            }
        }

        /// <summary>The link that pushed shards of these files closed: their grace starts now.</summary>
        public void Release(IEnumerable<string> fileIds)
        {
            lock (_gate)
            {
                foreach (string fileId in fileIds)
                {
                    if (_open.TryGetValue(fileId, out int n))
                    {
                        if (n <= 1)
                        {
                            _open.Remove(fileId);
                        }
                        else
                        {
                            _open[fileId] = n - 1;
                        }
                    }

                    string file = System.IO.Path.Combine(Path, fileId);
                    if (File.Exists(file))
                    {
                        File.SetLastWriteTimeUtc(file, _clock.GetUtcNow().UtcDateTime);
                    }
                }
            }
        }

        /// <summary>Files with pushed shards awaiting their manifest.</summary>
        public int Pending => Directory.EnumerateFiles(Path).Count();

        /// <summary>
        /// One pass: files whose manifest is here are forgotten; files past the grace whose origin has since completed a
        /// session begun after the grace (<paramref name="lastSessionUtc"/>: when it began; null: none since this hub started), or was not heard from for
        /// <see cref="PushOrphanOptions.OriginGone"/>, or that were removed (a tombstone), lose the shards no manifest
        /// here names and no other pending file lists.
        /// </summary>
        public OrphanSweep Sweep(DateTimeOffset now, Func<DeviceId, DateTimeOffset?> lastSessionUtc)
        {
            lock (_gate)
            {
                var pending = new List<(string FileId, string Path, DeviceId? Origin, List<string> Shards, DateTimeOffset At)>();
                foreach (string file in Directory.EnumerateFiles(Path))
                {
                    string name = System.IO.Path.GetFileName(file);
                    if (!ShardStore.IsFileId(name))
                    {
                        File.Delete(file);
                        continue;
                    }

                    var (origin, shards) = Read(file);
                    pending.Add((name, file, origin, shards, new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero)));
                }

                int committed = 0;
                var abandoned = new List<int>();
                for (int i = 0; i < pending.Count; i++)
                {
                    var p = pending[i];
                    if (_store.TryGetManifest(p.FileId) != null)
                    {
                        File.Delete(p.Path);
                        committed++;
                        continue;
                    }

                    if (_open.ContainsKey(p.FileId))
                    {
                        continue;
                    }

                    DateTimeOffset? heard = p.Origin is { } o ? lastSessionUtc(o) : null;
                    bool expired = now - p.At >= _options.Grace &&
                        ((heard is { } h && h - p.At >= _options.Grace) || now - p.At >= _options.OriginGone);
                    if (expired || _store.IsRemoved(p.FileId))
                    {
                        abandoned.Add(i);
                    }
                }

                if (abandoned.Count == 0)
                {
                    return new OrphanSweep(committed, 0, 0, 0);
                }

                // Kept: whatever a manifest here names (the same content put again) or a file still pending lists.
                var keep = new HashSet<string>(StringComparer.Ordinal);
                foreach (string fileId in _store.ListManifests())
                {
                    if (_store.TryGetManifest(fileId) is { } body && _format.ShardIdsOf(body) is { } ids)
                    {
                        keep.UnionWith(ids);
                    }
                }

                for (int i = 0; i < pending.Count; i++)
                {
                    if (!abandoned.Contains(i) && File.Exists(pending[i].Path))
                    {
                        keep.UnionWith(pending[i].Shards);
                    }
                }

                int removed = 0;
                long bytes = 0;
                foreach (int i in abandoned)
                {
                    foreach (string id in pending[i].Shards)
                    {
                        if (!keep.Contains(id) && _store.Find(id) is { FileId: null } row && _sync.DeleteShard(id))
                        {
                            removed++;
                            bytes += row.Size;
                        }
                    }

                    File.Delete(pending[i].Path);
                }

                return new OrphanSweep(committed, abandoned.Count, removed, bytes);
            }
        }

        private static (DeviceId? Origin, List<string> Shards) Read(string file)
        {
            DeviceId? origin = null;
            var shards = new List<string>();
            foreach (string line in File.ReadLines(file))
            {
                if (line.StartsWith(OriginPrefix, StringComparison.Ordinal))
                {
                    origin = DeviceId.TryParse(line.Substring(OriginPrefix.Length), out var id, out _) ? id : null;
                }
                else if (ShardId.IsValid(line))
                {
                    shards.Add(line);
                }
            }

            return (origin, shards);
        }
    }
}
