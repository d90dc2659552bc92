using AetherEdge.Core.Sync;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>What the hub's sync policy needs beyond the protocol's store view.</summary>
    public interface IHubStore : ISyncStore
    {
        bool HasShard(string id);

        bool HasManifest(string id);

        IReadOnlyList<string> ManifestIds();

        long UsedBytes { get; }

        string PartialDir { get; }

        void ClosePartials();
    }
}
