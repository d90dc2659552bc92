using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Mesh;
using CsCheck;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>The offer and answer bodies (kinds 8 and 9): written ones read back; any other bytes are refused, never thrown on.</summary>
    public sealed class MeshShardOfferTests
    {
        [Fact]
        public void WrittenOffer_ParsesBackToItsIds()
        {
            Gen.Byte.Array[32].List[1, MeshShardOffer.MaxIds].Sample(ids =>
            {
                byte[] body = MeshShardOffer.Write(ids);
                Assert.True(MeshShardOffer.TryParse(body, 0, body.Length, out var parsed));
                Assert.Equal(ids, parsed);
                Assert.False(MeshShardOffer.TryParseAnswer(body, 0, body.Length, out _));
            });
        }

        [Fact]
        public void WrittenAnswer_ParsesBackToItsIdsAndCodes()
        {
            Gen.Select(Gen.Byte.Array[32], Gen.Byte[1, 255]).List[1, MeshShardOffer.MaxIds].Sample(answers =>
            {
                byte[] body = MeshShardOffer.WriteAnswer(answers);
                Assert.True(MeshShardOffer.TryParseAnswer(body, 0, body.Length, out var parsed));
                Assert.Equal(answers.Select(a => (a.Item1, a.Item2)), parsed.Select(p => (p.Id, p.Result)));
            });
        }

        [Fact]
        public void ArbitraryBytes_AreRefusedUnlessWellFormed_NeverThrow()
        {
            Gen.Byte.Array[0, 300].Sample(bytes =>
            {
                bool offer = bytes.Length >= 2 && bytes[0] == MeshPayloadKind.ShardOffer && bytes[1] is >= 1 and <= MeshShardOffer.MaxIds
                    && bytes.Length == 2 + (bytes[1] * 32);
                Assert.Equal(offer, MeshShardOffer.TryParse(bytes, 0, bytes.Length, out _));
                bool answer = bytes.Length >= 2 && bytes[0] == MeshPayloadKind.ShardOfferAnswer && bytes[1] is >= 1 and <= MeshShardOffer.MaxIds
                    && bytes.Length == 2 + (bytes[1] * 33) && Enumerable.Range(0, bytes[1]).All(i => bytes[2 + (i * 33) + 32] != 0);
                Assert.Equal(answer, MeshShardOffer.TryParseAnswer(bytes, 0, bytes.Length, out _));
            });
        }

        [Fact]
        public void TooManyIds_AreRefusedWhenWriting()
        {
            var ids = Enumerable.Range(0, MeshShardOffer.MaxIds + 1).Select(_ => new byte[32]).ToList();
            Assert.Throws<ArgumentOutOfRangeException>(() => MeshShardOffer.Write(ids));
            Assert.Throws<ArgumentOutOfRangeException>(() => MeshShardOffer.Write(new List<byte[]>()));
        }
    }
}
