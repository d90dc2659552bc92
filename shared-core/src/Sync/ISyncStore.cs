namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// What a sync session needs from local storage. Hashing is the store's job (the firmware may
    /// use a hardware SHA engine). Partial items survive a dropped connection so transfers resume.
    /// </summary>
    public interface ISyncStore
    {
        /// <summary>Every complete item held (shards and manifests).</summary>
        InventoryEntry[] ListItems();

        /// <summary>
        /// The inventory for a peer that holds version <paramref name="since"/> of it (0: none; protocol 3): unchanged
        /// (no entries, Since equal to Version), the changes since, or whole when <paramref name="since"/> is unknown
        /// here. Versions are positive and equal versions mean equal contents.
        /// </summary>
        InventoryChanges InventorySince(long since);

        /// <summary>Length of a complete item, or -1 when not held.</summary>
        long LengthOf(string id);

        /// <summary>SHA-256 of a complete item (32 bytes), or null when not held.</summary>
        byte[]? HashOf(string id);

        /// <summary>Reads up to <paramref name="count"/> bytes of a complete item at <paramref name="position"/>; returns bytes read.</summary>
        int Read(string id, long position, byte[] buffer, int offset, int count);

        /// <summary>Whole bytes of a complete manifest, or null.</summary>
        byte[]? ReadManifest(string id);

        /// <summary>Bytes already received of an incomplete item (0 when none).</summary>
        long PartialLength(string id);

        /// <summary>Drops an incomplete item.</summary>
        void DiscardPartial(string id);

        /// <summary>Appends to an incomplete item; <paramref name="position"/> equals PartialLength.</summary>
        void AppendPartial(string id, long position, byte[] data, int offset, int count);

        /// <summary>Verifies the partial item against <paramref name="hash"/> and makes it complete.</summary>
        AckStatus CompletePartial(string id, long totalLength, byte[] hash);

        /// <summary>Stores a received manifest.</summary>
        AckStatus StoreManifest(string id, byte[] data);

        /// <summary>Files removed here (tombstones), to tell protocol-2 peers.</summary>
        RemovalEntry[] ListRemovals();

        /// <summary>
        /// A peer removed a file: drop its manifest and the shards only it uses, and keep the tombstone so the
        /// file is never pulled again. Called for every entry a peer sends (already removed: nothing to do).
        /// </summary>
        void ApplyRemoval(string id, long removedAtMilliseconds);
    }

    /// <summary>The session's owner: decides what to pull and hears about results.</summary>
    public interface ISyncSessionHost
    {
        /// <summary>The peer's Hello arrived.</summary>
        void OnPeerHello(HelloFrame hello);

        /// <summary>
        /// The version of the peer's inventory this side holds from an earlier session (0: none). Asked once per
        /// session with a protocol-3 peer; the peer then sends only the changes since.
        /// </summary>
        long HeldPeerInventoryVersion();

        /// <summary>
        /// One part of the peer's inventory: whole (on the <paramref name="first"/> part forget what was held of
        /// it) or changes since <see cref="HeldPeerInventoryVersion"/>. Once the <paramref name="final"/> part
        /// arrived, the host holds the peer's inventory at <see cref="InventoryChanges.Version"/> (0: unversioned).
        /// Parts arrive as they are received; the session keeps none of them.
        /// </summary>
        void OnPeerInventory(InventoryChanges part, bool first, bool final);

        /// <summary>
        /// Ids to pull given the peer's inventory as the host now holds it. Called when the inventory is complete
        /// and again whenever all earlier wants finished; return an empty array when nothing more is wanted.
        /// </summary>
        string[] ChooseWants();

        /// <summary>An item this side pulled finished (Ok) or failed.</summary>
        void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes);

        /// <summary>The peer acknowledged an item this side served.</summary>
        void OnItemServed(string id, AckStatus status);

        /// <summary>Payload bytes received in chunks and manifests (for metrics).</summary>
        void OnBytesReceived(long bytes);
    }
}
