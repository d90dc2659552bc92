using AetherEdge.Core.Relay;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>One shard on its way to one device: which pieces are acknowledged, in flight, failed. Router thread only.</summary>
    internal sealed class ShardTransfer
    {
        public ShardTransfer(ShardJob job, int pieces)
        {
            Job = job;
            Done = new bool[pieces];
            InFlight = new bool[pieces];
            Failures = new int[pieces];
            Remaining = pieces;
        }

        public ShardJob Job { get; }

        public bool[] Done { get; }

        public bool[] InFlight { get; }

        public int[] Failures { get; }

        public int Remaining { get; set; }

        /// <summary>When the router acknowledged the last piece (then the transfer waits for the receipt).</summary>
        public DateTimeOffset? ConfirmedAt { get; set; }

        public int NextToSend()
        {
            for (int i = 0; i < Done.Length; i++)
            {
                if (!Done[i] && !InFlight[i])
                {
                    return i;
                }
            }

            return -1;
        }

        // A single piece is the whole envelope (beacons cache it); otherwise a ShardPiece.
        public byte[] Body(int piece, int pieceBytes, out int length)
        {
            if (Done.Length == 1)
            {
                var envelope = new byte[ShardEnvelope.HeaderBytes + Job.Bytes.Length];
                ShardEnvelope.TryWrite(Job.ContentId, Job.Bytes, 0, Job.Bytes.Length, envelope, 0, out length);
                return envelope;
            }

            var body = new byte[ShardPiece.HeaderBytes + pieceBytes];
            length = ShardPiece.Write(Job.ContentId, Job.Bytes, 0, Job.Bytes.Length, pieceBytes, piece, body, 0);
            return body;
        }
    }
}
