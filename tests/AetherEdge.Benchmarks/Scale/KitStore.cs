using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.Benchmarks.Scale
{
    /// <summary>What placement reads of a hub's store, in memory: manifests and the shard ids held; nothing changes.</summary>
    internal sealed class KitStore : INodeStore
    {
        private readonly Dictionary<string, byte[]> _manifests;
        private readonly HashSet<string> _held;

        public KitStore(Dictionary<string, byte[]> manifests, HashSet<string> held)
        {
            _manifests = manifests;
            _held = held;
        }

        public long UsedBytes => 0;

        public long Version => 1;

        public long ChangeCursor => 1;

        public string PartialDir => throw new NotSupportedException();

        public IReadOnlyList<string>? ChangedSince(long cursor) => Array.Empty<string>();

        public bool HasShard(string id) => _held.Contains(id);

        public bool HasManifest(string id) => _manifests.ContainsKey(id);

        public IReadOnlyList<string> ManifestIds() => _manifests.Keys.ToList();

        public byte[]? ReadManifest(string id) => _manifests.TryGetValue(id, out var b) ? b : null;

        public void ClosePartials()
        {
        }

        public void PeerRefused(string id)
        {
        }

        public InventoryEntry[] ListItems() => throw new NotSupportedException();

        public InventoryChanges InventorySince(long since) => throw new NotSupportedException();

        public long LengthOf(string id) => -1;

        public byte[]? HashOf(string id) => null;

        public int Read(string id, long position, byte[] buffer, int offset, int count) => 0;

        public long PartialLength(string id) => 0;

        public void DiscardPartial(string id)
        {
        }

        public void AppendPartial(string id, long position, byte[] data, int offset, int count) => throw new NotSupportedException();

        public AckStatus CompletePartial(string id, long totalLength, byte[] hash) => throw new NotSupportedException();

        public AckStatus StoreManifest(string id, byte[] data) => throw new NotSupportedException();

        public RemovalEntry[] ListRemovals() => Array.Empty<RemovalEntry>();

        public void ApplyRemoval(string id, long removedAtMilliseconds) => throw new NotSupportedException();
    }

    /// <summary>A store that only lists a fixed inventory (whole, version 1) and serves nothing.</summary>
    internal sealed class InventoryOnly : ISyncStore
    {
        private readonly InventoryEntry[] _items;

        public InventoryOnly(InventoryEntry[] items)
        {
            _items = items;
        }

        public InventoryEntry[] ListItems() => _items;

        public InventoryChanges InventorySince(long since) => InventoryChanges.WholeAt(1, _items);

        public long LengthOf(string id) => -1;

        public byte[]? HashOf(string id) => null;

        public int Read(string id, long position, byte[] buffer, int offset, int count) => 0;

        public byte[]? ReadManifest(string id) => null;

        public long PartialLength(string id) => 0;

        public void DiscardPartial(string id)
        {
        }

        public void AppendPartial(string id, long position, byte[] data, int offset, int count) => throw new NotSupportedException();

        public AckStatus CompletePartial(string id, long totalLength, byte[] hash) => throw new NotSupportedException();

        public AckStatus StoreManifest(string id, byte[] data) => throw new NotSupportedException();

        public RemovalEntry[] ListRemovals() => Array.Empty<RemovalEntry>();

        public void ApplyRemoval(string id, long removedAtMilliseconds)
        {
        }
    }
}
