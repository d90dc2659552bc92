using System.Collections.Concurrent;
using AetherEdge.Core.Relay;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>One shard to deliver sealed to one device through the router; the bytes are held until it is done.</summary>
    public sealed record ShardJob(uint Node, string ShardId, byte[] ContentId, byte[] Bytes, bool Relayed);

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
    /// (a router ack only says the packets arrived: the receiver may still drop them). A receipt saying the shard
    /// failed to arrive whole is acted on at once: `bad_hash` sends it whole once more (a second one ends it,
    /// <c>bad_hash</c>), `no_room` parks it (its bytes stay in the cache) and tries again after
    /// <see cref="MeshShardSenderOptions.NoRoomBackoff"/>, doubling, <see cref="MeshShardSenderOptions.NoRoomRetries"/>
    /// times (then <c>no_room</c>), `expired` starts it over (and forgets what a later resume would skip), `malformed`
    /// ends it. This class also sends the receipts for the shards this node received (<see cref="Acknowledge"/>).
    /// </summary>
    public sealed partial class MeshShardSender : IMeshSender, ISealedPayloadHandler, IMeshShardReceipts
    {
        public const string Sent = "sent";
        public const string HandedOn = "handed_on";
        public const string Refused = "refused";
        public const string NoReceipt = "no_receipt";
        public const string Unreachable = "unreachable";
        public const string NoKey = "no_key";
        public const string CacheFull = "cache_full";
        public const string Duplicate = "duplicate";
        public const string BadHash = "bad_hash";
        public const string NoRoom = "no_room";
        public const string Malformed = "malformed";
        private const int MaxRemembered = 4096;
        private const int MaxResumable = 64;

        private readonly MeshFrameKeys _keys;
        private readonly uint _self;
        private readonly TimeProvider _clock;
        private readonly ConcurrentQueue<ShardJob> _incoming = new();
        private readonly ConcurrentDictionary<(uint, string), byte> _queued = new();
        private readonly ConcurrentDictionary<(uint, string), DateTimeOffset> _done = new();
        private readonly ConcurrentDictionary<(uint, string), DateTimeOffset> _failedAt = new();
        private readonly LabelledCounts _results = new();
        private readonly List<ShardTransfer> _active = new();
        private readonly List<ShardTransfer> _parked = new();
        private readonly LabelledCounts _receiptsIn = new();
        private long _wholeResends;
        private readonly Dictionary<uint, (ShardTransfer Transfer, int Piece)> _inFlight = new();
        private readonly Dictionary<(uint, string), bool[]> _resume = new();
        private readonly ReceiptQueue _receipts;
        private readonly ShardOfferBook _offers;
        private long _cacheBytes;
        private long _piecesSent;
        private long _piecesConfirmed;
        private long _piecesFailed;

        public MeshShardSender(NodeIdentity identity, MeshFrameKeys keys, MeshShardSenderOptions options, TimeProvider clock)
        {
            _self = MeshAddress.Of(identity.DeviceId);
            _keys = keys;
            Options = options;
            _clock = clock;
            _receipts = new ReceiptQueue(keys, _self, clock, options.MaxReceipts);
            _offers = new ShardOfferBook(new ReceiptQueue(keys, _self, clock, ShardOfferBook.MaxQueued), options.ReceiptWait);
        }

        public MeshShardSenderOptions Options { get; }

        /// <summary>Shard bytes held for sending or relaying now (the relay cache in use).</summary>
        public long CacheBytesInUse => Interlocked.Read(ref _cacheBytes);

        /// <summary>Sealed shard packets handed to the router (first sends and resends).</summary>
        public long PiecesSent => Interlocked.Read(ref _piecesSent);

        /// <summary>Sealed shard packets acknowledged end to end by the router (they arrived; whether the shard was kept, the receipt says).</summary>
        public long PiecesConfirmed => Interlocked.Read(ref _piecesConfirmed);

        /// <summary>Receipts sent for shards received here, and dropped for want of room in their queue.</summary>
        public long ReceiptsSent => _receipts.Sent;

        public long ReceiptsDropped => _receipts.Dropped;

        /// <summary>Sealed shard packets the router gave up on (each sent again or the transfer failed).</summary>
        public long PiecesFailed => Interlocked.Read(ref _piecesFailed);

        /// <summary>Transfers sent whole once more after a bad_hash receipt.</summary>
        public long WholeResends => Interlocked.Read(ref _wholeResends);

        /// <summary>Receipts received for shards sent from here, by what they said (stored, ..., bad_hash, no_room, expired, malformed).</summary>
        public IReadOnlyList<KeyValuePair<string, long>> ReceiptsReceived() => _receiptsIn.Snapshot();

        public long ReceiptsReceivedOf(string result) => _receiptsIn[result];

        /// <summary>Jobs by outcome (sent, handed_on, refused, no_receipt, unreachable, no_key, cache_full, duplicate, bad_hash, no_room, malformed).</summary>
        public long this[string result] => _results[result];

        public IReadOnlyList<KeyValuePair<string, long>> Results() => _results.Snapshot();

        /// <summary>True when <paramref name="shardId"/> was delivered to <paramref name="node"/>, is on its way, or failed recently.</summary>
        public bool Handled(uint node, string shardId)
        {
            var key = (node, shardId);
            return _queued.ContainsKey(key) || _done.ContainsKey(key) || _offers.Waiting(key)
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

            _offers.Taken(key);
            _incoming.Enqueue(job);
            return true;
        }

        public byte Kind => MeshPayloadKind.ShardReceipt;

        /// <summary>
        /// Queues the receipt for a shard received from <paramref name="node"/> (any thread); sent sealed on the next
        /// step. Beyond <see cref="MeshShardSenderOptions.MaxReceipts"/> waiting it is dropped, counted.
        /// </summary>
        public void Acknowledge(uint node, byte[] contentId, byte result) => _receipts.Enqueue(node, MeshShardReceipt.Write(contentId, result));

        public void Answer(uint node, byte[] answerBody) => _receipts.Enqueue(node, answerBody);

        /// <summary>A receipt for a shard sent from here (router thread): the transfer ends by what the receiver did.</summary>
        public void OnOpened(in MeshDelivery body, IMeshOutbox outbox)
        {
            if (!MeshShardReceipt.TryParse(body.Buffer, body.Offset, body.Length, out byte[] contentId, out byte result))
            {
                return;
            }

            _receiptsIn.Add(MeshShardReceipt.Name(result));
            if (result == MeshShardReceipt.Expired)
            {
                _resume.Remove((body.Source, Convert.ToHexStringLower(contentId))); // those confirmed pieces are gone
            }

            foreach (var t in _active)
            {
                if (t.Job.Node == body.Source && t.Job.ContentId.AsSpan().SequenceEqual(contentId))
                {
                    OnReceipt(t, result);
                    return;
                }
            }
        }

        private void OnReceipt(ShardTransfer t, byte result)
        {
            switch (result)
            {
                case MeshShardReceipt.BadHash when !t.ResentWhole:
                    // Whatever spoilt it (the pieces mixed up on the way, the bytes read), the retry sends every piece.
                    t.ResentWhole = true;
                    Interlocked.Increment(ref _wholeResends);
                    StartOver(t);
                    break;
                case MeshShardReceipt.BadHash:
                    Finish(t, BadHash);
                    break;
                case MeshShardReceipt.Expired:
                    StartOver(t);
                    break;
                case MeshShardReceipt.NoRoom when t.NoRoomTries < Options.NoRoomRetries:
                    // The receiver holds nothing of it; wait for its reassembly to drain, keeping the bytes and the slot's order.
                    StartOver(t);
                    t.WakeAt = _clock.GetUtcNow() + (Options.NoRoomBackoff * (1 << t.NoRoomTries));
                    t.NoRoomTries++;
                    _active.Remove(t);
                    _parked.Add(t);
                    break;
                case MeshShardReceipt.NoRoom:
                    Finish(t, NoRoom);
                    break;
                case MeshShardReceipt.Malformed:
                    Finish(t, Malformed);
                    break;
                default:
                    Finish(t, MeshShardReceipt.Kept(result) ? Sent : result == MeshShardReceipt.Relayed ? HandedOn : Refused);
                    break;
            }
        }

        private void StartOver(ShardTransfer t)
        {
            ForgetInFlight(t);
            t.StartOver();
        }

        private void ForgetInFlight(ShardTransfer t)
        {
            foreach (var id in _inFlight.Where(f => f.Value.Transfer == t).Select(f => f.Key).ToList())
            {
                _inFlight.Remove(id); // its fate no longer matters
            }
        }

        public void OnStep(IMeshOutbox outbox)
        {
            _receipts.Flush(outbox);
            var now = _clock.GetUtcNow();
            foreach (var unanswered in _offers.Step(outbox, now))
            {
                Remember(_failedAt, unanswered, now); // asked again after the retry pause
            }

            foreach (var t in _active.ToArray())
            {
                if (t.ConfirmedAt is { } at && now - at > Options.ReceiptWait)
                {
                    Finish(t, NoReceipt);
                }
            }

            foreach (var t in _parked.ToArray())
            {
                if (t.WakeAt <= now && _active.Count(a => a.ConfirmedAt == null) < Options.MaxActive)
                {
                    _parked.Remove(t);
                    _active.Add(t);
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
            if (!_active.Remove(t) && !_parked.Remove(t))
            {
                return;
            }

            ForgetInFlight(t);

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

        private void Count(string result) => _results.Add(result);
    }
}
