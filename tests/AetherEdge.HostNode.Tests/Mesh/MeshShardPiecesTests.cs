using System.Security.Cryptography;
using AetherEdge.Core.Relay;
using AetherEdge.HostNode.Mesh;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// Receipts for shards that fail to arrive whole are bounded: every piece of a big shard may find no room, but its
    /// sender hears it once per quiet span, not once per piece; a piece that does not parse gets one receipt only
    /// when its content id is readable.
    /// </summary>
    public sealed class MeshShardPiecesTests
    {
        private const uint Sender = 0x5E4D0001;

        [Fact]
        public void PiecesFindingNoRoom_OneReceiptPerShardPerQuietSpan_NotOnePerPiece()
        {
            var receipts = new RecordingReceipts();
            var pieces = new MeshShardPieces(new NoSink(), receipts, new MeshShardPiecesOptions { MaxBytes = 10_000 });
            var outbox = new ClockOutbox();
            byte[] shard = RandomNumberGenerator.GetBytes(40_000);
            byte[] id = SHA256.HashData(shard);
            for (int i = 0; i < 10; i++)
            {
                Deliver(pieces, outbox, Piece(id, shard, i));
            }

            Assert.Equal(10, pieces[MeshShardPieces.NoRoom]);
            Assert.Equal((Sender, Convert.ToHexStringLower(id), MeshShardReceipt.NoRoom), Assert.Single(receipts.Sent));

            outbox.NowMilliseconds += MeshShardPieces.RefusalQuietMilliseconds;
            Deliver(pieces, outbox, Piece(id, shard, 0));
            Assert.Equal(2, receipts.Sent.Count);
            Assert.Equal(0, pieces.BytesInUse);
        }

        [Fact]
        public void MalformedPieces_GetAReceiptOnlyWhenTheirContentIdIsReadable()
        {
            var receipts = new RecordingReceipts();
            var pieces = new MeshShardPieces(new NoSink(), receipts);
            var outbox = new ClockOutbox();
            byte[] id = SHA256.HashData(new byte[] { 1 });
            var cut = new byte[1 + 32 + 3]; // a header cut short
            cut[0] = ShardPiece.Kind;
            id.CopyTo(cut, 1);
            Deliver(pieces, outbox, cut);
            Deliver(pieces, outbox, new byte[] { ShardPiece.Kind, 1, 2 });

            Assert.Equal(2, pieces[MeshShardPieces.Malformed]);
            Assert.Equal((Sender, Convert.ToHexStringLower(id), MeshShardReceipt.Malformed), Assert.Single(receipts.Sent));
        }

        private static byte[] Piece(byte[] id, byte[] shard, int index)
        {
            var body = new byte[ShardPiece.HeaderBytes + 4096];
            int n = ShardPiece.Write(id, shard, 0, shard.Length, 4096, index, body, 0);
            return body.AsSpan(0, n).ToArray();
        }

        private static void Deliver(MeshShardPieces pieces, IMeshOutbox outbox, byte[] body) =>
            pieces.OnOpened(new MeshDelivery(Sender, 2, body, 0, body.Length), outbox);

        private sealed class RecordingReceipts : IMeshShardReceipts
        {
            public List<(uint Node, string Id, byte Result)> Sent { get; } = new();

            public void Acknowledge(uint node, byte[] contentId, byte result) => Sent.Add((node, Convert.ToHexStringLower(contentId), result));

            public void Answer(uint node, byte[] answerBody) => throw new InvalidOperationException("no offer was made");
        }

        private sealed class NoSink : IMeshShardSink
        {
            public void Offer(string id, byte[] bytes, uint source) => throw new InvalidOperationException("nothing may be offered");
        }

        /// <summary>Only the router's clock: these pieces never send anything themselves.</summary>
        private sealed class ClockOutbox : IMeshOutbox
        {
            public uint NodeId => 0x5E4D0002;

            public long NowMilliseconds { get; set; } = 1_000_000;

            public IReadOnlyList<uint> Neighbours => Array.Empty<uint>();

            public bool Send(uint destination, byte[] payload, int offset, int length, bool reliable) => throw new InvalidOperationException();

            public bool Send(uint destination, byte[] payload, int offset, int length, bool reliable, out uint packetId) => throw new InvalidOperationException();

            public uint RouteTo(uint destination) => 0;
        }
    }
}
