using AetherEdge.Core.Relay;
using AetherEdge.Core.Routing;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Sealed body kinds 8 and 9: a shard offer (<c>kind 8 | count u8 (1..64) | content id (32) × count</c>) and its
    /// answer (<c>kind 9 | count u8 (1..64) | (content id (32) | receipt code u8) × count</c>, codes of
    /// <see cref="MeshShardReceipt"/>: already held, wanted, no manifest, not planned here, busy, store failed).
    /// At most 64 ids: an offer is 2,050 bytes, an answer 2,114, one packet each under the 8 KiB a beacon relays.
    /// </summary>
    public static class MeshShardOffer
    {
        public const int MaxIds = 64;
        private const int IdBytes = ShardEnvelope.ContentIdBytes;

        public static byte[] Write(IReadOnlyList<byte[]> ids)
        {
            if (ids.Count < 1 || ids.Count > MaxIds)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), ids.Count, "1 to 64 ids per offer");
            }

            var body = new byte[2 + (ids.Count * IdBytes)];
            body[0] = MeshPayloadKind.ShardOffer;
            body[1] = (byte)ids.Count;
            for (int i = 0; i < ids.Count; i++)
            {
                Buffer.BlockCopy(ids[i], 0, body, 2 + (i * IdBytes), IdBytes);
            }

            return body;
        }

        /// <summary>The offered ids; false when the bytes are not an offer (never throws).</summary>
        public static bool TryParse(byte[] buffer, int offset, int length, out List<byte[]> ids)
        {
            ids = new List<byte[]>();
            if (length < 2 || buffer[offset] != MeshPayloadKind.ShardOffer || buffer[offset + 1] < 1 || buffer[offset + 1] > MaxIds
                || length != 2 + (buffer[offset + 1] * IdBytes))
            {
                return false;
            }

            for (int i = 0; i < buffer[offset + 1]; i++)
            {
                ids.Add(buffer.AsSpan(offset + 2 + (i * IdBytes), IdBytes).ToArray());
            }

            return true;
        }

        public static byte[] WriteAnswer(IReadOnlyList<(byte[] Id, byte Result)> answers)
        {
            if (answers.Count < 1 || answers.Count > MaxIds)
            {
                throw new ArgumentOutOfRangeException(nameof(answers), answers.Count, "1 to 64 answers");
            }

            var body = new byte[2 + (answers.Count * (IdBytes + 1))];
            body[0] = MeshPayloadKind.ShardOfferAnswer;
            body[1] = (byte)answers.Count;
            for (int i = 0; i < answers.Count; i++)
            {
                int at = 2 + (i * (IdBytes + 1));
                Buffer.BlockCopy(answers[i].Id, 0, body, at, IdBytes);
                body[at + IdBytes] = answers[i].Result;
            }

            return body;
        }

        /// <summary>The answers; false when the bytes are not an answer or a code is 0 (never throws).</summary>
        public static bool TryParseAnswer(byte[] buffer, int offset, int length, out List<(byte[] Id, byte Result)> answers)
        {
            answers = new List<(byte[] Id, byte Result)>();
            if (length < 2 || buffer[offset] != MeshPayloadKind.ShardOfferAnswer || buffer[offset + 1] < 1 || buffer[offset + 1] > MaxIds
                || length != 2 + (buffer[offset + 1] * (IdBytes + 1)))
            {
                return false;
            }

            for (int i = 0; i < buffer[offset + 1]; i++)
            {
                int at = offset + 2 + (i * (IdBytes + 1));
                if (buffer[at + IdBytes] == 0)
                {
                    answers.Clear();
                    return false;
                }

                answers.Add((buffer.AsSpan(at, IdBytes).ToArray(), buffer[at + IdBytes]));
            }

            return true;
        }
    }
}
