using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>Tombstones for sync (protocol 2's Removed frames): listed for peers, applied from peers.</summary>
    public sealed partial class ShardStoreSyncStore
    {
        public RemovalEntry[] ListRemovals()
        {
            lock (_gate)
            {
                return _store.ListTombstones().Select(t => new RemovalEntry(t.FileId, Math.Max(0, t.RemovedAtMs))).ToArray();
            }
        }

        /// <summary>
        /// A trusted peer's tombstone: removes the file here as <c>aether rm</c> does (manifest, the shards only it
        /// uses, tombstone kept; the held index reloads on the store's change counter). Ids that are not file ids
        /// are ignored; a file already removed costs one lookup.
        /// </summary>
        public void ApplyRemoval(string id, long removedAtMilliseconds)
        {
            if (!ShardManifest.IsFileId(id))
            {
                return;
            }

            lock (_gate)
            {
                if (_store.RemovedAt(id) == null)
                {
                    _store.Remove(id, removedAtMilliseconds, new ShardFormat());
                }
            }
        }
    }
}
