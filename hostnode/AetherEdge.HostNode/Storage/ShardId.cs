using System.Security.Cryptography;

namespace AetherEdge.HostNode.Storage
{
    /// <summary>A shard's content ID: lower-case hex SHA-256 of its bytes (64 characters).</summary>
    public static class ShardId
    {
        public const int HexLength = 64;

        public static bool IsValid(string? id)
        {
            if (id == null || id.Length != HexLength)
            {
                return false;
            }

            foreach (char c in id)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }

        public static string FromHash(ReadOnlySpan<byte> sha256) => Convert.ToHexStringLower(sha256);

        public static string Of(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

        /// <summary>SHA-256 of the rest of <paramref name="stream"/>, as an id.</summary>
        public static string Of(Stream stream) => FromHash(SHA256.HashData(stream));
    }
}
