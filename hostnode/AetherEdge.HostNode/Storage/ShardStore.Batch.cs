namespace AetherEdge.HostNode.Storage
{
    public sealed partial class ShardStore
    {
        /// <summary>fsyncs in flight at once during a commit: small fsyncs are latency-bound and the disk merges concurrent ones.</summary>
        public const int ParallelFsyncs = 16;

        /// <summary>
        /// Takes the writers' lock for many files' shard sets (<see cref="ShardBatch"/>). The quota is
        /// checked now for <paramref name="reserveBytes"/> (all of them), before a byte is written.
        /// </summary>
        public ShardBatch BeginBatch(long reserveBytes)
        {
            var writeLock = LockWriters();
            try
            {
                long available = AvailableBytes;
                if (reserveBytes > available)
                {
                    throw new QuotaExceededException(reserveBytes, available, AllocationBytes);
                }

                return new ShardBatch(this, writeLock, available);
            }
            catch
            {
                writeLock.Dispose();
                throw;
            }
        }

        internal ShardSetWriter NewShardSet(int count, long bytesPerShard, IDisposable? ownedLock, IShardSink?[]? remote = null)
        {
            var temps = new string?[count];
            for (int i = 0; i < count; i++)
            {
                temps[i] = remote?[i] == null ? NewTempPath() : null;
            }

            return new ShardSetWriter(this, temps, bytesPerShard, ownedLock, _stages, remote);
        }

        /// <summary>
        /// Makes sealed shard sets visible: every temp fsynced (in parallel), renamed to its content
        /// path, then all rows and manifests in one transaction; the rows are what make shards exist.
        /// On failure the renamed files without a row are deleted again and nothing is visible.
        /// </summary>
        internal void CommitSets(IReadOnlyList<ShardSetWriter> sets)
        {
            var files = new List<(ShardSetWriter Set, int Index)>();
            long bytes = 0;
            foreach (var set in sets)
            {
                for (int i = 0; i < set.Count; i++)
                {
                    if (set.IsLocal(i))
                    {
                        files.Add((set, i));
                        bytes += set.BytesPerShard;
                    }
                }
            }

            long started = Diagnostics.StageCounter.Start();
            // Many small files: one syncfs before the renames and one after them (so no committed row can name a
            // file a crash loses) instead of an fsync per file.
            bool grouped = files.Count >= FileSystemSync.MinFiles && FileSystemSync.TrySync(files[0].Set.Handle(files[0].Index));
            if (!grouped)
            {
                Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = ParallelFsyncs }, f => f.Set.Flush(f.Index));
            }

            _stages.Fsync.Stop(started, bytes);

            // The manifest names every shard: it is committed only once the streamed ones are held by their holders.
            foreach (var set in sets)
            {
                set.WaitRemote(CancellationToken.None);
            }

            var moved = new List<string>();
            try
            {
                foreach (var set in sets)
                {
                    set.MarkCommitted();
                    for (int i = 0; i < set.Count; i++)
                    {
                        string id = set.Ids[i];
                        if (set.Temps[i] is not { } temp)
                        {
                            continue;
                        }

                        if (File.Exists(PathOf(id)) && HasShard(id))
                        {
                            File.Delete(temp);
                            continue;
                        }

                        MoveIntoPlace(temp, id);
                        moved.Add(id);
                    }
                }

                if (grouped && !FileSystemSync.TrySync(ShardsPath))
                {
                    throw new IOException("could not flush " + ShardsPath + " to disk (syncfs failed); nothing of this group was indexed");
                }

                long now = NowMs();
                started = Diagnostics.StageCounter.Start();
                using (var tx = _db.BeginTransaction())
                {
                    foreach (var set in sets)
                    {
                        for (int i = 0; i < set.Count; i++)
                        {
                            if (set.IsLocal(i))
                            {
                                InsertShard(tx, set.Ids[i], set.BytesPerShard, set.FileId, i, now);
                            }
                        }

                        InsertManifest(tx, set.FileId, set.Manifest, now);
                    }

                    tx.Commit();
                    Changed();
                }

                _stages.Index.Stop(started, files.Count + sets.Count);
                // Manifest files (index-loss recovery): one syncfs for a group, else fsynced one each, in parallel too.
                if (grouped)
                {
                    WriteManifestFiles(sets);
                }
                else
                {
                    Parallel.ForEach(sets, new ParallelOptions { MaxDegreeOfParallelism = ParallelFsyncs }, set => WriteManifestFile(set.FileId, set.Manifest));
                }
            }
            catch
            {
                foreach (string id in moved)
                {
                    if (!HasShard(id))
                    {
                        File.Delete(PathOf(id));
                    }
                }

                foreach (var set in sets)
                {
                    foreach (string? temp in set.Temps)
                    {
                        if (temp != null)
                        {
                            File.Delete(temp);
                        }
                    }
                }

                throw;
            }
        }
    }
}
