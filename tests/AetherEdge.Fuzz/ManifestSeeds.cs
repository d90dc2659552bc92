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

            // Format 3 (content tag), without and with a sealed path.
            var ids3 = Enumerable.Range(0, 3).Select(i => Convert.ToHexStringLower(SHA256.HashData(new[] { (byte)i }))).ToArray();
            byte[] tag = SHA256.HashData(new byte[] { 3 });
            foreach (byte[]? path in new[] { null, Enumerable.Range(0, 40).Select(i => (byte)i).ToArray() })
            {
                seeds.Add(new ShardManifest(
                    Enumerable.Range(0, ShardLimits.FileIdBytes).Select(i => (byte)(i + 3)).ToArray(),
                    4096, 1024, 2, 3, DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_000), new byte[ShardLimits.WrappedKeyBytes], ids3, path, tag).Serialize(Key));
            }

            return seeds.ToArray();
        }

        /// <summary>Name records (format 4) as the production serializer writes them, names of 0 to 60 bytes sealed.</summary>
        public static byte[][] NameRecords()
        {
            var target = Serialized()[0];
            var manifest = ShardManifest.Parse(target, Key);
            byte[] fileKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
            return new[] { string.Empty, "a.jpg", new string('x', 60) }
                .Select(n => NameRecord.Create(manifest, fileKey, n).Serialize(Key))
                .ToArray();
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
