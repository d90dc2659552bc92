using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Erasure;
using AetherEdge.HostNode.Storage;
using Microsoft.Win32.SafeHandles;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// The put pipeline across cores. The stripes of all files, in order, flow through a ring of
    /// stripe buffers: coders (read, encrypt, Reed-Solomon) fill them, any number at once since
    /// segments are independent; lanes drain them in stripe order, each lane writing and hashing its
    /// own subset of the shard indexes (a shard's hash needs its pieces in order, different shards do
    /// not); the calling thread seals finished files and commits them in groups (parallel fsync, one
    /// index transaction per group). Memory is the ring: <see cref="Slots"/> stripes.
    /// </summary>
    internal sealed class StripeEngine
    {
        /// <summary>Files sealed before a group is committed (each holds n open temp files until then).</summary>
        public const int GroupFiles = 64;

        /// <summary>Files opened but not yet committed before coders wait (bounds open temp files at this × n).</summary>
        public const int MaxOpenFiles = 2 * GroupFiles;

        /// <summary>Shard bytes that make a group worth committing on their own.</summary>
        public const long GroupBytes = 256L << 20;

        private readonly ShardBatch _batch;
        private readonly UserKeys _keys;
        private readonly PutStages _stages;
        private readonly FileJob[] _jobs;
        private readonly int[] _stripeFile;
        private readonly long[] _stripeSegment;
        private readonly int _k;
        private readonly int _m;
        private readonly int _segmentBytes;
        private readonly Action<long>? _progress;
        private readonly IShardRouting? _routing;
        private readonly CancellationToken _cancellation;
        private readonly Slot[] _slots;
        private readonly int _lanes;
        private readonly int _coders;
        private readonly object _gate = new();
        private readonly Queue<FileJob> _finished = new();
        private long _nextStripe;
        private long _done;
        private int _openFiles;
        private ExceptionDispatchInfo? _failure;

        public StripeEngine(ShardBatch batch, UserKeys keys, PutStages stages, IReadOnlyList<PutSource> files, int k, int m, int segmentBytes, Action<long>? progress, CancellationToken cancellation, IShardRouting? routing = null)
        {
            _routing = routing;
            _batch = batch;
            _keys = keys;
            _stages = stages;
            _k = k;
            _m = m;
            _segmentBytes = segmentBytes;
            _progress = progress;
            _cancellation = cancellation;
            _jobs = new FileJob[files.Count];
            long stripes = 0;
            for (int f = 0; f < files.Count; f++)
            {
                _jobs[f] = new FileJob(f, files[f], new ShardLayout(files[f].Length, segmentBytes, k, k + m));
                stripes += _jobs[f].Layout.SegmentCount;
            }

            _stripeFile = new int[stripes];
            _stripeSegment = new long[stripes];
            long g = 0;
            for (int f = 0; f < _jobs.Length; f++)
            {
                for (long s = 0; s < _jobs[f].Layout.SegmentCount; s++, g++)
                {
                    _stripeFile[g] = f;
                    _stripeSegment[g] = s;
                }
            }

            int cores = Environment.ProcessorCount;
            _coders = Math.Clamp(cores / 2, 1, 4);
            _lanes = Math.Clamp(cores, 2, k + m);
            _slots = new Slot[(2 * _coders) + 2];
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i] = new Slot(i);
            }
        }

        public int Slots => _slots.Length;

        /// <summary>Runs the pipeline; returns one result per file, in input order. Rethrows the first failure.</summary>
        public PutResult[] Run()
        {
            var results = new PutResult[_jobs.Length];
            var threads = new List<Thread>();
            for (int c = 0; c < _coders; c++)
            {
                threads.Add(new Thread(Guarded(CodeStripes)) { IsBackground = true, Name = "put-code-" + c });
            }

            for (int l = 0; l < _lanes; l++)
            {
                int lane = l;
                threads.Add(new Thread(Guarded(() => DrainStripes(lane))) { IsBackground = true, Name = "put-lane-" + l });
            }

            foreach (var t in threads)
            {
                t.Start();
            }

            try
            {
                CommitFinished(results);
            }
            catch (Exception e)
            {
                Fail(e);
            }
            finally
            {
                foreach (var t in threads)
                {
                    t.Join();
                }

                foreach (var job in _jobs)
                {
                    job.Dispose();
                }
            }

            _failure?.Throw();
            return results;
        }

        private ThreadStart Guarded(Action work) => () =>
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                work();
            }
            catch (Exception e)
            {
                Fail(e);
            }
            finally
            {
                _stages.Allocated(GC.GetAllocatedBytesForCurrentThread() - allocated);
            }
        };

        private void Fail(Exception e)
        {
            lock (_gate)
            {
                _failure ??= ExceptionDispatchInfo.Capture(e);
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Coder: claims the next stripe, waits for its slot, reads, encrypts and encodes it.</summary>
        private void CodeStripes()
        {
            var rs = new ReedSolomon(_k, _m, VectorGaloisKernel.Instance);
            while (true)
            {
                long g = Interlocked.Increment(ref _nextStripe) - 1;
                if (g >= _stripeFile.Length)
                {
                    return;
                }

                var slot = _slots[g % _slots.Length];
                lock (_gate)
                {
                    while (slot.FreeFor != g && _failure == null)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_failure != null)
                    {
                        return;
                    }
                }

                _cancellation.ThrowIfCancellationRequested();
                var job = _jobs[_stripeFile[g]];
                long s = _stripeSegment[g];
                if (s == 0)
                {
                    // A file's first stripe opens it: wait while too many files hold temp files uncommitted.
                    lock (_gate)
                    {
                        while (_openFiles >= MaxOpenFiles && _failure == null)
                        {
                            Monitor.Wait(_gate);
                        }

                        if (_failure != null)
                        {
                            return;
                        }

                        _openFiles++;
                    }
                }

                job.Open(_batch, _keys, _routing);
                var layout = job.Layout;
                int plain = layout.PlainBytes(s);
                int piece = layout.PieceBytes(s);
                int n = _k + _m;
                if (slot.Buffer.Length < n * piece)
                {
                    slot.Buffer = new byte[n * layout.MaxPieceBytes];
                }

                byte[] stripe = slot.Buffer;
                long started = Diagnostics.StageCounter.Start();
                int got = 0;
                while (got < plain)
                {
                    int r = RandomAccess.Read(job.Input!, stripe.AsSpan(got, plain - got), job.Source.Offset + (s * _segmentBytes) + got);
                    if (r == 0)
                    {
                        throw new ShardException(job.Source.Path + " shrank while it was read; nothing stored");
                    }

                    got += r;
                }

                _stages.Read.Stop(started, plain);
                job.SegmentRead(s, stripe, plain);
                job.StripeRead();

                started = Diagnostics.StageCounter.Start();
                using (var aes = new AesGcm(job.FileKey, ShardLimits.TagBytes))
                {
                    SegmentCrypto.EncryptSegment(aes, job.FileId, s, s == layout.SegmentCount - 1, stripe, plain);
                }

                _stages.Encrypt.Stop(started, plain);
                int cipher = plain + ShardLimits.TagBytes;
                Array.Clear(stripe, cipher, (_k * piece) - cipher);
                started = Diagnostics.StageCounter.Start();
                rs.Encode(stripe, 0, piece);
                _stages.Encode.Stop(started, (long)n * piece);

                lock (_gate)
                {
                    slot.Piece = piece;
                    slot.Plain = plain;
                    slot.ReadyFor = g;
                    slot.LanesLeft = _lanes;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        /// <summary>Lane: in stripe order, writes and hashes the pieces of the shard indexes i with i mod lanes = lane.</summary>
        private void DrainStripes(int lane)
        {
            int n = _k + _m;
            for (long g = 0; g < _stripeFile.Length; g++)
            {
                var slot = _slots[g % _slots.Length];
                lock (_gate)
                {
                    while (slot.ReadyFor != g && _failure == null)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_failure != null)
                    {
                        return;
                    }
                }

                var job = _jobs[_stripeFile[g]];
                for (int i = lane; i < n; i += _lanes)
                {
                    job.Set!.Write(i, slot.Buffer, i * slot.Piece, slot.Piece);
                }

                lock (_gate)
                {
                    if (--slot.LanesLeft > 0)
                    {
                        continue;
                    }

                    // The last lane through a stripe frees its slot; through a file's last stripe, the whole file is written.
                    slot.ReadyFor = -1;
                    slot.FreeFor = g + _slots.Length;
                    _done += slot.Plain;
                    if (_stripeSegment[g] == job.Layout.SegmentCount - 1)
                    {
                        _finished.Enqueue(job);
                    }

                    Monitor.PulseAll(_gate);
                    _progress?.Invoke(_done);
                }
            }
        }

        /// <summary>
        /// Seals finished files and commits them in groups (<see cref="GroupFiles"/> files or
        /// <see cref="GroupBytes"/>, and the rest at the end) until every file is committed.
        /// </summary>
        private void CommitFinished(PutResult[] results)
        {
            int committed = 0;
            var group = new List<FileJob>();
            var ready = new List<FileJob>();
            long groupBytes = 0;
            while (committed < _jobs.Length)
            {
                lock (_gate)
                {
                    while (_finished.Count == 0 && _failure == null)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_failure != null)
                    {
                        return;
                    }

                    ready.AddRange(_finished);
                    _finished.Clear();
                }

                foreach (var job in ready)
                {
                    job.Seal(_keys, _segmentBytes, _k);
                    group.Add(job);
                    groupBytes += job.Layout.TotalBytes;
                    if (committed + group.Count == _jobs.Length || group.Count >= GroupFiles || groupBytes >= GroupBytes)
                    {
                        committed += group.Count;
                        Commit(group, results);
                        groupBytes = 0;
                    }
                }

                ready.Clear();
            }
        }

        private void Commit(List<FileJob> group, PutResult[] results)
        {
            _batch.Commit(group.ConvertAll(j => j.Set!));
            foreach (var j in group)
            {
                results[j.Index] = j.Result();
                j.Dispose();
            }

            lock (_gate)
            {
                _openFiles -= group.Count;
                Monitor.PulseAll(_gate);
            }

            group.Clear();
        }

        private sealed class Slot
        {
            public Slot(long first)
            {
                FreeFor = first;
            }

            public byte[] Buffer { get; set; } = Array.Empty<byte>();

            /// <summary>The stripe that may fill this slot next.</summary>
            public long FreeFor { get; set; }

            /// <summary>The stripe this slot holds ready for the lanes, or -1.</summary>
            public long ReadyFor { get; set; } = -1;

            public int LanesLeft { get; set; }

            public int Piece { get; set; }

            public int Plain { get; set; }
        }

        /// <summary>One file on its way through: opened by the coder of its first stripe, sealed by the committer.</summary>
        private sealed class FileJob : IDisposable
        {
            private readonly object _open = new();
            private long _unread;
            private byte[]? _wrapped;
            private byte[]? _sealedPath;
            private ShardManifest? _manifest;
            private readonly byte[] _segmentHashes;

            public FileJob(int index, PutSource source, ShardLayout layout)
            {
                Index = index;
                Source = source;
                Layout = layout;
                _unread = layout.SegmentCount;
                _segmentHashes = new byte[layout.SegmentCount * ContentTag.SegmentHashBytes];
            }

            /// <summary>Hashes the plaintext of segment <paramref name="s"/> as read (the content tag covers exactly what was encrypted).</summary>
            public void SegmentRead(long s, byte[] buffer, int length) =>
                SHA256.HashData(buffer.AsSpan(0, length), _segmentHashes.AsSpan((int)(s * ContentTag.SegmentHashBytes), ContentTag.SegmentHashBytes));

            public int Index { get; }

            public PutSource Source { get; }

            public ShardLayout Layout { get; }

            public byte[] FileId { get; } = RandomNumberGenerator.GetBytes(ShardLimits.FileIdBytes);

            public byte[] FileKey { get; } = RandomNumberGenerator.GetBytes(ShardLimits.KeyBytes);

            public SafeFileHandle? Input { get; private set; }

            public ShardSetWriter? Set { get; private set; }

            /// <summary>Opens the input and the shard set (headers written) once, whichever coder comes first.</summary>
            public void Open(ShardBatch batch, UserKeys keys, IShardRouting? routing)
            {
                lock (_open)
                {
                    if (Set != null)
                    {
                        return;
                    }

                    Input = Source.Handle ?? File.OpenHandle(Source.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
                    if (RandomAccess.GetLength(Input) < Source.Offset + Layout.FileBytes)
                    {
                        throw new ShardException(Source.Path + " shrank while it was read; nothing stored");
                    }

                    _wrapped = SegmentCrypto.WrapKey(keys.KeyWrapKey, FileId, FileKey);
                    _sealedPath = Source.RecordedPath == null ? null : SegmentCrypto.EncryptPath(FileKey, FileId, Source.RecordedPath);
                    int n = Layout.TotalShards;
                    var set = batch.BeginSet(n, Layout.ShardBytes, routing?.Route(Convert.ToHexStringLower(FileId), Layout));
                    for (int i = 0; i < n; i++)
                    {
                        set.Write(i, ShardHeader.Create(FileId, i, Layout.DataShards, n), 0, ShardHeader.Bytes);
                    }

                    Set = set;
                }
            }

            /// <summary>Closes the input once its last stripe is read.</summary>
            public void StripeRead()
            {
                if (Interlocked.Decrement(ref _unread) == 0)
                {
                    CloseInput();
                }
            }

            /// <summary>Closes the input unless the caller owns it.</summary>
            private void CloseInput()
            {
                lock (_open)
                {
                    if (Source.Handle == null)
                    {
                        Input?.Dispose();
                    }
                }
            }

            public void Seal(UserKeys keys, int segmentBytes, int k)
            {
                CryptographicOperations.ZeroMemory(FileKey);
                Set!.Seal(Convert.ToHexStringLower(FileId), ids =>
                {
                    byte[] tag = ContentTag.Combine(keys.ContentKey, Layout.FileBytes, segmentBytes, _segmentHashes);
                    _manifest = new ShardManifest(FileId, Layout.FileBytes, segmentBytes, k, Layout.TotalShards, DateTimeOffset.UtcNow, _wrapped!, ids, _sealedPath, tag);
                    return _manifest.Serialize(keys.ManifestKey);
                });
            }

            public PutResult Result() => new(_manifest!, Layout.TotalBytes, Source.RecordedPath);

            public void Dispose()
            {
                CryptographicOperations.ZeroMemory(FileKey);
                CloseInput();
                lock (_open)
                {
                    Set?.Dispose();
                }
            }
        }
    }
}
