namespace AetherEdge.Core.Sync
{
    /// <summary>Frame type byte.</summary>
    public enum SyncFrameType
    {
        /// <summary>Protocol version and device profile; first frame each way.</summary>
        Hello = 1,

        /// <summary>Items the sender holds (chunked; the last frame has the Final flag).</summary>
        Inventory = 2,

        /// <summary>Items the sender asks for, each with the offset to resume from.</summary>
        Want = 3,

        /// <summary>Answer to a Want: held or not, total length and SHA-256.</summary>
        Have = 4,

        /// <summary>A block of an item's bytes.</summary>
        ShardChunk = 5,

        /// <summary>Receiver's verdict on a completed item.</summary>
        Ack = 6,

        /// <summary>A whole manifest.</summary>
        Manifest = 7,

        /// <summary>The sender is giving up the session, with a reason.</summary>
        Error = 8,

        /// <summary>The sender wants nothing more.</summary>
        Done = 9,

        /// <summary>
        /// Nothing to say yet, still here (protocol 2): sent when the sender wrote nothing for a while so the
        /// peer's idle timeout tells a quiet session from a dead one. Only to peers whose Hello says 2 or more.
        /// </summary>
        KeepAlive = 10,

        /// <summary>Files the sender removed (tombstones), protocol 2; only to peers whose Hello says 2 or more.</summary>
        Removed = 11,

        /// <summary>Which version of the receiver's inventory the sender holds (protocol 3; 12 is the push link's).</summary>
        InventoryHeld = 13,

        /// <summary>A part of the sender's inventory, whole or as changes since the version the peer holds (protocol 3).</summary>
        InventoryDelta = 14,

        /// <summary>
        /// A shard streamed on a push link (ALPN aether-push/1) under a provisional id is complete, with its SHA-256;
        /// never part of a sync conversation (a session refuses it).
        /// </summary>
        Pushed = 12,

        /// <summary>
        /// One mesh packet (routing header + payload) between neighbours on a mesh link; never part of a
        /// sync conversation (a session refuses it). Numbered apart from the conversation's types.
        /// </summary>
        Routed = 32,
    }
}
