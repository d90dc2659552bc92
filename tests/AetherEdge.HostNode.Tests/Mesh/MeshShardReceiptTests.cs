using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Mesh;
using CsCheck;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>The receipt body (kind 7): written receipts read back; any other bytes are refused, never thrown on.</summary>
    public sealed class MeshShardReceiptTests
    {
        [Fact]
        public void WrittenReceipt_ParsesBackToItsIdAndResult()
        {
            Gen.Select(Gen.Byte.Array[32], Gen.Byte[1, 255]).Sample((id, result) =>
            {
                byte[] body = MeshShardReceipt.Write(id, result);
                Assert.True(MeshShardReceipt.TryParse(body, 0, body.Length, out var parsedId, out byte parsed));
                Assert.Equal(id, parsedId);
                Assert.Equal(result, parsed);
            });
        }

        [Fact]
        public void ArbitraryBytes_AreRefusedUnlessTheyAreAReceipt_NeverThrow()
        {
            Gen.Byte.Array[0, 80].Sample(bytes =>
            {
                bool isReceipt = bytes.Length == MeshShardReceipt.Bytes && bytes[0] == MeshPayloadKind.ShardReceipt && bytes[^1] != 0;
                Assert.Equal(isReceipt, MeshShardReceipt.TryParse(bytes, 0, bytes.Length, out _, out _));
            });
        }
    }
}
