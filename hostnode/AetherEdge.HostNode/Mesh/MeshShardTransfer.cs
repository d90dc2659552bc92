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

        /// <summary>Sent whole once more after a bad_hash receipt (only once: a second one ends the transfer).</summary>
        public bool ResentWhole { get; set; }

        /// <summary>no_room receipts so far, and when a transfer parked by one may go again.</summary>
        public int NoRoomTries { get; set; }

        public DateTimeOffset WakeAt { get; set; }

        /// <summary>Forgets every piece sent: the receiver holds none of it (its reassembly failed, had no room, or expired).</summary>
        public void StartOver()
        {
            Array.Clear(Done);
            Array.Clear(InFlight);
            Array.Clear(Failures);
            Remaining = Done.Length;
            ConfirmedAt = null;
        }

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
