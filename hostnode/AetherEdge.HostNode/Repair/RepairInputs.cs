using System.Collections.Concurrent;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Repair
{
    /// <summary>
    /// The shards a repair still needs as inputs, and the folder (<c>HOME/repair-inputs/</c>) they are
    /// staged in once received: outside the store, so an input never appears in this node's inventory
    /// and cannot change anybody's plan. The repair pass says what it wants; the hub's pull policy asks
    /// it what to pull besides the plan; the sync store diverts received inputs into it.
    /// </summary>
    public sealed class RepairInputs : IShardDiversion
    {
        public const string Folder = "repair-inputs";

        private readonly ConcurrentDictionary<string, string> _wanted = new(StringComparer.Ordinal);

        // Staged inputs in memory: a repair pass asks about every shard of every file, and a file-exists
        // call each made an idle pass cost a system call per shard held in the kit.
        private readonly ConcurrentDictionary<string, bool> _staged = new(StringComparer.Ordinal);
        private readonly object _gate = new();

        public RepairInputs(string directory)
        {
            Directory = directory;

            // Inputs of an earlier run are not trusted to be complete: start clean.
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, true);
            }

            System.IO.Directory.CreateDirectory(Directory);
        }

        /// <summary>The staging folder (also where rebuilt shards are written before the store takes them).</summary>
        public string Directory { get; }

        /// <summary>The staging folder of <paramref name="home"/>.</summary>
        public static RepairInputs Of(string home) => new(Path.Combine(home, Folder));

        /// <summary>True for an input the next session should pull (wanted and not here yet).</summary>
        public bool Wants(string shardId) => _wanted.ContainsKey(shardId) && !IsStaged(shardId);

        /// <summary>Takes a received input (the file at <paramref name="path"/>); false when it is not one.</summary>
        public bool TryTake(string shardId, string path)
        {
            if (!_wanted.ContainsKey(shardId))
            {
                return false;
            }

            lock (_gate)
            {
                File.Move(path, PathOf(shardId), true);
                _staged[shardId] = true;
            }

            return true;
        }

        public bool IsStaged(string shardId) => _staged.ContainsKey(shardId);

        /// <summary>Nothing asked for and nothing staged: a repair pass over unchanged knowledge would find the same.</summary>
        public bool Idle => _wanted.IsEmpty && _staged.IsEmpty;

        /// <summary>A staged input, or null when it is not here.</summary>
        public Stream? OpenStaged(string shardId) => IsStaged(shardId) ? File.OpenRead(PathOf(shardId)) : null;

        /// <summary>Files (manifest ids) with inputs asked for.</summary>
        public HashSet<string> Gathering() => _wanted.Values.ToHashSet(StringComparer.Ordinal);

        /// <summary>Ids of the inputs asked for and not received yet (a session offers to pull them whatever else changed).</summary>
        public string[] PendingIds() => _wanted.Keys.Where(id => !IsStaged(id)).ToArray();

        /// <summary>Inputs asked for and not received yet.</summary>
        public int Missing => _wanted.Keys.Count(id => !IsStaged(id));

        /// <summary>
        /// Makes <paramref name="wanted"/> (shard id → manifest id) the inputs asked for and deletes staged
        /// inputs nobody needs any more (used, or the lost shard turned up on a peer).
        /// </summary>
        public void Replace(IReadOnlyDictionary<string, string> wanted)
        {
            lock (_gate)
            {
                foreach (string id in _wanted.Keys)
                {
                    if (!wanted.ContainsKey(id))
                    {
                        _wanted.TryRemove(id, out _);
                    }
                }

                foreach (var kv in wanted)
                {
                    _wanted[kv.Key] = kv.Value;
                }

                foreach (string path in System.IO.Directory.EnumerateFiles(Directory))
                {
                    string id = Path.GetFileName(path);
                    if (!_wanted.ContainsKey(id))
                    {
                        File.Delete(path);
                        _staged.TryRemove(id, out _);
                    }
                }
            }
        }

        private string PathOf(string shardId) => Path.Combine(Directory, ShardId.IsValid(shardId) ? shardId : "invalid");
    }
}
