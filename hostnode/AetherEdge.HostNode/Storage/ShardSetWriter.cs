using System.Security.Cryptography;

namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// The n shards of one file being written: n temp files, each hashed as it grows. Commit fsyncs
    /// them, moves them to their content paths and indexes them with the manifest in one transaction;
    /// disposing without commit deletes every temp file, so a failed put leaves nothing.
    /// </summary>
    public sealed class ShardSetWriter : IDisposable
    {
        private readonly ShardStore _store;
        private readonly string[] _temps;
        private readonly FileStream[] _files;
        private readonly IncrementalHash[] _hashes;
        private readonly long[] _written;
        private readonly long _expected;
        private readonly IDisposable _writeLock;
        private bool _done;

        internal ShardSetWriter(ShardStore store, string[] temps, long bytesPerShard, IDisposable writeLock)
        {
            _store = store;
            _writeLock = writeLock;
            _temps = temps;
            _expected = bytesPerShard;
            _files = new FileStream[temps.Length];
            _hashes = new IncrementalHash[temps.Length];
            _written = new long[temps.Length];
            try
            {
                for (int i = 0; i < temps.Length; i++)
                {
                    _files[i] = ShardStore.CreateTemp(temps[i]);
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

        /// <summary>Appends bytes to shard <paramref name="index"/>.</summary>
        public void Write(int index, byte[] buffer, int offset, int count)
        {
            if (_written[index] + count > _expected)
            {
                throw new InvalidOperationException("shard " + index + " would exceed the " + _expected + " bytes reserved for it");
            }

            _files[index].Write(buffer, offset, count);
            _hashes[index].AppendData(buffer, offset, count);
            _written[index] += count;
        }

        /// <summary>
        /// Seals the shards and makes them and the manifest built from their ids visible atomically.
        /// Returns the shard ids in index order.
        /// </summary>
        public string[] Commit(string fileId, Func<string[], byte[]> manifestForIds)
        {
            var ids = new string[_temps.Length];
            for (int i = 0; i < _temps.Length; i++)
            {
                if (_written[i] != _expected)
                {
                    throw new InvalidOperationException("shard " + i + " has " + _written[i] + " bytes, expected " + _expected);
                }

                _files[i].Flush(true);
                _files[i].Dispose();
                ids[i] = ShardId.FromHash(_hashes[i].GetHashAndReset());
            }

            _store.CommitSet(_temps, ids, _expected, fileId, manifestForIds(ids));
            _done = true;
            return ids;
        }

        public void Dispose()
        {
            for (int i = 0; i < _temps.Length; i++)
            {
                _files[i]?.Dispose();
                _hashes[i]?.Dispose();
                if (!_done)
                {
                    File.Delete(_temps[i]);
                }
            }

            _writeLock.Dispose();
        }
    }
}
