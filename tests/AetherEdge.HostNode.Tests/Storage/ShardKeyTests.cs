using System.Security.Cryptography;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Storage
{
    /// <summary>The 32-byte shard key the hub's in-memory indexes hold in place of 64-character ids (issue 17).</summary>
    public sealed class ShardKeyTests
    {
        [Fact]
        public void Key_RoundTripsItsId_EqualsByValue_AndOrdersAsTheHexText()
        {
            var ids = Enumerable.Range(0, 500).Select(_ => ShardId.Of(RandomNumberGenerator.GetBytes(20)))
                .Append(new string('0', 64)).Append(new string('f', 64)).Append(new string('0', 63) + "1").ToArray();
            var keys = ids.Select(ShardKey.Parse).ToArray();

            Assert.Equal(ids, keys.Select(k => k.ToString()));
            Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), keys.OrderBy(k => k).Select(k => k.ToString()));
            Assert.Equal(keys[3], ShardKey.Parse(ids[3]));
            Assert.NotEqual(keys[3], keys[4]);
            Assert.Equal(ids.Length, new HashSet<ShardKey>(keys.Concat(keys)).Count);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("abc")]
        [InlineData("ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
        [InlineData("g000000000000000000000000000000000000000000000000000000000000000")]
        [InlineData("0000000000000000000000000000000000000000000000000000000000000000a")]
        public void NotAShardId_IsRejected(string? id)
        {
            Assert.False(ShardKey.TryParse(id, out _));
            Assert.Throws<ArgumentException>(() => ShardKey.Parse(id!));
        }
    }
}
