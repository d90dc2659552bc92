using System.Security.Cryptography;
using AetherEdge.Core.Protocol;
using AetherEdge.Core.Relay;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Shard envelopes that reach the hub sealed by a trusted device (over BLE, through beacons): the shard's
    /// SHA-256 must equal the envelope's content id, the manifests held must list it, and the placement plan must
    /// give it to this hub; then it is stored (the store hashes it again while writing, so no partial or wrong
    /// shard is ever kept) as a shard that arrived from elsewhere, which placement may move and prune later. When
    /// this hub's plan names the very device that sent it, the two hubs' knowledge differs for now (one planned
    /// before the other's inventory arrived): it is kept here for handoff, sync gives it to the planned holder and
    /// placement prunes it here after, instead of being dropped (the shard may exist nowhere else). Everything else
    /// is dropped and counted by reason; the sender gets a sealed receipt either way (also for an envelope that does
    /// not parse or hash: it comes from a trusted sealer, and receipts wait in the sender's bounded queue)
    /// (<c>mesh_shard_envelopes_total{result}</c>). The router thread only parses and hashes; the plan lookup and
    /// the write run on the thread pool, at most <see cref="MaxPendingWrites"/> at once (more: dropped as busy,
    /// the sender's retry brings it again).
    /// </summary>
    public sealed class MeshShards : ISealedPayloadHandler, IMeshShardSink, IMeshShardWants
    {
        public const int MaxPendingWrites = 16;

        public const string Stored = "stored";
        public const string AlreadyHeld = "already_held";
        public const string BadHash = "bad_hash";
        public const string Malformed = "malformed";
        public const string NoManifest = "no_manifest";
        public const string NotPlannedHere = "not_planned_here";
        public const string Busy = "busy";
        public const string StoreFailed = "store_failed";
        public const string Relayed = "relayed";
        public const string RelayRefused = "relay_refused";
        public const string HeldForHandoff = "held_for_handoff";

        private readonly ShardStoreSyncStore _store;
        private readonly PlacementOracle _oracle;
        private readonly MeshShardSender _sender;
        private readonly ILogger<MeshShards> _log;
        private readonly LabelledCounts _results = new();
        private int _pending;

        public MeshShards(ShardStoreSyncStore store, PlacementOracle oracle, MeshShardSender sender, ILogger<MeshShards> log)
        {
            _sender = sender;
            _store = store;
            _oracle = oracle;
            _log = log;
        }

        public byte Kind => MeshPayloadKind.Shard;

        /// <summary>Envelopes by result (stored, already_held, held_for_handoff, bad_hash, malformed, no_manifest, not_planned_here, relayed, relay_refused, busy, store_failed).</summary>
        public long this[string result] => _results[result];

        public IReadOnlyList<KeyValuePair<string, long>> Results() => _results.Snapshot();

        /// <summary>Writes not finished yet (tests wait for zero).</summary>
        public int Pending => Volatile.Read(ref _pending);

        public void OnOpened(in MeshDelivery body, IMeshOutbox outbox)
        {
            int shardOffset;
            try
            {
                shardOffset = ShardEnvelope.Parse(body.Buffer, body.Offset, body.Length);
            }
            catch (ProtocolViolationException)
            {
                Count(Malformed);
                if (body.Length > ShardEnvelope.ContentIdBytes)
                {
                    // Sealed by a trusted device, so the id it meant is readable: it learns at once (no 20 s wait).
                    _sender.Acknowledge(body.Source, body.Buffer.AsSpan(body.Offset + 1, ShardEnvelope.ContentIdBytes).ToArray(), MeshShardReceipt.Malformed);
                }

                return;
            }

            var contentId = body.Buffer.AsSpan(body.Offset + 1, ShardEnvelope.ContentIdBytes);
            var shard = body.Buffer.AsSpan(shardOffset, body.Offset + body.Length - shardOffset);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(shard, hash);
            if (!hash.SequenceEqual(contentId))
            {
                Count(BadHash);
                _sender.Acknowledge(body.Source, contentId.ToArray(), MeshShardReceipt.BadHash);
                return;
            }

            Offer(ShardId.FromHash(contentId), shard.ToArray(), body.Source);
        }

        /// <summary>
        /// A whole shard whose SHA-256 was checked (a single envelope, or pieces put together by
        /// <see cref="MeshShardPieces"/>): stored when a manifest lists it and the plan gives it here, relayed sealed
        /// to the planned holder when the plan names another device this hub can seal for, else dropped; counted.
        /// </summary>
        public void Offer(string id, byte[] bytes, uint source)
        {
            if (Interlocked.Increment(ref _pending) > MaxPendingWrites)
            {
                Interlocked.Decrement(ref _pending);
                Count(Busy, id, source);
                return;
            }

            _ = Task.Run(() =>
            {
                try
                {
                    Count(Keep(id, bytes, source), id, source);
                }
                catch (Exception e) when (e is IOException || e is Microsoft.Data.Sqlite.SqliteException || e is InvalidOperationException)
                {
                    Count(StoreFailed, id, source);
                    _log.LogWarning("mesh: shard {Shard} from the mesh not stored: {Error}", id[..12], e.Message);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            });
        }

        private string Keep(string id, byte[] bytes, uint source)
        {
            if (_oracle.Locate(id) is null)
            {
                return NoManifest;
            }

            string? holder = _oracle.AssignedHolder(id);
            if (holder == _oracle.SelfId)
            {
                return Store(id, bytes, Stored);
            }

            if (holder == null || !DeviceId.TryParse(holder, out DeviceId device, out _))
            {
                return NotPlannedHere;
            }

            uint node = MeshAddress.Of(device);
            if (node == source)
            {
                // The sender planned it here, this hub plans it back there: never bounce it, never drop it.
                return Store(id, bytes, HeldForHandoff);
            }

            // The planned holder is another device: pass it on sealed to that device.
            return _sender.TryEnqueue(new ShardJob(node, id, Convert.FromHexString(id), bytes, Relayed: true)) ? Relayed : RelayRefused;
        }

        /// <summary>
        /// An offered shard (no bytes yet): held here already, wanted (the plan gives it here), or refused as its bytes
        /// would be. The plan naming the offering device itself is `not planned here`: unlike bytes that already
        /// crossed, an offered shard stays with its holder, nothing is lost by leaving it there.
        /// </summary>
        public byte Want(string id, uint source)
        {
            if (_store.HasShard(id))
            {
                return MeshShardReceipt.AlreadyHeld;
            }

            if (_oracle.Locate(id) is null)
            {
                return MeshShardReceipt.NoManifest;
            }

            return _oracle.AssignedHolder(id) == _oracle.SelfId ? MeshShardReceipt.Wanted : MeshShardReceipt.NotPlannedHere;
        }

        private string Store(string id, byte[] bytes, string result)
        {
            if (_store.HasShard(id))
            {
                return AlreadyHeld;
            }

            using var content = new MemoryStream(bytes, writable: false);
            _store.AddShard(id, content);
            return result;
        }

        private void Count(string result) => _results.Add(result);

        // Counted, and the sender told what became of its shard (its transfer ends on this receipt, not on the router's ack).
        private void Count(string result, string id, uint source)
        {
            Count(result);
            _sender.Acknowledge(source, Convert.FromHexString(id), MeshShardReceipt.Of(result));
        }
    }
}
