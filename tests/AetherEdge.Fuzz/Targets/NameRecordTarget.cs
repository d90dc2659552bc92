using AetherEdge.HostNode.Shards;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// NameRecord.Parse behind a valid HMAC (a second name for stored content: manifest format 4, kept and synced
    /// like a manifest). Property: a record that parses serializes back to its bytes, and the unauthenticated
    /// reader (repair-index's structural check) agrees with it.
    /// </summary>
    public sealed class NameRecordTarget : FuzzTarget
    {
        public override string Name => "name-record";

        public override string Source => "name records on disk and in sync (signed)";

        public override byte[][] Seeds() =>
            ManifestSeeds.NameRecords().Select(m => m.AsSpan(0, m.Length - ShardLimits.HashBytes).ToArray()).ToArray();

        // The created time (37) and the sealed name's length (45).
        public override int[] LengthFieldOffsets(byte[] input) => new[] { 37, 45 };

        public override bool Execute(byte[] input)
        {
            byte[] signed = ManifestSeeds.Sign(input);
            var record = NameRecord.Parse(signed, ManifestSeeds.Key);
            FuzzPropertyException.Equal(signed, record.Serialize(ManifestSeeds.Key), "a parsed name record does not serialize back to its bytes");
            FuzzPropertyException.Check(NameRecord.ReadUnverified(signed)?.IdText == record.IdText, "the unauthenticated reader disagrees");
            return true;
        }

        public override bool IsDocumentedRejection(Exception e) => e is ShardException;
    }
}
