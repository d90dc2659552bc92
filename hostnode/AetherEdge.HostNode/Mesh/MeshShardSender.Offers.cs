namespace AetherEdge.HostNode.Mesh
{
    /// <summary>Shard offers (<see cref="MeshShardOffer"/>): ask a device which shards it holds before pushing any.</summary>
    public sealed partial class MeshShardSender
    {
        /// <summary>True when <paramref name="node"/> answered an offer of <paramref name="shardId"/> with `wanted`: its bytes go next.</summary>
        public bool Wanted(uint node, string shardId) => _offers.IsWanted((node, shardId));

        /// <summary>Ids offered to devices, and offers by how they ended (held, wanted, refused, unanswered).</summary>
        public long OfferedIds => _offers.Offered;

        public IReadOnlyList<KeyValuePair<string, long>> OfferResults() => _offers.Results();

        public long OfferResult(string result) => _offers[result];

        /// <summary>
        /// Asks <paramref name="node"/> (any thread) which of <paramref name="shardIds"/> it holds before sending any
        /// (<see cref="MeshShardOffer"/>): held ones are then done without a byte sent, wanted ones are <see cref="Wanted"/>.
        /// Ids handled already are skipped; returns how many were offered (0 without a pair key).
        /// </summary>
        public int TryOffer(uint node, IEnumerable<string> shardIds) =>
            _keys.Knows(node) ? _offers.Offer(node, shardIds.Where(id => !Handled(node, id)), _clock.GetUtcNow()) : 0;

        /// <summary>The device's answer to an offer of one shard (router thread).</summary>
        public void OnOfferAnswer(uint source, byte[] contentId, byte result)
        {
            var key = (source, Convert.ToHexStringLower(contentId));
            switch (_offers.Answer(key, result))
            {
                case ShardOfferBook.Held:
                    Remember(_done, key, _clock.GetUtcNow());
                    break;
                case ShardOfferBook.Refused:
                    Remember(_failedAt, key, _clock.GetUtcNow());
                    break;
            }
        }
    }
}
