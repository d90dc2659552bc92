using AetherEdge.HostNode.Shards;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// ShardManifest.ReadUnverified: the hub reads placement fields of manifests it cannot authenticate (other users'
    /// files, received in sync), so any bytes reach it. Rejection is a null result; any exception is a crash.
    /// Properties: the layout matches the manifest's own fields, and when the same bytes also authenticate,
    /// ShardManifest.Parse agrees with it.
    /// </summary>
    public sealed class ManifestLayoutTarget : FuzzTarget
    {
        public override string Name => "manifest-layout";

        public override string Source => "manifests from peers, unauthenticated (network, disk)";

        public override byte[][] Seeds() => ManifestSeeds.Serialized();

        public override int[] LengthFieldOffsets(byte[] input) => new[] { 21, 25, 29, 33, 34 };

        public override bool Execute(byte[] input)
        {
            var layout = ShardManifest.ReadUnverified(input);
            ShardManifest? manifest = null;
            try
            {
                manifest = ShardManifest.Parse(input, ManifestSeeds.Key);
            }
            catch (ShardException)
            {
            }

            if (layout == null)
            {
                FuzzPropertyException.Check(manifest == null, "ShardManifest.Parse accepts a manifest ReadUnverified refuses");
                return false;
            }

            FuzzPropertyException.Check(layout.TotalShards == input[34] && layout.DataShards == input[33], "layout k/n differ from the bytes");
            FuzzPropertyException.Check(layout.ShardIds.All(id => id.Length == 2 * ShardLimits.HashBytes), "a shard id is not 64 hex digits");
            if (manifest != null)
            {
                FuzzPropertyException.Check(layout.ShardIds.SequenceEqual(manifest.ShardIds) && layout.FileId.AsEnumerable().SequenceEqual(manifest.FileId), "layout and manifest disagree");
            }

            return true;
        }

        public override bool IsDocumentedRejection(Exception e) => false;
    }
}
