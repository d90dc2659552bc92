using System.Buffers.Binary;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// The placement- and repair-relevant fields of a manifest (file id, size, segment size, K, N,
    /// shard ids in order), read from the fixed layout of <see cref="ShardManifest"/> WITHOUT checking
    /// its HMAC: nodes plan for and repair files of users whose key they may not hold. A bogus manifest
    /// can at worst make a node fetch shards it did not need: a shard is only stored when its bytes hash
    /// to the id the manifest lists. Never used to decrypt a file.
    /// </summary>
    public sealed class ManifestLayout
    {
        private const int FileIdAt = 5;
        private const int SizeAt = FileIdAt + ShardLimits.FileIdBytes;
        private const int SegmentAt = SizeAt + 8;
        private const int KAt = SegmentAt + 4;

        private ManifestLayout(byte[] fileId, long fileBytes, int segmentBytes, int dataShards, string[] shardIds)
        {
            FileId = fileId;
            DataShards = dataShards;
            ShardIds = shardIds;
            Shards = new ShardLayout(fileBytes, segmentBytes, dataShards, shardIds.Length);
        }

        public byte[] FileId { get; }

        public int DataShards { get; }

        public int TotalShards => ShardIds.Length;

        public string[] ShardIds { get; }

        /// <summary>Segment, piece and shard sizes (as the put that made the shards computed them).</summary>
        public ShardLayout Shards { get; }

        /// <summary>Bytes of a version-2 manifest's sealed path field (length prefix included) after the shard ids; 0 for version 1.</summary>
        private static int PathFieldBytes(byte[] b, int n)
        {
            int at = ShardManifest.HeaderBytes + (n * ShardLimits.HashBytes);
            return b[4] == ShardManifest.PathFormatVersion && b.Length >= at + 2 ? 2 + BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at)) : 0;
        }

        public static ManifestLayout? TryRead(byte[] b)
        {
            if (b.Length < ShardManifest.HeaderBytes + ShardLimits.HashBytes || !b.AsSpan(0, ShardManifest.Magic.Length).SequenceEqual(ShardManifest.Magic))
            {
                return null;
            }

            int k = b[KAt];
            int n = b[KAt + 1];
            long size = BinaryPrimitives.ReadInt64BigEndian(b.AsSpan(SizeAt));
            int segment = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(SegmentAt));
            if (k < 1 || n < k || b.Length != ShardManifest.HeaderBytes + (n * ShardLimits.HashBytes) + PathFieldBytes(b, n) + ShardLimits.HashBytes ||
                size < 0 || segment < ShardLimits.MinSegmentBytes || segment > ShardLimits.MaxSegmentBytes)
            {
                return null;
            }

            var ids = new string[n];
            for (int i = 0; i < n; i++)
            {
                ids[i] = Convert.ToHexStringLower(b, ShardManifest.HeaderBytes + (i * ShardLimits.HashBytes), ShardLimits.HashBytes);
            }

            return new ManifestLayout(b.AsSpan(FileIdAt, ShardLimits.FileIdBytes).ToArray(), size, segment, k, ids);
        }
    }
}
