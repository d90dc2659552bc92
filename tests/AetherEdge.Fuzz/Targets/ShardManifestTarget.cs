using AetherEdge.HostNode.Shards;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// ShardManifest.Parse behind a valid HMAC: the input is a manifest body that gets signed with the user's
    /// manifest key before parsing, so mutation reaches the field checks (what a device holding the key, buggy
    /// or hostile, could send or leave on disk). Property: a manifest that parses serializes back to its bytes.
    /// The unsigned path (every mutation fails authentication first) is the manifest-layout target's input.
    /// </summary>
    public sealed class ShardManifestTarget : FuzzTarget
    {
        public override string Name => "shard-manifest";

        public override string Source => "manifests on disk and in sync (signed)";

        public override byte[][] Seeds() =>
            ManifestSeeds.Serialized().Select(m => m.AsSpan(0, m.Length - ShardLimits.HashBytes).ToArray()).ToArray();

        // Size (21), segment (29), k and n (33, 34).
        public override int[] LengthFieldOffsets(byte[] input) => new[] { 21, 25, 29, 33, 34 };

        public override bool Execute(byte[] input)
        {
            byte[] signed = ManifestSeeds.Sign(input);
            var manifest = ShardManifest.Parse(signed, ManifestSeeds.Key);
            FuzzPropertyException.Equal(signed, manifest.Serialize(ManifestSeeds.Key), "a parsed manifest does not serialize back to its bytes");
            return true;
        }

        public override bool IsDocumentedRejection(Exception e) => e is ShardException;
    }
}
