using System.Security.Cryptography;
using AetherEdge.Core.Sync;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// Incomplete incoming items as files in one folder, kept across restarts so transfers resume.
    /// Appends are hashed as they arrive (on a worker thread, <see cref="PipelinedHash"/>), so
    /// completion needs no second read; a partial left by an earlier run is hashed once when
    /// reopened. Ids must already be validated (safe file names).
    /// </summary>
    public sealed class PartialFiles
    {
        /// <summary>Read size when hashing a partial left by an earlier run.</summary>
        public const int ReopenReadBytes = 1 << 18;

        /// <summary>FileStream buffer; chunks are larger and bypass it.</summary>
        public const int WriteBufferBytes = 1 << 16;

        private readonly object _gate = new();
        private readonly Dictionary<string, PartialWriter> _open = new(StringComparer.Ordinal);

        public PartialFiles(string directory)
        {
            Directory = System.IO.Directory.CreateDirectory(directory).FullName;
        }

        public string Directory { get; }

        public long Length(string id)
        {
            lock (_gate)
            {
                if (_open.TryGetValue(id, out var w))
                {
                    return w.Stream.Length;
                }
            }

            var f = new FileInfo(Path.Combine(Directory, id));
            return f.Exists ? f.Length : 0;
        }

        public void Discard(string id)
        {
            Close(id)?.Dispose();
            File.Delete(Path.Combine(Directory, id));
        }

        public void Append(string id, long position, byte[] data, int offset, int count)
        {
            var w = Writer(id);
            if (w.Stream.Length != position)
            {
                throw new IOException("partial " + id + " has " + w.Stream.Length + " bytes, chunk starts at " + position);
            }

            long started = Diagnostics.StageCounter.Start();
            w.Stream.Write(data, offset, count);
            SyncStages.Shared.Write.Stop(started, count);
            w.Hash.Append(data, offset, count);
        }

        /// <summary>Verifies length and SHA-256; on success hands the file's path to <paramref name="commit"/> (which moves or copies it).</summary>
        public AckStatus Complete(string id, long totalLength, byte[] hash, Action<string> commit)
        {
            string path = Path.Combine(Directory, id);
            var w = Writer(id);
            long length = w.Stream.Length;
            byte[] actual = w.Hash.Finish();
            Close(id);
            w.Dispose();
            if (length != totalLength || !CryptographicOperations.FixedTimeEquals(actual, hash))
            {
                File.Delete(path);
                return AckStatus.BadHash;
            }

            commit(path);
            return AckStatus.Ok;
        }

        public void CloseAll()
        {
            List<PartialWriter> all;
            lock (_gate)
            {
                all = _open.Values.ToList();
                _open.Clear();
            }

            foreach (var w in all)
            {
                w.Dispose();
            }
        }

        private PartialWriter Writer(string id)
        {
            lock (_gate)
            {
                if (_open.TryGetValue(id, out var existing))
                {
                    return existing;
                }
            }

            var stream = new FileStream(Path.Combine(Directory, id), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, WriteBufferBytes);
            var hash = new PipelinedHash();
            var buffer = new byte[ReopenReadBytes];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.Append(buffer, 0, n);
            }

            var w = new PartialWriter(stream, hash);
            lock (_gate)
            {
                _open[id] = w;
            }

            return w;
        }

        private PartialWriter? Close(string id)
        {
            lock (_gate)
            {
                if (_open.Remove(id, out var w))
                {
                    w.Stream.Flush();
                    return w;
                }
            }

            return null;
        }

        private sealed class PartialWriter : IDisposable
        {
            public PartialWriter(FileStream stream, PipelinedHash hash)
            {
                Stream = stream;
                Hash = hash;
            }

            public FileStream Stream { get; }

            public PipelinedHash Hash { get; }

            public void Dispose()
            {
                Stream.Dispose();
                Hash.Dispose();
            }
        }
    }
}
