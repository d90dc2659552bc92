using AetherEdge.Core.Relay;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>ShardEnvelope.Parse (relayed shard payloads). Properties: IsShard agrees with Parse, and the shard starts inside the payload.</summary>
    public sealed class ShardEnvelopeTarget : FuzzTarget
    {
        public override string Name => "shard-envelope";

        public override string Source => "relayed shard payloads (network)";

        public override byte[][] Seeds()
        {
            var id = Enumerable.Range(0, ShardEnvelope.ContentIdBytes).Select(i => (byte)(i * 3)).ToArray();
            var shard = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
            var seeds = new List<byte[]>();
            foreach (int n in new[] { 1, 100 })
            {
                var envelope = new byte[ShardEnvelope.HeaderBytes + n];
                FuzzPropertyException.Check(ShardEnvelope.TryWrite(id, shard, 0, n, envelope, 0, out _), "envelope does not write");
                seeds.Add(envelope);
            }

            return seeds.ToArray();
        }

        public override bool Execute(byte[] input)
        {
            bool looksLikeShard = ShardEnvelope.IsShard(input, 0, input.Length);
            try
            {
                int at = ShardEnvelope.Parse(input, 0, input.Length);
                FuzzPropertyException.Check(looksLikeShard, "Parse accepts what IsShard refuses");
                FuzzPropertyException.Check(at == ShardEnvelope.HeaderBytes && at < input.Length, "shard starts at " + at + " in " + input.Length + " bytes");
                return true;
            }
            catch (AetherEdge.Core.Protocol.ProtocolViolationException)
            {
                FuzzPropertyException.Check(!looksLikeShard, "IsShard accepts what Parse refuses");
                throw;
            }
        }
    }
}
