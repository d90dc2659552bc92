using AetherEdge.HostNode.Diagnostics;
using Prometheus;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Shards sent sealed through the router on the hub's registry: transfers by outcome, packets sent and given
    /// up on, the relay cache (shard bytes held for sending or relaying) and its limit, pieces in reassembly and
    /// what became of them, shards queued for BLE-only devices. Published from the parts' counters before each scrape.
    /// </summary>
    public sealed class MeshShardMetrics : IMetricsSource
    {
        private readonly MeshShardSender _sender;
        private readonly MeshShardPieces _pieces;
        private readonly MeshShardPush _push;
        private readonly MeshShardOffers _offersHere;
        private readonly Counter _transfers, _packetsSent, _packetsConfirmed, _packetsFailed, _receiptsSent, _receiptsDropped, _receiptsIn, _wholeResends, _pieceResults, _piecesIn, _pushed, _offered, _offers, _answered;
        private readonly Gauge _cache, _cacheLimit, _reassembly;

        public MeshShardMetrics(CollectorRegistry registry, MeshShardSender sender, MeshShardPieces pieces, MeshShardPush push, MeshShardOffers offersHere)
        {
            _offersHere = offersHere;
            _sender = sender;
            _pieces = pieces;
            _push = push;
            var m = Metrics.WithCustomRegistry(registry);
            _transfers = m.CreateCounter("mesh_shard_transfers_total", "Shards this hub sent sealed through the router, by outcome: sent (the receiver's receipt says kept), handed_on (it relayed it to the planned holder), refused, no_receipt, unreachable, no_key, cache_full, duplicate, bad_hash (again after one whole resend), no_room (after its back-off tries), malformed.", "result");
            _packetsSent = m.CreateCounter("mesh_shard_packets_sent_total", "Sealed shard packets (whole envelopes or pieces) handed to the router, resends included.");
            _packetsConfirmed = m.CreateCounter("mesh_shard_packets_confirmed_total", "Sealed shard packets acknowledged end to end by the router (arrived; the receipt says whether kept).");
            _receiptsSent = m.CreateCounter("mesh_shard_receipts_sent_total", "Receipts sent for shards received here.");
            _receiptsDropped = m.CreateCounter("mesh_shard_receipts_dropped_total", "Receipts not sent (queue full, or no key for the sender).");
            _receiptsIn = m.CreateCounter("mesh_shard_receipts_received_total", "Receipts for shards sent from here, by what the receiver did or why the shard failed there (stored, already_held, ..., bad_hash, no_room, expired, malformed).", "result");
            _wholeResends = m.CreateCounter("mesh_shard_whole_resends_total", "Shards sent whole once more after the receiver's bad_hash receipt.");
            _packetsFailed = m.CreateCounter("mesh_shard_packets_failed_total", "Sealed shard packets never acknowledged end to end.");
            _cache = m.CreateGauge("mesh_shard_relay_cache_bytes", "Shard bytes held for sending or relaying now (relay cache in use).");
            _cacheLimit = m.CreateGauge("mesh_shard_relay_cache_limit_bytes", "Relay cache limit (--relay-buffer).");
            _reassembly = m.CreateGauge("mesh_shard_reassembly_bytes", "Bytes of shards being put together from pieces.");
            _piecesIn = m.CreateCounter("mesh_shard_pieces_received_total", "Shard pieces taken into reassembly.");
            _pieceResults = m.CreateCounter("mesh_shard_reassembly_total", "Shards from pieces, by outcome (assembled, bad_hash, malformed, no_room, expired).", "result");
            _pushed = m.CreateCounter("mesh_shard_pushed_total", "Shards queued for devices reachable only over BLE.");
            _offered = m.CreateCounter("mesh_shard_offered_total", "Shard ids offered to BLE-only devices before sending (asked whether held).");
            _offers = m.CreateCounter("mesh_shard_offers_total", "Shard offers this hub made, by how they ended: held (no byte sent), wanted (its bytes go next), refused, unanswered.", "result");
            _answered = m.CreateCounter("mesh_shard_offers_answered_total", "Shards offered to this hub by other devices, by answer (already_held, wanted, no_manifest, not_planned_here, busy, store_failed; malformed offers).", "result");
            registry.AddBeforeCollectCallback(Publish);
        }

        public void Publish()
        {
            foreach (var r in _sender.Results())
            {
                _transfers.WithLabels(r.Key).IncTo(r.Value);
            }

            _packetsSent.IncTo(_sender.PiecesSent);
            _packetsConfirmed.IncTo(_sender.PiecesConfirmed);
            _receiptsSent.IncTo(_sender.ReceiptsSent);
            _receiptsDropped.IncTo(_sender.ReceiptsDropped);
            _packetsFailed.IncTo(_sender.PiecesFailed);
            foreach (var r in _sender.ReceiptsReceived())
            {
                _receiptsIn.WithLabels(r.Key).IncTo(r.Value);
            }

            _wholeResends.IncTo(_sender.WholeResends);
            _cache.Set(_sender.CacheBytesInUse);
            _cacheLimit.Set(_sender.Options.CacheBytes);
            _reassembly.Set(_pieces.BytesInUse);
            _piecesIn.IncTo(_pieces.Pieces);
            foreach (var r in _pieces.Results())
            {
                _pieceResults.WithLabels(r.Key).IncTo(r.Value);
            }

            _pushed.IncTo(_push.Queued);
            _offered.IncTo(_sender.OfferedIds);
            foreach (var r in _sender.OfferResults())
            {
                _offers.WithLabels(r.Key).IncTo(r.Value);
            }

            foreach (var r in _offersHere.Results())
            {
                _answered.WithLabels(r.Key).IncTo(r.Value);
            }
        }
    }
}
