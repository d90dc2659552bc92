using System.Security.Cryptography;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.Fuzz
{
    /// <summary>Manifests made by the production serializer under a fixed test key.</summary>
    public static class ManifestSeeds
    {
        public static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();

        public static byte[][] Serialized()
        {
            var seeds = new List<byte[]>();
            foreach (var (size, segment, k, n) in new[] { (1_000_000L, 1 << 20, 10, 15), (0L, 1024, 1, 2), (5L << 30, 64 << 20, 4, 12) })
            {
                var ids = Enumerable.Range(0, n).Select(i => Convert.ToHexStringLower(SHA256.HashData(new[] { (byte)i, (byte)k }))).ToArray();
                var manifest = new ShardManifest(
                    Enumerable.Range(0, ShardLimits.FileIdBytes).Select(i => (byte)(i + n)).ToArray(),
                    size, segment, k, n, DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_000), new byte[ShardLimits.WrappedKeyBytes], ids);
                seeds.Add(manifest.Serialize(Key));
            }

            return seeds.ToArray();
        }

        /// <summary>The manifest body with a valid HMAC appended (what a key holder would send).</summary>
        public static byte[] Sign(byte[] body)
        {
            var signed = new byte[body.Length + ShardLimits.HashBytes];
            body.CopyTo(signed, 0);
            HMACSHA256.HashData(Key, body, signed.AsSpan(body.Length));
            return signed;
        }
    }
}
