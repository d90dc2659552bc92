using System;
using System.Collections;
using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// One sync conversation with one peer, as a synchronous state machine: the owner feeds
    /// received frames to <see cref="Receive"/> and drains <see cref="TryWriteNext"/> into the link.
    /// Both sides send Hello and their inventory, pull what <see cref="ISyncSessionHost.ChooseWants"/>
    /// names (resuming from partial copies), serve what the peer wants, and finish when both sent Done.
    /// Not thread-safe; the hub serialises calls.
    /// </summary>
    public sealed partial class SyncSession
    {
        private static readonly byte[] s_zeroHash = new byte[SyncLimits.HashBytes];

        private readonly ISyncStore _store;
        private readonly ISyncSessionHost _host;
        private readonly IRandomSource _random;
        private readonly ReplayWindow _replay;
        private readonly HelloFrame _hello;
        private readonly int _chunkBytes;
        private readonly byte[] _nonce = new byte[8];
        private readonly ArrayList _control = new ArrayList();
        private readonly ArrayList _serve = new ArrayList();
        private readonly ArrayList _pendingWants = new ArrayList();
        private readonly Hashtable _incoming = new Hashtable();
        private readonly Hashtable _attempted = new Hashtable();
        private readonly Hashtable _removed = new Hashtable();
        private RemovalEntry[] _localRemovals = new RemovalEntry[0];
        private int _peerRemovals;
        private bool _peerInventoryComplete;
        private bool _versioned;
        private bool _inventoryAsked;
        private long _heldPeerVersion;
        private InventoryDeltaFrame? _firstPart;
        private bool _peerInventoryStarted;
        private bool _sentDone;
        private bool _receivedDone;

        /// <summary>Creates a session; <paramref name="replay"/> is the peer's window (kept across sessions).</summary>
        public SyncSession(ISyncStore store, ISyncSessionHost host, IRandomSource random, ReplayWindow replay, HelloFrame localHello, int chunkBytes)
        {
            if (chunkBytes < 1 || chunkBytes > SyncLimits.MaxChunkBytes)
            {
                throw new ArgumentOutOfRangeException("chunkBytes");
            }

            _store = store;
            _host = host;
            _random = random;
            _replay = replay;
            _hello = localHello;
            _chunkBytes = chunkBytes;
        }

        /// <summary>Current state.</summary>
        public SyncSessionState State { get; private set; }

        /// <summary>The peer's Hello once received.</summary>
        public HelloFrame? PeerHello { get; private set; }

        /// <summary>Why the session failed (local violation or the peer's Error), else null.</summary>
        public string? FailureReason { get; private set; }

        /// <summary>Payload bytes of chunks and manifests sent.</summary>
        public long BytesSent { get; private set; }

        /// <summary>Payload bytes of chunks and manifests received.</summary>
        public long BytesReceived { get; private set; }

        /// <summary>Inventory entries (items and gone ids) this side sent: its version only when nothing changed.</summary>
        public long InventoryEntriesSent { get; private set; }

        /// <summary>Inventory entries received from the peer.</summary>
        public long InventoryEntriesReceived { get; private set; }

        /// <summary>Items pulled and verified.</summary>
        public int ItemsReceived { get; private set; }

        /// <summary>True when there is something to write.</summary>
        public bool HasOutput
        {
            get
            {
                PlanWants();
                return _control.Count > 0 || _serve.Count > 0;
            }
        }

        /// <summary>
        /// Queues a KeepAlive when the peer understands it (its Hello said protocol 2 or more) and the
        /// session is still running; the owner calls this when it wrote nothing for a while. False when not queued.
        /// </summary>
        public bool QueueKeepAlive()
        {
            if (State != SyncSessionState.Syncing || PeerHello == null || PeerHello.ProtocolVersion < SyncLimits.KeepAliveSinceVersion)
            {
                return false;
            }

            _control.Add(new KeepAliveFrame());
            return true;
        }

        /// <summary>Queues Hello and the local inventory.</summary>
        public void Start()
        {
            if (State != SyncSessionState.Idle)
            {
                throw new InvalidOperationException("session already started");
            }

            _control.Add(_hello);
            _localRemovals = _store.ListRemovals();
            for (int r = 0; r < _localRemovals.Length; r++)
            {
                _removed[_localRemovals[r].Id] = true;
            }

            // Protocol 3 sends the inventory once the peer said which version of it it holds; older sides at once.
            if (_hello.ProtocolVersion < SyncLimits.InventoryVersionsSinceVersion)
            {
                QueueWholeInventory();
            }

            State = SyncSessionState.AwaitingHello;
        }

        /// <summary>
        /// Encodes the next frame into <paramref name="buffer"/> (at least MaxFrameBytes from
        /// <paramref name="offset"/>). Returns false when nothing is pending.
        /// </summary>
        public bool TryWriteNext(byte[] buffer, int offset, int count, long nowMilliseconds, out int written)
        {
            written = 0;
            if (count < SyncLimits.MaxFrameBytes)
            {
                throw new ArgumentException("buffer must hold " + SyncLimits.MaxFrameBytes + " bytes");
            }

            if (State == SyncSessionState.Idle || State == SyncSessionState.Complete)
            {
                return false;
            }

            PlanWants();
            SyncFrame? frame = null;
            if (_control.Count > 0)
            {
                frame = (SyncFrame)_control[0]!;
                _control.RemoveAt(0);
            }
            else if (_serve.Count > 0 && State != SyncSessionState.Failed)
            {
                frame = NextChunk(buffer, offset);
            }

            if (frame == null)
            {
                return false;
            }

            frame.TimestampMilliseconds = nowMilliseconds;
            _random.NextBytes(_nonce);
            ulong nonce = 0;
            for (int i = 0; i < 8; i++)
            {
                nonce = (nonce << 8) | _nonce[i];
            }

            frame.Nonce = nonce;
            SyncFrameCodec.TryWrite(frame, buffer, offset, count, out written);
            if (frame.Type == SyncFrameType.Done)
            {
                _sentDone = true;
            }

            CheckComplete();
            return true;
        }

        /// <summary>
        /// Handles one received frame. Throws <see cref="ProtocolViolationException"/> for replays,
        /// stale frames and frames out of order; the session is then Failed with an Error frame queued.
        /// </summary>
        public void Receive(SyncFrame frame, long nowMilliseconds)
        {
            if (frame.Type == SyncFrameType.KeepAlive && State == SyncSessionState.Complete)
            {
                // The peer's timer can fire while our last frames are on the way: harmless, not a violation.
                return;
            }

            try
            {
                if (State == SyncSessionState.Idle || State == SyncSessionState.Complete || State == SyncSessionState.Failed)
                {
                    throw new ProtocolViolationException(frame.Type + " frame after the session ended");
                }

                _replay.Check(frame.TimestampMilliseconds, frame.Nonce, nowMilliseconds);
                if (State == SyncSessionState.AwaitingHello && frame.Type != SyncFrameType.Hello && frame.Type != SyncFrameType.Error)
                {
                    throw new ProtocolViolationException(frame.Type + " frame before Hello");
                }

                Dispatch(frame);
                CheckComplete();
            }
            catch (ProtocolViolationException e)
            {
                Fail(SyncErrorCode.ProtocolViolation, e.Message);
                throw;
            }
        }

        /// <summary>Ends the session locally, queueing an Error frame for the peer.</summary>
        public void Fail(SyncErrorCode code, string reason)
        {
            if (State == SyncSessionState.Failed)
            {
                return;
            }

            FailureReason = reason;
            State = SyncSessionState.Failed;
            _control.Clear();
            _serve.Clear();
            _control.Add(new ErrorFrame(code, reason));
        }

        private void Dispatch(SyncFrame frame)
        {
            switch (frame.Type)
            {
                case SyncFrameType.Hello:
                    OnHello((HelloFrame)frame);
                    break;
                case SyncFrameType.Inventory:
                    OnInventory((InventoryFrame)frame);
                    break;
                case SyncFrameType.Want:
                    OnWant((WantFrame)frame);
                    break;
                case SyncFrameType.Have:
                    OnHave((HaveFrame)frame);
                    break;
                case SyncFrameType.ShardChunk:
                    OnChunk((ShardChunkFrame)frame);
                    break;
                case SyncFrameType.Ack:
                    var ack = (AckFrame)frame;
                    _host.OnItemServed(ack.Id, ack.Status);
                    break;
                case SyncFrameType.Manifest:
                    OnManifest((ManifestFrame)frame);
                    break;
                case SyncFrameType.Error:
                    var error = (ErrorFrame)frame;
                    FailureReason = "peer error " + (int)error.Code + ": " + error.Message;
                    State = SyncSessionState.Failed;
                    _control.Clear();
                    _serve.Clear();
                    break;
                case SyncFrameType.Routed:
                    throw new ProtocolViolationException("Routed frame inside a sync session (mesh links carry those)");
                case SyncFrameType.Pushed:
                    throw new ProtocolViolationException("Pushed frame inside a sync session (push links carry those)");
                case SyncFrameType.Removed:
                    OnRemoved((RemovedFrame)frame);
                    break;
                case SyncFrameType.InventoryHeld:
                    OnInventoryHeld((InventoryHeldFrame)frame);
                    break;
                case SyncFrameType.InventoryDelta:
                    OnInventoryDelta((InventoryDeltaFrame)frame);
                    break;
                case SyncFrameType.KeepAlive:
                    // Liveness only (the owner's idle timer saw bytes); it passed the replay check like any frame.
                    break;
                default:
                    if (_receivedDone)
                    {
                        throw new ProtocolViolationException("second Done frame");
                    }

                    _receivedDone = true;
                    break;
            }
        }

        private void OnHello(HelloFrame hello)
        {
            if (PeerHello != null)
            {
                throw new ProtocolViolationException("second Hello frame");
            }

            if (hello.ProtocolVersion < SyncLimits.MinProtocolVersion)
            {
                // A clear refusal the old peer can log, not a generic violation.
                Fail(SyncErrorCode.UnsupportedVersion, "peer speaks sync protocol " + hello.ProtocolVersion + ", this device needs " + SyncLimits.MinProtocolVersion + " to " + SyncLimits.ProtocolVersion);
                return;
            }

            PeerHello = hello;
            State = SyncSessionState.Syncing;
            _host.OnPeerHello(hello);
            _versioned = hello.ProtocolVersion >= SyncLimits.InventoryVersionsSinceVersion && _hello.ProtocolVersion >= SyncLimits.InventoryVersionsSinceVersion;
            if (_versioned)
            {
                _heldPeerVersion = _host.HeldPeerInventoryVersion();
                _control.Add(new InventoryHeldFrame(_heldPeerVersion));
            }
            else if (_hello.ProtocolVersion >= SyncLimits.InventoryVersionsSinceVersion)
            {
                QueueWholeInventory();
            }
            if (hello.ProtocolVersion >= SyncLimits.RemovalsSinceVersion)
            {
                QueueRemovals();
            }
        }

        // Our tombstones, in frames of at most MaxRemovalEntriesPerFrame; before our Done, so the peer applies them in this session.
        private void QueueRemovals()
        {
            int i = 0;
            while (i < _localRemovals.Length)
            {
                int n = _localRemovals.Length - i;
                if (n > SyncLimits.MaxRemovalEntriesPerFrame)
                {
                    n = SyncLimits.MaxRemovalEntriesPerFrame;
                }

                var part = new RemovalEntry[n];
                Array.Copy(_localRemovals, i, part, 0, n);
                i += n;
                _control.Add(new RemovedFrame(part));
            }
        }

        private void OnRemoved(RemovedFrame removed)
        {
            _peerRemovals += removed.Entries.Length;
            if (_peerRemovals > SyncLimits.MaxRemovalEntries)
            {
                throw new ProtocolViolationException("over " + SyncLimits.MaxRemovalEntries + " removal entries");
            }

            for (int i = 0; i < removed.Entries.Length; i++)
            {
                RemovalEntry e = removed.Entries[i];
                _store.ApplyRemoval(e.Id, e.RemovedAtMilliseconds);
                _removed[e.Id] = true;
            }
        }

        private void OnWant(WantFrame want)
        {
            if (_receivedDone)
            {
                throw new ProtocolViolationException("Want frame after Done");
            }

            for (int i = 0; i < want.Entries.Length; i++)
            {
                string id = want.Entries[i].Id;
                byte[]? manifest = _store.ReadManifest(id);
                if (manifest != null)
                {
                    _control.Add(new ManifestFrame(id, manifest));
                    BytesSent += manifest.Length;
                    continue;
                }

                long length = _store.LengthOf(id);
                byte[]? hash = length < 0 ? null : _store.HashOf(id);
                if (length < 0 || hash == null)
                {
                    _control.Add(new HaveFrame(id, false, 0, s_zeroHash));
                    continue;
                }

                long from = want.Entries[i].Offset > length ? 0 : want.Entries[i].Offset;
                _control.Add(new HaveFrame(id, true, length, hash));
                _serve.Add(new ServeJob(id, from, length));
            }
        }

        private void OnHave(HaveFrame have)
        {
            var item = (Incoming?)_incoming[have.Id];
            if (item == null || item.Total >= 0)
            {
                throw new ProtocolViolationException("Have frame for '" + have.Id + "', which is not awaited");
            }

            if (!have.Held)
            {
                _incoming.Remove(have.Id);
                _host.OnItemReceived(have.Id, SyncItemKind.Shard, AckStatus.NotHeld, 0);
                return;
            }

            // A Have answers a wanted shard (a manifest comes as one Manifest frame).
            item.Total = have.TotalLength;
            item.Hash = have.Hash;
        }

        private void OnChunk(ShardChunkFrame chunk)
        {
            var item = (Incoming?)_incoming[chunk.Id];
            if (item == null || item.Total < 0)
            {
                throw new ProtocolViolationException("ShardChunk for '" + chunk.Id + "', which is not awaited");
            }

            if (chunk.TotalLength != item.Total)
            {
                throw new ProtocolViolationException("ShardChunk total " + chunk.TotalLength + " differs from Have's " + item.Total);
            }

            long have = _store.PartialLength(chunk.Id);
            if (chunk.Offset == 0 && have > 0)
            {
                _store.DiscardPartial(chunk.Id);
                have = 0;
            }

            if (chunk.Offset != have)
            {
                throw new ProtocolViolationException("ShardChunk at offset " + chunk.Offset + " but " + have + " bytes are held");
            }

            if (chunk.DataLength > 0)
            {
                _store.AppendPartial(chunk.Id, chunk.Offset, chunk.Data, chunk.DataOffset, chunk.DataLength);
            }

            BytesReceived += chunk.DataLength;
            _host.OnBytesReceived(chunk.DataLength);
            if (!chunk.IsLast)
            {
                return;
            }

            AckStatus status = _store.CompletePartial(chunk.Id, item.Total, item.Hash!);
            _incoming.Remove(chunk.Id);
            _control.Add(new AckFrame(chunk.Id, status));
            if (status == AckStatus.Ok)
            {
                ItemsReceived++;
            }

            _host.OnItemReceived(chunk.Id, SyncItemKind.Shard, status, item.Total);
        }

        private void OnManifest(ManifestFrame manifest)
        {
            var item = (Incoming?)_incoming[manifest.Id];
            if (item == null || item.Total >= 0)
            {
                throw new ProtocolViolationException("Manifest '" + manifest.Id + "', which is not awaited");
            }

            _incoming.Remove(manifest.Id);
            AckStatus status = _store.StoreManifest(manifest.Id, manifest.Data);
            BytesReceived += manifest.Data.Length;
            _host.OnBytesReceived(manifest.Data.Length);
            if (status == AckStatus.Ok)
            {
                ItemsReceived++;
            }

            _host.OnItemReceived(manifest.Id, SyncItemKind.Manifest, status, manifest.Data.Length);
        }

        private void PlanWants()
        {
            if (State != SyncSessionState.Syncing || !_peerInventoryComplete || _sentDone)
            {
                return;
            }

            if (_pendingWants.Count == 0 && _incoming.Count == 0)
            {
                string[] ids = _host.ChooseWants();
                for (int i = 0; i < ids.Length; i++)
                {
                    // A removed file is never pulled back, whoever still offers it.
                    if (SyncFrame.IsValidItemId(ids[i]) && !_attempted.Contains(ids[i]) && !_removed.Contains(ids[i]))
                    {
                        _attempted[ids[i]] = true;
                        _pendingWants.Add(ids[i]);
                    }
                }

                if (_pendingWants.Count == 0)
                {
                    _control.Add(new DoneFrame());
                    _sentDone = true;
                    return;
                }
            }

            int room = SyncLimits.MaxWantsInFlight - _incoming.Count;
            if (room <= 0 || _pendingWants.Count == 0)
            {
                return;
            }

            int n = _pendingWants.Count < room ? _pendingWants.Count : room;
            if (n > SyncLimits.MaxWantEntriesPerFrame)
            {
                n = SyncLimits.MaxWantEntriesPerFrame;
            }

            var entries = new WantEntry[n];
            for (int i = 0; i < n; i++)
            {
                // The answer tells shard from manifest (Have + chunks, or Manifest); a manifest has no partial copy.
                string id = (string)_pendingWants[i]!;
                entries[i] = new WantEntry(id, _store.PartialLength(id));
                _incoming[id] = new Incoming();
            }

            // nanoFramework's ArrayList has no RemoveRange; n is bounded by MaxWantEntriesPerFrame.
            for (int i = n - 1; i >= 0; i--)
            {
                _pendingWants.RemoveAt(i);
            }

            _control.Add(new WantFrame(entries));
        }

        // Reads the chunk's data straight into its place in the output frame (no second copy).
        private ShardChunkFrame NextChunk(byte[] buffer, int offset)
        {
            var job = (ServeJob)_serve[0]!;
            long left = job.Total - job.Position;
            int n = left < _chunkBytes ? (int)left : _chunkBytes;
            int at = offset + ShardChunkFrame.DataStart(job.Id);
            int got = 0;
            while (got < n)
            {
                int r = _store.Read(job.Id, job.Position + got, buffer, at + got, n - got);
                if (r <= 0)
                {
                    throw new InvalidOperationException("store returned " + got + " of " + n + " bytes of '" + job.Id + "'");
                }

                got += r;
            }

            var frame = new ShardChunkFrame(job.Id, job.Position, job.Total, buffer, at, n);
            job.Position += n;
            BytesSent += n;
            if (job.Position >= job.Total)
            {
                _serve.RemoveAt(0);
            }

            return frame;
        }

        private void CheckComplete()
        {
            if (State == SyncSessionState.Syncing && _sentDone && _receivedDone && _control.Count == 0 && _serve.Count == 0 && _incoming.Count == 0)
            {
                State = SyncSessionState.Complete;
            }
        }

        private sealed class ServeJob
        {
            public ServeJob(string id, long position, long total)
            {
                Id = id;
                Position = position;
                Total = total;
            }

            public string Id { get; }

            public long Position { get; set; }

            public long Total { get; }
        }

        private sealed class Incoming
        {
            public Incoming()
            {
                Total = -1;
            }

            public long Total { get; set; }

            public byte[]? Hash { get; set; }
        }
    }
}
