using AetherEdge.Core.Protocol;
using AetherEdge.Core.Relay;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>Where whole, hash-checked shards from the mesh go (the hub: <see cref="MeshShards"/>).</summary>
    public interface IMeshShardSink
    {
        /// <summary>A whole shard whose SHA-256 is <paramref name="id"/>, from node <paramref name="source"/>; must not block.</summary>
        void Offer(string id, byte[] bytes, uint source);
    }

    /// <summary>Bounds of the reassembly (the hub's defaults; tests shrink them).</summary>
    public sealed record MeshShardPiecesOptions
    {
        /// <summary>Shards being put together at once.</summary>
        public int MaxShards { get; init; } = MeshShardPieces.MaxShards;

        /// <summary>Bytes of shards being put together at once.</summary>
        public long MaxBytes { get; init; } = MeshShardPieces.MaxBytes;

        /// <summary>A shard no piece of which arrived for this long makes way (expired).</summary>
        public long IdleMilliseconds { get; init; } = MeshShardPieces.IdleMilliseconds;
    }

    /// <summary>
    /// Sealed shard pieces (<see cref="ShardPiece"/>, body kind 6) put back together: pieces wait in memory, per
    /// sender and content id, until every piece is there; then the whole shard must hash to its content id
    /// before the sink (<see cref="MeshShards.Offer"/>) checks manifest and plan and stores it (or relays it). So no partial
    /// shard ever reaches the store. Bounded: at most <see cref="MaxShards"/> shards and <see cref="MaxBytes"/> bytes
    /// in reassembly; one idle for <see cref="IdleMilliseconds"/> makes way (<see cref="MeshShardPiecesOptions"/>).
    /// Every way a shard fails here is told to its sender in a sealed receipt (<see cref="MeshShardReceipt"/>:
    /// bad_hash, no_room, expired, malformed), so it reacts at once instead of waiting for a receipt that never comes:
    /// it resends a bad shard whole once, backs off when there is no room, starts over after its pieces expired.
    /// Receipts go only to the sealer (a trusted device: <see cref="MeshSealed"/> opened the frame), through the
    /// sender's bounded receipt queue, and a shard whose pieces keep finding no room (or keep not parsing) gets
    /// one receipt per <see cref="RefusalQuietMilliseconds"/>, not one per piece. Router thread only; counters may be read anywhere.
    /// </summary>
    public sealed class MeshShardPieces : ISealedPayloadHandler
    {
        public const int MaxShards = 8;
        public const long MaxBytes = 32L << 20;
        public const long IdleMilliseconds = 120_000;

        /// <summary>After a no_room or malformed receipt for a shard, further pieces of it within this long get none.</summary>
        public const long RefusalQuietMilliseconds = 1_000;

        private const int MaxRefusals = 64;

        public const string Assembled = "assembled";
        public const string Malformed = "malformed";
        public const string BadHash = "bad_hash";
        public const string NoRoom = "no_room";
        public const string Expired = "expired";

        private readonly IMeshShardSink _shards;
        private readonly IMeshShardReceipts _receipts;
        private readonly MeshShardPiecesOptions _options;
        private readonly Dictionary<(uint Source, string Id), long> _refusedAt = new();
        private readonly Dictionary<(uint Source, string Id), Partial> _partials = new();
        private readonly ShardPieceHeader _header = new();
        private readonly LabelledCounts _results = new();
        private long _bytes;
        private long _pieces;

        public MeshShardPieces(IMeshShardSink shards, IMeshShardReceipts receipts, MeshShardPiecesOptions? options = null)
        {
            _shards = shards;
            _receipts = receipts;
            _options = options ?? new MeshShardPiecesOptions();
        }

        public byte Kind => MeshPayloadKind.ShardPiece;

        /// <summary>Bytes held in reassembly now.</summary>
        public long BytesInUse => Interlocked.Read(ref _bytes);

        /// <summary>Pieces accepted into reassembly.</summary>
        public long Pieces => Interlocked.Read(ref _pieces);

        /// <summary>Outcomes (assembled, malformed, bad_hash, no_room, expired).</summary>
        public long this[string result] => _results[result];

        public IReadOnlyList<KeyValuePair<string, long>> Results() => _results.Snapshot();

        public void OnOpened(in MeshDelivery body, IMeshOutbox outbox)
        {
            try
            {
                ShardPiece.Parse(body.Buffer, body.Offset, body.Length, _header);
            }
            catch (ProtocolViolationException)
            {
                Count(Malformed);
                if (body.Length > ShardEnvelope.ContentIdBytes)
                {
                    Refuse((body.Source, ShardId.FromHash(body.Buffer.AsSpan(body.Offset + 1, ShardEnvelope.ContentIdBytes))), MeshShardReceipt.Malformed, outbox.NowMilliseconds);
                }

                return;
            }

            string id = ShardId.FromHash(body.Buffer.AsSpan(_header.ContentIdOffset, ShardEnvelope.ContentIdBytes));
            long now = outbox.NowMilliseconds;
            (uint Source, string Id) key = (body.Source, id);
            if (!_partials.TryGetValue(key, out var partial) || partial.Data.Length != _header.ShardLength || partial.PieceBytes != _header.PieceBytes)
            {
                if (partial != null)
                {
                    Drop(key, partial); // the sender cut it differently this time: start over
                }

                Sweep(now);
                if (_partials.Count >= _options.MaxShards || Interlocked.Read(ref _bytes) + _header.ShardLength > _options.MaxBytes)
                {
                    Count(NoRoom);
                    Refuse(key, MeshShardReceipt.NoRoom, now);
                    return;
                }

                partial = new Partial(_header.ShardLength, _header.PieceBytes, _header.Count);
                _partials[key] = partial;
                Interlocked.Add(ref _bytes, partial.Data.Length);
            }

            partial.LastPiece = now;
            if (partial.Got[_header.Index])
            {
                return; // an end-to-end retransmission of a piece already here
            }

            Array.Copy(body.Buffer, _header.DataOffset, partial.Data, (long)_header.Index * _header.PieceBytes, _header.DataLength);
            partial.Got[_header.Index] = true;
            partial.Missing--;
            Interlocked.Increment(ref _pieces);
            if (partial.Missing > 0)
            {
                return;
            }

            Drop(key, partial);
            if (!ShardId.Of(partial.Data).Equals(id, StringComparison.Ordinal))
            {
                Count(BadHash);
                _receipts.Acknowledge(key.Source, Convert.FromHexString(id), MeshShardReceipt.BadHash);
                return;
            }

            Count(Assembled);
            _shards.Offer(id, partial.Data, body.Source);
        }

        // Entries idle too long make way; their bytes are forgotten.
        private void Sweep(long now)
        {
            foreach (var stale in _partials.Where(p => now - p.Value.LastPiece > _options.IdleMilliseconds).ToList())
            {
                Drop(stale.Key, stale.Value);
                Count(Expired);
                _receipts.Acknowledge(stale.Key.Source, Convert.FromHexString(stale.Key.Id), MeshShardReceipt.Expired); // its resume must start over
            }
        }

        // One receipt per shard per quiet span: every piece of a big shard may find no room, its sender needs to hear it once.
        private void Refuse((uint Source, string Id) key, byte result, long now)
        {
            if (_refusedAt.TryGetValue(key, out long at) && now - at < RefusalQuietMilliseconds)
            {
                return;
            }

            if (_refusedAt.Count >= MaxRefusals)
            {
                _refusedAt.Clear(); // worst case one more receipt for a shard refused a moment ago
            }

            _refusedAt[key] = now;
            _receipts.Acknowledge(key.Source, Convert.FromHexString(key.Id), result);
        }

        private void Drop((uint Source, string Id) key, Partial partial)
        {
            if (_partials.Remove(key))
            {
                Interlocked.Add(ref _bytes, -partial.Data.Length);
            }
        }

        private void Count(string result) => _results.Add(result);

        private sealed class Partial
        {
            public Partial(int length, int pieceBytes, int pieces)
            {
                Data = new byte[length];
                PieceBytes = pieceBytes;
                Got = new bool[pieces];
                Missing = pieces;
            }

            public byte[] Data { get; }

            public int PieceBytes { get; }

            public bool[] Got { get; }

            public int Missing { get; set; }

            public long LastPiece { get; set; }
        }
    }
}
