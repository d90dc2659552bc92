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

        // Every manifest version readers accept (1; 2 with a folder path; 3 with a content tag; name records, 4): the seed-era check took only
        // version 1, so repair-index quarantined the manifests of folder puts.
        public bool IsManifestOf(string fileId, byte[] body) =>
            NameRecord.Is(body)
                ? NameRecord.ReadUnverified(body)?.IdText == fileId
                : ShardManifest.ReadUnverified(body) is { } m && m.FileIdText == fileId;

        public string[]? ShardIdsOf(byte[] body) => ShardManifest.ReadUnverified(body)?.ShardIds;
    }
}
