using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// SHA-256 of appended bytes, computed on a worker thread: the connection's reader then only
    /// decrypts, copies and writes while earlier chunks are hashed (hashing was a third of the
    /// receiver's time, all of it on the reader's path). Appends are copied into pooled buffers; when
    /// <see cref="MaxQueuedBuffers"/> wait, Append blocks until the worker catches up. The worker
    /// exits after <see cref="IdleMilliseconds"/> without input and restarts on the next Append, so an
    /// interrupted transfer leaves no thread behind. The first <see cref="InlineBytes"/> are hashed
    /// on the caller's thread: for small items a thread and the copies cost more than they save.
    /// One producer at a time (callers serialise).
    /// </summary>
    public sealed class PipelinedHash : IDisposable
    {
        /// <summary>Copies waiting for the worker before Append blocks (bounds memory at this × chunk size).</summary>
        public const int MaxQueuedBuffers = 8;

        /// <summary>Bytes hashed inline before the worker takes over (items up to this size never start one).</summary>
        public const int InlineBytes = 4 << 20;

        /// <summary>How long an idle worker waits for input before it exits.</summary>
        public const int IdleMilliseconds = 200;

        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly BlockingCollection<Segment> _queue = new(MaxQueuedBuffers);
        private readonly object _gate = new();
        private Thread? _worker;
        private bool _running;
        private Exception? _failure;
        private bool _finished;
        private bool _offloaded;

        /// <summary>Bytes appended so far.</summary>
        public long Length { get; private set; }

        /// <summary>Queues a copy of the bytes for hashing (blocks while the queue is full).</summary>
        public void Append(byte[] data, int offset, int count)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            if (count == 0)
            {
                return;
            }

            // Until the first hand-over only this thread touches _hash; starting the worker orders it.
            if (!_offloaded && Length + count <= InlineBytes)
            {
                long started = Diagnostics.StageCounter.Start();
                _hash.AppendData(data, offset, count);
                SyncStages.Shared.Hash.Stop(started, count);
                Length += count;
                return;
            }

            _offloaded = true;
            byte[] copy = ArrayPool<byte>.Shared.Rent(count);
            Buffer.BlockCopy(data, offset, copy, 0, count);
            _queue.Add(new Segment(copy, count));
            Length += count;
            lock (_gate)
            {
                if (!_running)
                {
                    _running = true;
                    _worker = new Thread(Run) { IsBackground = true, Name = "sync-hash" };
                    _worker.Start();
                }
            }
        }

        /// <summary>Waits for every queued byte to be hashed and returns the SHA-256; the instance is then spent.</summary>
        public byte[] Finish()
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            Drain();
            if (_failure != null)
            {
                throw new IOException("hashing failed: " + _failure.Message, _failure);
            }

            return _hash.GetHashAndReset();
        }

        public void Dispose()
        {
            if (!_finished)
            {
                Drain();
            }

            _hash.Dispose();
            _queue.Dispose();
        }

        private void Drain()
        {
            _finished = true;
            _queue.CompleteAdding();
            Thread? worker;
            lock (_gate)
            {
                worker = _running ? _worker : null;
            }

            worker?.Join();
        }

        private void Run()
        {
            while (true)
            {
                if (!_queue.TryTake(out Segment segment, IdleMilliseconds))
                {
                    lock (_gate)
                    {
                        if (_queue.Count == 0)
                        {
                            _running = false;
                            return;
                        }
                    }

                    continue;
                }

                try
                {
                    if (_failure == null)
                    {
                        long started = Diagnostics.StageCounter.Start();
                        _hash.AppendData(segment.Buffer, 0, segment.Count);
                        SyncStages.Shared.Hash.Stop(started, segment.Count);
                    }
                }
                catch (CryptographicException e)
                {
                    _failure = e;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(segment.Buffer);
                }
            }
        }

        private readonly record struct Segment(byte[] Buffer, int Count);
    }
}
