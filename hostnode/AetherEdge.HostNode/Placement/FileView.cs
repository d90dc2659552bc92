using AetherEdge.HostNode.Shards;

namespace AetherEdge.HostNode.Placement
{
    /// <summary>What one node knows of one file: its layout, the plan, and where its shards are.</summary>
    public sealed class FileView
    {
        public FileView(ShardManifest layout, string?[] assigned, bool[] local, bool[] offered, bool inventoriesKnown)
        {
            Layout = layout;
            Assigned = assigned;
            Local = local;
            Offered = offered;
            InventoriesKnown = inventoriesKnown;
        }

        /// <summary>False while an online peer's inventory has not arrived yet (what it holds is unknown).</summary>
        public bool InventoriesKnown { get; }

        /// <summary>The file's manifest, read without its HMAC (never used to decrypt).</summary>
        public ShardManifest Layout { get; }

        /// <summary>Device ID the plan assigns each shard index to (null: unplaced).</summary>
        public string?[] Assigned { get; }

        /// <summary>Shard index held in this node's store.</summary>
        public bool[] Local { get; }

        /// <summary>Shard index held (per its last inventory) by an online trusted peer in the plan.</summary>
        public bool[] Offered { get; }
    }
}
