using System.Text;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// The 24 bytes every shard starts with: magic "AESH", format version, file id, shard index, k, n.
    /// It makes every shard of every file distinct (tiny files would otherwise produce identical
    /// all-padding shards under one content ID) and lets a store that lacks the manifest say which
    /// file and index a received shard belongs to.
    /// </summary>
    public static class ShardHeader
    {
        public const int Bytes = 4 + 1 + ShardLimits.FileIdBytes + 1 + 1 + 1;
        public const int FormatVersion = 1;
        public static readonly byte[] Magic = Encoding.ASCII.GetBytes("AESH");

        public static byte[] Create(byte[] fileId, int index, int dataShards, int totalShards)
        {
            byte[] h = new byte[Bytes];
            Magic.CopyTo(h, 0);
            h[4] = FormatVersion;
            fileId.CopyTo(h, 5);
            h[5 + ShardLimits.FileIdBytes] = (byte)index;
            h[6 + ShardLimits.FileIdBytes] = (byte)dataShards;
            h[7 + ShardLimits.FileIdBytes] = (byte)totalShards;
            return h;
        }

        /// <summary>True when <paramref name="header"/> is exactly the header shard <paramref name="index"/> of this file must have.</summary>
        public static bool Matches(ReadOnlySpan<byte> header, byte[] fileId, int index, int dataShards, int totalShards) =>
            header.SequenceEqual(Create(fileId, index, dataShards, totalShards));
    }
}
