namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// Where bytes go: the file is cut into segments; each encrypted segment (plaintext + 16-byte tag)
    /// is one stripe, split into k zero-padded pieces of ceil(len / k) bytes plus m parity pieces.
    /// Shard i is a <see cref="ShardHeader"/> followed by piece i of every stripe, in stripe order, so
    /// every shard of a file has the same length.
    /// </summary>
    public sealed class ShardLayout
    {
        public ShardLayout(long fileBytes, int segmentBytes, int dataShards, int totalShards)
        {
            if (fileBytes < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(fileBytes));
            }

            FileBytes = fileBytes;
            SegmentBytes = segmentBytes;
            DataShards = dataShards;
            TotalShards = totalShards;

            // An empty file still has one (empty) segment, so its tag proves it is empty.
            SegmentCount = fileBytes == 0 ? 1 : (fileBytes + segmentBytes - 1) / segmentBytes;
            long last = SegmentCount - 1;
            ShardBytes = ShardHeader.Bytes + last * PieceBytes(0) + PieceBytes(last);
        }

        public long FileBytes { get; }

        public int SegmentBytes { get; }

        public int DataShards { get; }

        public int TotalShards { get; }

        public long SegmentCount { get; }

        /// <summary>Bytes of each shard, header included.</summary>
        public long ShardBytes { get; }

        /// <summary>Bytes of all n shards together.</summary>
        public long TotalBytes => ShardBytes * TotalShards;

        /// <summary>Largest piece: sizes the stripe buffer.</summary>
        public int MaxPieceBytes => PieceBytes(0);

        public int PlainBytes(long segment) =>
            segment < SegmentCount - 1 ? SegmentBytes : (int)(FileBytes - (SegmentCount - 1) * (long)SegmentBytes);

        public int CipherBytes(long segment) => PlainBytes(segment) + ShardLimits.TagBytes;

        public int PieceBytes(long segment) => (CipherBytes(segment) + DataShards - 1) / DataShards;
    }
}
