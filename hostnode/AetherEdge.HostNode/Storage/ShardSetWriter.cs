using System.Security.Cryptography;

namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// The n shards of one file being written: n temp files, each hashed as it grows. Writes to
    /// different shard indexes may come from different threads at once (each index has its own file
    /// and hash). <see cref="Seal"/> finishes the hashes and builds the manifest; the store then fsyncs,
    /// renames and indexes sealed sets, alone (<see cref="Commit"/>) or many in one transaction
    /// (<see cref="ShardBatch.Commit"/>). Disposing an uncommitted set deletes every temp file, so a
    /// failed put leaves nothing. Shards given an <see cref="IShardSink"/> are streamed to their holder
    /// instead of a temp file (still hashed here); the commit waits for their acknowledgements first.
    /// </summary>
    public sealed class ShardSetWriter : IDisposable
    {
        private readonly ShardStore _store;
        private readonly string?[] _temps;
        private readonly FileStream?[] _files;
        private readonly IncrementalHash[] _hashes;
        private readonly IShardSink?[] _remote;
        private readonly long[] _written;
        private readonly long _expected;
        private readonly IDisposable? _ownedLock;
        private readonly StoreStages _stages;
        private string[]? _ids;
        private bool _done;

        internal ShardSetWriter(ShardStore store, string?[] temps, long bytesPerShard, IDisposable? ownedLock, StoreStages stages, IShardSink?[]? remote = null)
        {
            _remote = remote ?? new IShardSink?[temps.Length];
            _store = store;
            _ownedLock = ownedLock;
            _stages = stages;
            _temps = temps;
            _expected = bytesPerShard;
            _files = new FileStream[temps.Length];
            _hashes = new IncrementalHash[temps.Length];
            _written = new long[temps.Length];
            try
            {
                for (int i = 0; i < temps.Length; i++)
                {
                    if (temps[i] != null)
                    {
                        _files[i] = ShardStore.CreateTemp(temps[i]!);
                    }

                    _hashes[i] = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public int Count => _temps.Length;

        public long BytesPerShard => _expected;

        /// <summary>The file id given to <see cref="Seal"/>.</summary>
        public string FileId { get; private set; } = string.Empty;

        /// <summary>Shard ids in index order, once sealed.</summary>
        public IReadOnlyList<string> Ids => _ids ?? throw new InvalidOperationException("shard set is not sealed");

        /// <summary>Temp paths by index; null for shards streamed to their holder.</summary>
        internal string?[] Temps => _temps;

        /// <summary>True when shard <paramref name="index"/> is stored here (not streamed to a sink).</summary>
        public bool IsLocal(int index) => _remote[index] == null;

        /// <summary>Shards of this set stored here.</summary>
        public int LocalCount => _remote.Count(r => r == null);

        internal byte[] Manifest { get; private set; } = Array.Empty<byte>();

        /// <summary>Appends bytes to shard <paramref name="index"/> (one thread per index at a time).</summary>
        public void Write(int index, byte[] buffer, int offset, int count)
        {
            if (_written[index] + count > _expected)
            {
                throw new InvalidOperationException("shard " + index + " would exceed the " + _expected + " bytes reserved for it");
            }

            long started = Diagnostics.StageCounter.Start();
            if (_remote[index] is { } sink)
            {
                sink.Write(buffer, offset, count);
            }
            else
            {
                _files[index]!.Write(buffer, offset, count);
                _stages.Write.Stop(started, count);
            }

            started = Diagnostics.StageCounter.Start();
            _hashes[index].AppendData(buffer, offset, count);
            _stages.Hash.Stop(started, count);
            _written[index] += count;
        }

        /// <summary>
        /// Finishes the hashes and builds the manifest from the ids; nothing is visible yet. The temp
        /// files stay open until the commit fsyncs them.
        /// </summary>
        public string[] Seal(string fileId, Func<string[], byte[]> manifestForIds)
        {
            if (_ids != null)
            {
                throw new InvalidOperationException("shard set is already sealed");
            }

            var ids = new string[_temps.Length];
            for (int i = 0; i < _temps.Length; i++)
            {
                if (_written[i] != _expected)
                {
                    throw new InvalidOperationException("shard " + i + " has " + _written[i] + " bytes, expected " + _expected);
                }

                ids[i] = ShardId.FromHash(_hashes[i].GetHashAndReset());
            }

            for (int i = 0; i < ids.Length; i++)
            {
                _remote[i]?.Finish(ids[i]);
            }

            FileId = fileId;
            Manifest = manifestForIds(ids);
            _ids = ids;
            return ids;
        }

        /// <summary>
        /// Seals the shards and makes them and the manifest built from their ids visible atomically.
        /// Returns the shard ids in index order.
        /// </summary>
        public string[] Commit(string fileId, Func<string[], byte[]> manifestForIds)
        {
            string[] ids = Seal(fileId, manifestForIds);
            _store.CommitSets(new[] { this });
            return ids;
        }

        /// <summary>The open temp file of shard <paramref name="index"/> (a syncfs needs a handle on the file system).</summary>
        internal Microsoft.Win32.SafeHandles.SafeFileHandle Handle(int index) => _files[index]!.SafeFileHandle;

        /// <summary>fsync of shard <paramref name="index"/> (the commit runs these in parallel).</summary>
        internal void Flush(int index) => _files[index]!.Flush(true);

        /// <summary>Waits until every streamed shard is acknowledged by its holder (throws when one never will be).</summary>
        internal void WaitRemote(CancellationToken cancellation)
        {
            foreach (var sink in _remote)
            {
                sink?.WaitDurable(cancellation);
            }
        }

        internal void MarkCommitted()
        {
            _done = true;
            foreach (var f in _files)
            {
                f?.Dispose();
            }
        }

        public void Dispose()
        {
            for (int i = 0; i < _temps.Length; i++)
            {
                _files[i]?.Dispose();
                _hashes[i]?.Dispose();
                if (!_done && _temps[i] != null)
                {
                    File.Delete(_temps[i]!);
                }
            }

            _ownedLock?.Dispose();
        }
    }
}
