using System.Buffers.Binary;
using System.Security.Cryptography;
using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Tests.Shards
{
    /// <summary>Regressions for what tests/AetherEdge.Fuzz found in ShardManifest.Parse.</summary>
    public class ShardManifestParseTests
    {
        private static readonly byte[] s_key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        private static byte[] Manifest(long createdMs)
        {
            var ids = Enumerable.Range(0, 3).Select(i => Convert.ToHexStringLower(SHA256.HashData(new[] { (byte)i }))).ToArray();
            byte[] signed = new ShardManifest(new byte[ShardLimits.FileIdBytes], 10, 1024, 2, 3, DateTimeOffset.UnixEpoch, new byte[ShardLimits.WrappedKeyBytes], ids).Serialize(s_key);

            // Rewrite the creation time (after magic, version, file id, size, segment, k, n) and re-sign, as a key holder could.
            int at = 4 + 1 + ShardLimits.FileIdBytes + 8 + 4 + 1 + 1;
            BinaryPrimitives.WriteInt64BigEndian(signed.AsSpan(at), createdMs);
            int body = signed.Length - ShardLimits.HashBytes;
            HMACSHA256.HashData(s_key, signed.AsSpan(0, body), signed.AsSpan(body));
            return signed;
        }

        [Theory]
        [InlineData(18016158509481984L)]
        [InlineData(long.MinValue)]
        [InlineData(253402300800000L)]
        public void Parse_CreationTimeOutsideDateTimeOffset_IsAShardExceptionNotArgumentOutOfRange(long createdMs)
        {
            var e = Assert.Throws<ShardException>(() => ShardManifest.Parse(Manifest(createdMs), s_key));
            Assert.Contains("creation time", e.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Parse_LastRepresentableMillisecond_Parses() =>
            Assert.Equal(DateTimeOffset.MaxValue.ToUnixTimeMilliseconds(), ShardManifest.Parse(Manifest(253402300799999L), s_key).CreatedUtc.ToUnixTimeMilliseconds());
    }
}
