using AetherEdge.HostNode.Shards;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// ShardHeader.Matches: the 24 bytes read from the start of every stored or received shard before a rebuild
    /// or a read. Property: it accepts exactly the header ShardHeader.Create makes for that file and index.
    /// </summary>
    public sealed class ShardHeaderTarget : FuzzTarget
    {
        private static readonly byte[] s_fileId = Enumerable.Range(0, ShardLimits.FileIdBytes).Select(i => (byte)(i * 5)).ToArray();

        public override string Name => "shard-header";

        public override string Source => "shard files on disk and in sync";

        public override byte[][] Seeds() => new[] { ShardHeader.Create(s_fileId, 3, 10, 15), ShardHeader.Create(s_fileId, 0, 1, 1) };

        public override bool Execute(byte[] input)
        {
            int k = input.Length > 22 ? input[22] : 10;
            int n = input.Length > 23 ? input[23] : 15;
            int index = input.Length > 21 ? input[21] : 3;
            bool matches = ShardHeader.Matches(input, s_fileId, index, k, n);
            bool expected = input.AsSpan().SequenceEqual(ShardHeader.Create(s_fileId, index, k, n));
            FuzzPropertyException.Check(matches == expected, "Matches says " + matches + " for " + Convert.ToHexString(input));
            return matches;
        }

        public override bool IsDocumentedRejection(Exception e) => false;
    }
}
