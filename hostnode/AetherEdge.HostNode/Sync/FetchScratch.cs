using System.Diagnostics;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// Where <c>aether get</c> puts shards it fetches only to read a file: a store of its own under
    /// HOME/fetch-scratch, deleted afterwards. They never enter the home's store, so a hub running on the
    /// home never advertises them: peers that saw this device "hold" a shard for the seconds a get lasts
    /// dropped their own planned copy of it, and the get then deleted its copy (a shard lost from the plan;
    /// seen as the three-hub netns test's node 1 losing shards it was planned to keep).
    /// </summary>
    public sealed class FetchScratch : IDisposable
    {
        public const string Folder = "fetch-scratch";

        // A get killed halfway leaves its scratch; a later get deletes it once its process is gone.
        private static readonly TimeSpan s_staleAfter = TimeSpan.FromDays(1);

        private FetchScratch(string path, ShardStore store)
        {
            Path = path;
            Store = store;
        }

        public string Path { get; }

        /// <summary>The fetched manifest and shards (the home's own are read from the home's store).</summary>
        public ShardStore Store { get; }

        /// <summary>Opens an empty scratch store beside <paramref name="main"/>, holding its manifest of <paramref name="fileId"/> if any.</summary>
        public static FetchScratch Create(string home, ShardStore main, string fileId)
        {
            string root = System.IO.Path.Combine(home, Folder);
            DeleteAbandoned(root);
            string path = System.IO.Path.Combine(root, Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(path);

            // Bounded by the disk, not the allocation: it is gone when the read ends.
            var store = ShardStore.Open(path, new DriveInfo(path).AvailableFreeSpace, reconcile: ShardStore.OpenReconcile.None);
            if (main.TryGetManifest(fileId) is { } body)
            {
                store.PutManifest(fileId, body);
            }

            return new FetchScratch(path, store);
        }

        public void Dispose()
        {
            Store.Dispose();
            try
            {
                Directory.Delete(Path, true);
            }
            catch (IOException)
            {
                // Left for the next get's DeleteAbandoned.
            }
        }

        private static void DeleteAbandoned(string root)
        {
            if (!Directory.Exists(root))
            {
                return;
            }

            foreach (string dir in Directory.EnumerateDirectories(root))
            {
                string name = System.IO.Path.GetFileName(dir);
                int dot = name.IndexOf('.', StringComparison.Ordinal);
                bool owned = dot > 0 && int.TryParse(name.AsSpan(0, dot), out int pid) && IsRunning(pid);
                if (!owned || Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow - s_staleAfter)
                {
                    try
                    {
                        Directory.Delete(dir, true);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
