using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>The store's view of the shard header and manifest layouts (Shards/README.md), for index rebuilds.</summary>
    public sealed class ShardFormat : IShardFormat
    {
        public int HeaderBytes => ShardHeader.Bytes;

        public bool TryReadHeader(ReadOnlySpan<byte> header, out string fileId, out int index)
        {
            fileId = string.Empty;
            index = -1;
            if (header.Length < ShardHeader.Bytes || !header[..4].SequenceEqual(ShardHeader.Magic) || header[4] != ShardHeader.FormatVersion)
            {
                return false;
            }

            int i = header[5 + ShardLimits.FileIdBytes];
            int k = header[6 + ShardLimits.FileIdBytes];
            int n = header[7 + ShardLimits.FileIdBytes];
            if (ErasureLimits.ValidationError(k, n - k) != null || i >= n)
            {
                return false;
            }

            fileId = Convert.ToHexStringLower(header.Slice(5, ShardLimits.FileIdBytes));
            index = i;
            return true;
        }

        public bool IsManifestOf(string fileId, byte[] body)
        {
            const int kAt = 4 + 1 + ShardLimits.FileIdBytes + 8 + 4;
            if (body.Length < ShardManifest.HeaderBytes + ShardLimits.HashBytes ||
                !body.AsSpan(0, 4).SequenceEqual(ShardManifest.Magic) || body[4] != ShardManifest.FormatVersion ||
                Convert.ToHexStringLower(body.AsSpan(5, ShardLimits.FileIdBytes)) != fileId)
            {
                return false;
            }

            int k = body[kAt];
            int n = body[kAt + 1];
            return ErasureLimits.ValidationError(k, n - k) == null &&
                body.Length == ShardManifest.HeaderBytes + (n * ShardLimits.HashBytes) + ShardLimits.HashBytes;
        }
    }
}
