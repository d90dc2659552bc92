using System.Buffers.Binary;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// The placement-relevant fields of a manifest (K, N, shard ids in order), read from the fixed
    /// layout of <see cref="ShardManifest"/> WITHOUT checking its HMAC: nodes plan for files of users
    /// whose key they may not hold. Only used to decide what to pull from trusted peers; a bogus
    /// manifest can at worst make a node fetch shards it did not need. Never used to rebuild a file.
    /// </summary>
    public sealed class ManifestLayout
    {
        private ManifestLayout(int dataShards, string[] shardIds)
        {
            DataShards = dataShards;
            ShardIds = shardIds;
        }

        public int DataShards { get; }

        public string[] ShardIds { get; }

        public static ManifestLayout? TryRead(byte[] b)
        {
            int kAt = ShardManifest.Magic.Length + 1 + ShardLimits.FileIdBytes + 8 + 4;
            if (b.Length < ShardManifest.HeaderBytes + ShardLimits.HashBytes || !b.AsSpan(0, ShardManifest.Magic.Length).SequenceEqual(ShardManifest.Magic))
            {
                return null;
            }

            int k = b[kAt];
            int n = b[kAt + 1];
            if (k < 1 || n < k || b.Length != ShardManifest.HeaderBytes + (n * ShardLimits.HashBytes) + ShardLimits.HashBytes)
            {
                return null;
            }

            var ids = new string[n];
            for (int i = 0; i < n; i++)
            {
                ids[i] = Convert.ToHexStringLower(b, ShardManifest.HeaderBytes + (i * ShardLimits.HashBytes), ShardLimits.HashBytes);
            }

            _ = BinaryPrimitives.ReadInt64BigEndian(b.AsSpan(ShardManifest.Magic.Length + 1 + ShardLimits.FileIdBytes));
            return new ManifestLayout(k, ids);
        }
    }
}
