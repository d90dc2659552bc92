using System;

namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// Pushed (push links only, ALPN aether-push/1): the item the sender just streamed in ShardChunk frames
    /// under a provisional id (a shard's content id is known only once it is fully encoded) is complete and
    /// its bytes hash to <see cref="Hash"/>. The receiver checks its own hash of what arrived, stores the
    /// shard under that content id and answers Ack with it. Refused inside a sync session.
    /// </summary>
    public sealed class PushedFrame : SyncFrame
    {
        /// <summary>Creates a Pushed frame.</summary>
        public PushedFrame(string id, byte[] hash)
            : base(SyncFrameType.Pushed)
        {
            RequireItemId(id);
            if (hash == null || hash.Length != SyncLimits.HashBytes)
            {
                throw new ArgumentException("hash must be " + SyncLimits.HashBytes + " bytes");
            }

            Id = id;
            Hash = hash;
        }

        /// <summary>The provisional id the chunks carried.</summary>
        public string Id { get; }

        /// <summary>SHA-256 of the whole item (its content id).</summary>
        public byte[] Hash { get; }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 1 + Id.Length + SyncLimits.HashBytes; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            o = WireFormat.WriteAscii8(b, o, Id);
            Array.Copy(Hash, 0, b, o, SyncLimits.HashBytes);
        }
    }
}
