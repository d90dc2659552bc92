using System.Collections.Concurrent;
using AetherEdge.Core.Relay;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>One shard to deliver sealed to one device through the router; the bytes are held until it is done.</summary>
    public sealed record ShardJob(uint Node, string ShardId, byte[] ContentId, byte[] Bytes, bool Relayed);

    /// <summary>Settings of the shard sender (the hub's defaults; tests shrink them).</summary>
    public sealed record MeshShardSenderOptions
    {
        /// <summary>Shard bytes held for sending and relaying at once (the relay cache); a job over it is refused.</summary>
        public long CacheBytes { get; init; } = 16L << 20;

        /// <summary>Data bytes per piece: a piece plus headers stays under the 8 KiB a beacon relays.</summary>
        public int PieceBytes { get; init; } = 4096;

        /// <summary>Reliable packets of shard data outstanding at once (the router has 8 pending slots for everyone).</summary>
        public int MaxInFlight { get; init; } = 4;

        /// <summary>Transfers interleaved at once.</summary>
        public int MaxActive { get; init; } = 2;

        /// <summary>Router failures (each after its own retransmissions) a piece may take before the transfer fails.</summary>
        public int MaxPieceFailures { get; init; } = 2;

        /// <summary>A failed (device, shard) is not taken again before this long; its confirmed pieces are kept for the retry.</summary>
        public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(30);

        /// <summary>How long after its last packet was acknowledged a shard waits for the receiver's receipt.</summary>
        public TimeSpan ReceiptWait { get; init; } = TimeSpan.FromSeconds(20);

        /// <summary>Receipts waiting to be sent (any more are dropped, counted: their senders time out and retry).</summary>
        public int MaxReceipts { get; init; } = 256;
    }

    /// <summary>
    /// Sends shards sealed to devices through the router (a device reachable only over BLE, or the planned holder
    /// of a shard relayed here): a shard that fits one piece goes as a whole <see cref="ShardEnvelope"/> (beacons
    /// cache those), a larger one as <see cref="ShardPiece"/>s. Paced: at most <see cref="MeshShardSenderOptions.MaxInFlight"/>
    /// reliable packets outstanding, each acknowledged end to end; a piece the router gives up on is sent again
    /// (as a flood: another path if one exists), and after <see cref="MeshShardSenderOptions.MaxPieceFailures"/>
    /// the transfer fails, counted by reason, and its confirmed pieces are remembered so a later attempt resumes.
    /// Jobs come from any thread (<see cref="TryEnqueue"/>) within the byte budget; sending runs on the router thread.
    /// A transfer whose packets were all acknowledged by the router is done only when the receiver's sealed
    /// <see cref="MeshShardReceipt"/> says what it did: <c>sent</c> when it kept the shard, <c>handed_on</c> when it
    /// relayed it to the planned holder, <c>refused</c> otherwise, <c>no_receipt</c> after <see cref="MeshShardSenderOptions.ReceiptWait"/>
    /// (a router ack only says the packets arrived: the receiver may still drop them). This class also sends the
    /// receipts for the shards this node received (<see cref="Acknowledge"/>).
    /// </summary>
    public sealed class MeshShardSender : IMeshSender, ISealedPayloadHandler
    {
        public const string Sent = "sent";
        public const string HandedOn = "handed_on";
        public const string Refused = "refused";
        public const string NoReceipt = "no_receipt";
        public const string Unreachable = "unreachable";
        public const string NoKey = "no_key";
        public const string CacheFull = "cache_full";
        public const string Duplicate = "duplicate";
        private const int MaxRemembered = 4096;
        private const int MaxResumable = 64;

        private readonly MeshFrameKeys _keys;
        private readonly uint _self;
        private readonly TimeProvider _clock;
        private readonly ConcurrentQueue<ShardJob> _incoming = new();
        private readonly ConcurrentDictionary<(uint, string), byte> _queued = new();
        private readonly ConcurrentDictionary<(uint, string), DateTimeOffset> _done = new();
        private readonly ConcurrentDictionary<(uint, string), DateTimeOffset> _failedAt = new();
        private readonly ConcurrentDictionary<string, long> _results = new(StringComparer.Ordinal);
        private readonly List<ShardTransfer> _active = new();
        private readonly Dictionary<uint, (ShardTransfer Transfer, int Piece)> _inFlight = new();
        private readonly Dictionary<(uint, string), bool[]> _resume = new();
        private readonly ConcurrentQueue<(uint Node, byte[] Body)> _receipts = new();
        private int _receiptsQueued;
        private long _cacheBytes;
        private long _piecesSent;
        private long _piecesConfirmed;
        private long _piecesFailed;
        private long _receiptsSent;
        private long _receiptsDropped;

        public MeshShardSender(NodeIdentity identity, MeshFrameKeys keys, MeshShardSenderOptions options, TimeProvider clock)
        {
            _self = MeshAddress.Of(identity.DeviceId);
            _keys = keys;
            Options = options;
            _clock = clock;
        }

        public MeshShardSenderOptions Options { get; }

        /// <summary>Shard bytes held for sending or relaying now (the relay cache in use).</summary>
        public long CacheBytesInUse => Interlocked.Read(ref _cacheBytes);

        /// <summary>Sealed shard packets handed to the router (first sends and resends).</summary>
        public long PiecesSent => Interlocked.Read(ref _piecesSent);

        /// <summary>Sealed shard packets acknowledged end to end by the router (they arrived; whether the shard was kept, the receipt says).</summary>
        public long PiecesConfirmed => Interlocked.Read(ref _piecesConfirmed);

        /// <summary>Receipts sent for shards received here, and dropped for want of room in their queue.</summary>
        public long ReceiptsSent => Interlocked.Read(ref _receiptsSent);

        public long ReceiptsDropped => Interlocked.Read(ref _receiptsDropped);

        /// <summary>Sealed shard packets the router gave up on (each sent again or the transfer failed).</summary>
        public long PiecesFailed => Interlocked.Read(ref _piecesFailed);

        /// <summary>Jobs by outcome (sent, handed_on, refused, no_receipt, unreachable, no_key, cache_full, duplicate).</summary>
        public long this[string result] => _results.TryGetValue(result, out long v) ? v : 0;

        public IReadOnlyList<KeyValuePair<string, long>> Results() => _results.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();

        /// <summary>True when <paramref name="shardId"/> was delivered to <paramref name="node"/>, is on its way, or failed recently.</summary>
        public bool Handled(uint node, string shardId)
        {
            var key = (node, shardId);
            return _queued.ContainsKey(key) || _done.ContainsKey(key)
                || (_failedAt.TryGetValue(key, out var at) && _clock.GetUtcNow() - at < Options.RetryAfter);
        }

        /// <summary>True when a job of <paramref name="bytes"/> more would fit the relay cache now.</summary>
        public bool HasRoomFor(long bytes) => Interlocked.Read(ref _cacheBytes) + bytes <= Options.CacheBytes;

        /// <summary>Queues a job (any thread). False, counted, when it is already handled, has no key or the cache is full.</summary>
        public bool TryEnqueue(ShardJob job)
        {
            var key = (job.Node, job.ShardId);
            if (_queued.ContainsKey(key) || _done.ContainsKey(key))
            {
                Count(Duplicate);
                return false;
            }

            if (!_keys.Knows(job.Node))
            {
                Count(NoKey);
                return false;
            }

            if (Interlocked.Add(ref _cacheBytes, job.Bytes.Length) > Options.CacheBytes)
            {
                Interlocked.Add(ref _cacheBytes, -job.Bytes.Length);
                Count(CacheFull);
                return false;
            }

            if (!_queued.TryAdd(key, 0))
            {
                Interlocked.Add(ref _cacheBytes, -job.Bytes.Length);
                Count(Duplicate);
                return false;
            }

            _incoming.Enqueue(job);
            return true;
        }

        public byte Kind => MeshPayloadKind.ShardReceipt;

        /// <summary>
        /// Queues the receipt for a shard received from <paramref name="node"/> (any thread); sent sealed on the next
        /// step. Beyond <see cref="MeshShardSenderOptions.MaxReceipts"/> waiting it is dropped, counted.
        /// </summary>
        public void Acknowledge(uint node, byte[] contentId, byte result)
        {
            if (Interlocked.Increment(ref _receiptsQueued) > Options.MaxReceipts)
            {
                Interlocked.Decrement(ref _receiptsQueued);
                Interlocked.Increment(ref _receiptsDropped);
                return;
            }

            _receipts.Enqueue((node, MeshShardReceipt.Write(contentId, result)));
        }

        /// <summary>A receipt for a shard sent from here (router thread): the transfer ends by what the receiver did.</summary>
        public void OnOpened(in MeshDelivery body, IMeshOutbox outbox)
        {
            if (!MeshShardReceipt.TryParse(body.Buffer, body.Offset, body.Length, out byte[] contentId, out byte result))
            {
                return;
            }

            foreach (var t in _active)
            {
                if (t.Job.Node == body.Source && t.Job.ContentId.AsSpan().SequenceEqual(contentId))
                {
                    Finish(t, MeshShardReceipt.Kept(result) ? Sent : result == MeshShardReceipt.Relayed ? HandedOn : Refused);
                    return;
                }
            }
        }

        public void OnStep(IMeshOutbox outbox)
        {
            while (_receipts.TryPeek(out var receipt))
            {
                bool known = _keys.Knows(receipt.Node);
                if (known && !MeshSealed.SealAndSend(_keys, _self, _clock, outbox, receipt.Node, receipt.Body, 0, receipt.Body.Length, reliable: true, out _))
                {
                    break; // the router's queues are full: next step
                }

                _receipts.TryDequeue(out _);
                Interlocked.Decrement(ref _receiptsQueued);
                Interlocked.Increment(ref known ? ref _receiptsSent : ref _receiptsDropped);
            }

            var now = _clock.GetUtcNow();
            foreach (var t in _active.ToArray())
            {
                if (t.ConfirmedAt is { } at && now - at > Options.ReceiptWait)
                {
                    Finish(t, NoReceipt);
                }
            }

            while (_active.Count(t => t.ConfirmedAt == null) < Options.MaxActive && _incoming.TryDequeue(out var job))
            {
                _active.Add(Start(job));
            }

            bool progress = true;
            while (progress && _inFlight.Count < Options.MaxInFlight)
            {
                progress = false;
                foreach (var t in _active.ToArray())
                {
                    if (_inFlight.Count >= Options.MaxInFlight)
                    {
                        break;
                    }

                    int piece = t.NextToSend();
                    if (piece < 0)
                    {
                        continue;
                    }

                    if (!_keys.Knows(t.Job.Node))
                    {
                        Finish(t, NoKey);
                        continue;
                    }

                    byte[] body = t.Body(piece, Options.PieceBytes, out int length);
                    if (!MeshSealed.SealAndSend(_keys, _self, _clock, outbox, t.Job.Node, body, 0, length, reliable: true, out uint id))
                    {
                        return; // the router's queues are full: next step
                    }

                    t.InFlight[piece] = true;
                    _inFlight[id] = (t, piece);
                    Interlocked.Increment(ref _piecesSent);
                    progress = true;
                }
            }
        }

        public void OnConfirmed(uint packetId)
        {
            if (!_inFlight.Remove(packetId, out var sent))
            {
                return;
            }

            Interlocked.Increment(ref _piecesConfirmed);
            var t = sent.Transfer;
            t.InFlight[sent.Piece] = false;
            if (!t.Done[sent.Piece])
            {
                t.Done[sent.Piece] = true;
                t.Remaining--;
            }

            if (t.Remaining == 0 && t.ConfirmedAt == null)
            {
                t.ConfirmedAt = _clock.GetUtcNow(); // arrived; done when the receipt says what became of it
            }
        }

        public void OnFailed(uint packetId)
        {
            if (!_inFlight.Remove(packetId, out var sent))
            {
                return;
            }

            Interlocked.Increment(ref _piecesFailed);
            var t = sent.Transfer;
            t.InFlight[sent.Piece] = false;
            if (++t.Failures[sent.Piece] >= Options.MaxPieceFailures)
            {
                Finish(t, Unreachable);
            }
        }

        private ShardTransfer Start(ShardJob job)
        {
            int pieces = job.Bytes.Length <= Options.PieceBytes ? 1 : ShardPiece.CountFor(job.Bytes.Length, Options.PieceBytes);
            var t = new ShardTransfer(job, pieces);
            if (_resume.Remove((job.Node, job.ShardId), out var done) && done.Length == pieces)
            {
                for (int i = 0; i < pieces; i++)
                {
                    if (done[i])
                    {
                        t.Done[i] = true;
                        t.Remaining--;
                    }
                }
            }

            return t;
        }

        private void Finish(ShardTransfer t, string result)
        {
            if (!_active.Remove(t))
            {
                return;
            }

            foreach (var id in _inFlight.Where(f => f.Value.Transfer == t).Select(f => f.Key).ToList())
            {
                _inFlight.Remove(id); // its fate no longer matters
            }

            var key = (t.Job.Node, t.Job.ShardId);
            var now = _clock.GetUtcNow();
            if (result == Sent || result == HandedOn)
            {
                Remember(_done, key, now);
            }
            else
            {
                Remember(_failedAt, key, now);
                if (t.Remaining > 0 && t.Remaining < t.Done.Length)
                {
                    if (_resume.Count >= MaxResumable)
                    {
                        _resume.Remove(_resume.Keys.First());
                    }

                    _resume[key] = t.Done;
                }
            }

            _queued.TryRemove(key, out _);
            Interlocked.Add(ref _cacheBytes, -t.Job.Bytes.Length);
            Count(result);
        }

        private static void Remember(ConcurrentDictionary<(uint, string), DateTimeOffset> set, (uint, string) key, DateTimeOffset now)
        {
            if (set.Count >= MaxRemembered)
            {
                set.Clear(); // worst case a shard is offered again; the receiver answers already_held
            }

            set[key] = now;
        }

        private void Count(string result) => _results.AddOrUpdate(result, 1, (_, v) => v + 1);
    }
}
