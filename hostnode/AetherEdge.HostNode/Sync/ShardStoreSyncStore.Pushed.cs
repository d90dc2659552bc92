using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Sync
{
    public sealed partial class ShardStoreSyncStore
    {
        /// <summary>
        /// Takes over shards a peer pushed (files in the store's temp folder whose SHA-256 the receiver checked
        /// equals each id): fsynced together once (in parallel, like a put's group), then renamed and indexed in one transaction as synced shards
        /// (placement may move them later, unlike shards put here). A file that cannot be kept is deleted.
        /// </summary>
        public AckStatus[] AdoptPushed(IReadOnlyList<(string Id, string Path)> shards)
        {
            // One fsync per shard, all of the group in parallel (counted per file, in thread-seconds); adoption does not repeat it.
            Parallel.ForEach(shards, new ParallelOptions { MaxDegreeOfParallelism = ShardStore.ParallelFsyncs }, s =>
            {
                using var fs = new FileStream(s.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                long started = Diagnostics.StageCounter.Start();
                fs.Flush(true);
                _store.Stages.Fsync.Stop(started, fs.Length);
            });
            var statuses = new AckStatus[shards.Count];
            StoredShard?[] stored;
            try
            {
                lock (_gate)
                {
                    // One index transaction for the whole batch (the store renames and indexes them together).
                    stored = _held.Change(() => _store.AdoptDurableShards(shards), list =>
                    {
                        foreach (var s in list)
                        {
                            if (s != null)
                            {
                                _held.AddShard(s);
                            }
                        }
                    });
                }
            }
            catch (IOException)
            {
                foreach (var s in shards)
                {
                    File.Delete(s.Path);
                }

                Array.Fill(statuses, AckStatus.StoreError);
                return statuses;
            }

            for (int i = 0; i < shards.Count; i++)
            {
                statuses[i] = stored[i] != null ? AckStatus.Ok : AckStatus.NoSpace;
            }

            return statuses;
        }
    }
}
