using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Sealed body kind 8 on the receiving device (a hub behind beacons, a phone): a trusted device is about to push
    /// shards here and asks first (<see cref="MeshShardOffer"/>); each id is answered by <see cref="IMeshShardWants"/>
    /// (already held, wanted, or refused as its bytes would be) in one sealed answer (kind 9), so only wanted shards
    /// cross BLE. The store and plan lookups run on the thread pool, at most <see cref="MaxPending"/> offers at once;
    /// an offer beyond that is answered `busy` at once (the pusher asks again later). Answers wait in the bounded
    /// receipt queue and go only to the sealer (<see cref="MeshSealed"/> opened the frame: a trusted device).
    /// Counted by answer (<c>mesh_shard_offers_answered_total{result}</c>).
    /// </summary>
    public sealed class MeshShardOffers : ISealedPayloadHandler
    {
        public const int MaxPending = 4;

        private readonly IMeshShardWants _wants;
        private readonly IMeshShardReceipts _receipts;
        private readonly LabelledCounts _results = new();
        private int _pending;

        public MeshShardOffers(IMeshShardWants wants, IMeshShardReceipts receipts)
        {
            _wants = wants;
            _receipts = receipts;
        }

        public byte Kind => MeshPayloadKind.ShardOffer;

        /// <summary>Offers not answered yet (tests wait for zero).</summary>
        public int Pending => Volatile.Read(ref _pending);

        /// <summary>Offered ids by answer (already_held, wanted, no_manifest, not_planned_here, busy, store_failed), and malformed offers.</summary>
        public IReadOnlyList<KeyValuePair<string, long>> Results() => _results.Snapshot();

        public void OnOpened(in MeshDelivery body, IMeshOutbox outbox)
        {
            if (!MeshShardOffer.TryParse(body.Buffer, body.Offset, body.Length, out var ids))
            {
                Count(MeshShards.Malformed);
                return;
            }

            uint source = body.Source;
            if (Interlocked.Increment(ref _pending) > MaxPending)
            {
                Interlocked.Decrement(ref _pending);
                Answer(source, ids.Select(id => (id, MeshShardReceipt.Busy)).ToList());
                return;
            }

            _ = Task.Run(() =>
            {
                try
                {
                    Answer(source, ids.Select(id => (id, Want(id, source))).ToList());
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            });
        }

        private byte Want(byte[] id, uint source)
        {
            try
            {
                return _wants.Want(ShardId.FromHash(id), source);
            }
            catch (Exception e) when (e is IOException || e is Microsoft.Data.Sqlite.SqliteException || e is InvalidOperationException)
            {
                return MeshShardReceipt.StoreFailed;
            }
        }

        private void Answer(uint source, List<(byte[] Id, byte Result)> answers)
        {
            foreach (var a in answers)
            {
                Count(MeshShardReceipt.Name(a.Result));
            }

            _receipts.Answer(source, MeshShardOffer.WriteAnswer(answers));
        }

        private void Count(string result) => _results.Add(result);
    }

    /// <summary>Sealed body kind 9 on the pushing device: the answer to its offer, handed to <see cref="MeshShardSender"/>. Router thread.</summary>
    public sealed class MeshShardOfferAnswers : ISealedPayloadHandler
    {
        private readonly MeshShardSender _sender;

        public MeshShardOfferAnswers(MeshShardSender sender)
        {
            _sender = sender;
        }

        public byte Kind => MeshPayloadKind.ShardOfferAnswer;

        public void OnOpened(in MeshDelivery body, IMeshOutbox outbox)
        {
            if (MeshShardOffer.TryParseAnswer(body.Buffer, body.Offset, body.Length, out var answers))
            {
                foreach (var (id, result) in answers)
                {
                    _sender.OnOfferAnswer(body.Source, id, result);
                }
            }
        }
    }
}
