using AetherEdge.Core.Sync;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>A node's content as the sync protocol, the hub's session policy and placement see it.</summary>
    public interface INodeStore : ISyncStore
    {
        bool HasShard(string id);

        bool HasManifest(string id);

        IReadOnlyList<string> ManifestIds();

        long UsedBytes { get; }

        string PartialDir { get; }

        void ClosePartials();
    }
}
