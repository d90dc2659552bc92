namespace AetherEdge.Core.Sync
{
    /// <summary>Every bound of the sync protocol, in one place (wire format: README.md).</summary>
    public static class SyncLimits
    {
        /// <summary>First byte of every frame.</summary>
        public const byte Magic = 0xAE;

        /// <summary>Frame layout version carried in every frame header (unchanged by protocol 2: new frame types only).</summary>
        public const byte Version = 1;

        /// <summary>
        /// Conversation version this side speaks (Hello's first byte). 2 adds KeepAlive and Removed frames, 3 inventory
        /// versions (InventoryHeld, InventoryDelta instead of Inventory); a peer's
        /// newer-only frames are sent only to peers whose Hello carries at least their version.
        /// </summary>
        public const int ProtocolVersion = 3;

        /// <summary>Oldest peer protocol accepted; older ones are refused with Error 2 (unsupported version).</summary>
        public const int MinProtocolVersion = 1;

        /// <summary>First protocol version with KeepAlive frames.</summary>
        public const int KeepAliveSinceVersion = 2;

        /// <summary>First protocol version with Removed frames (tombstones travel).</summary>
        public const int RemovalsSinceVersion = 2;

        /// <summary>
        /// First protocol version with inventory versions: each side says which version of the other's inventory it
        /// holds and gets only the changes since (InventoryHeld, InventoryDelta). Used when both Hellos say 3 or more.
        /// </summary>
        public const int InventoryVersionsSinceVersion = 3;

        /// <summary>
        /// Inventory entries accepted per session with inventory versions (all InventoryDelta parts together): a whole
        /// inventory of 100,000 files of 16 items is 1.6 M; the receiver hands each part on, it does not collect them.
        /// </summary>
        public const int MaxPeerInventoryEntries = 1 << 22;

        /// <summary>Entries per Removed frame; more removals span several frames.</summary>
        public const int MaxRemovalEntriesPerFrame = 1024;

        /// <summary>Removal entries accepted per session (all frames together).</summary>
        public const int MaxRemovalEntries = 1 << 20;

        /// <summary>Bytes of the fixed frame header (magic, version, type, flags, length, timestamp, nonce).</summary>
        public const int HeaderBytes = 24;

        /// <summary>Largest frame, header included.</summary>
        public const int MaxFrameBytes = 1024 * 1024;

        /// <summary>Largest payload.</summary>
        public const int MaxPayloadBytes = MaxFrameBytes - HeaderBytes;

        /// <summary>Largest data block in one ShardChunk frame.</summary>
        public const int MaxChunkBytes = 512 * 1024;

        /// <summary>Chunk size the hub sends by default (several TLS records, few frames).</summary>
        public const int DefaultChunkBytes = 256 * 1024;

        /// <summary>Largest manifest carried in one Manifest frame.</summary>
        public const int MaxManifestBytes = 512 * 1024;

        /// <summary>Inventory entries per Inventory frame; larger sets span several frames.</summary>
        public const int MaxInventoryEntriesPerFrame = 1024;

        /// <summary>Inventory entries per session (all frames together).</summary>
        public const int MaxInventoryEntries = 1 << 20;

        /// <summary>Entries per Want frame.</summary>
        public const int MaxWantEntriesPerFrame = 256;

        /// <summary>Items requested and not yet finished at any moment.</summary>
        public const int MaxWantsInFlight = 64;

        /// <summary>Longest item (shard/manifest) id, ASCII.</summary>
        public const int MaxItemIdLength = 128;

        /// <summary>Longest device name in Hello, UTF-8 bytes.</summary>
        public const int MaxNameBytes = 64;

        /// <summary>Longest Error message, UTF-8 bytes.</summary>
        public const int MaxErrorMessageBytes = 200;

        /// <summary>Bytes of an item hash (SHA-256).</summary>
        public const int HashBytes = 32;

        /// <summary>Frames whose timestamp differs from local time by more than this are rejected as stale/future.</summary>
        public const long MaxClockSkewMilliseconds = 120 * 1000L;

        /// <summary>Nonces remembered per peer by default (hub); the firmware may pass less.</summary>
        public const int DefaultReplayCapacity = 1 << 16;
    }
}
