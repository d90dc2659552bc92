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

        /// <summary>Grows with every change to what is held (the inventory version; one cheap store call).</summary>
        long Version { get; }

        /// <summary>Position of the change log (no store call).</summary>
        long ChangeCursor { get; }

        /// <summary>Shard and manifest ids added or removed since <paramref name="cursor"/>, or null when unknown (then assume everything changed).</summary>
        IReadOnlyList<string>? ChangedSince(long cursor);

        string PartialDir { get; }

        void ClosePartials();

        /// <summary>A peer found a shard served from here did not hash to its id: check it (quarantine a corrupt copy).</summary>
        void PeerRefused(string id);
    }
}
