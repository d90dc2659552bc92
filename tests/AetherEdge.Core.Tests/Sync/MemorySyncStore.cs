using System.Security.Cryptography;
using AetherEdge.Core.Sync;

namespace AetherEdge.Core.Tests.Sync
{
    /// <summary>An in-memory ISyncStore for session tests (SHA-256 from the BCL).</summary>
    internal sealed class MemorySyncStore : ISyncStore
    {
        public Dictionary<string, byte[]> Shards { get; } = new Dictionary<string, byte[]>();

        public Dictionary<string, byte[]> Manifests { get; } = new Dictionary<string, byte[]>();

        public Dictionary<string, List<byte>> Partials { get; } = new Dictionary<string, List<byte>>();

        public InventoryEntry[] ListItems() =>
            Manifests.Select(m => new InventoryEntry(SyncItemKind.Manifest, m.Key, m.Value.Length))
                .Concat(Shards.Select(s => new InventoryEntry(SyncItemKind.Shard, s.Key, s.Value.Length)))
                .ToArray();

        private readonly Dictionary<long, Dictionary<string, InventoryEntry>> _versions = new Dictionary<long, Dictionary<string, InventoryEntry>>();

        /// <summary>Versions by content (equal contents, equal version), changes by comparing with the contents seen at that version.</summary>
        public InventoryChanges InventorySince(long since)
        {
            var now = ListItems().ToDictionary(e => e.Id, StringComparer.Ordinal);
            long version = 1;
            foreach (var e in now.Values.OrderBy(e => e.Id, StringComparer.Ordinal))
            {
                version = unchecked((version * 1_000_003) ^ e.Id.GetHashCode(StringComparison.Ordinal) ^ e.Length);
            }

            version = (version & long.MaxValue) | 1;
            _versions[version] = now;
            if (!_versions.TryGetValue(since, out var before))
            {
                return InventoryChanges.WholeAt(version, now.Values.ToArray());
            }

            var present = now.Values.Where(e => !before.TryGetValue(e.Id, out var b) || b.Length != e.Length || b.Kind != e.Kind).ToArray();
            var gone = before.Keys.Where(id => !now.ContainsKey(id)).ToArray();
            return new InventoryChanges(version, false, since, present, gone);
        }

        public long LengthOf(string id) => Shards.TryGetValue(id, out var d) ? d.Length : -1;

        public byte[]? HashOf(string id) => Shards.TryGetValue(id, out var d) ? SHA256.HashData(d) : null;

        public int Read(string id, long position, byte[] buffer, int offset, int count)
        {
            var d = Shards[id];
            int n = (int)System.Math.Min(count, d.Length - position);
            System.Array.Copy(d, position, buffer, offset, n);
            return n;
        }

        public byte[]? ReadManifest(string id) => Manifests.TryGetValue(id, out var d) ? d : null;

        public long PartialLength(string id) => Partials.TryGetValue(id, out var p) ? p.Count : 0;

        public void DiscardPartial(string id) => Partials.Remove(id);

        public void AppendPartial(string id, long position, byte[] data, int offset, int count)
        {
            if (!Partials.TryGetValue(id, out var p))
            {
                Partials[id] = p = new List<byte>();
            }

            Assert.Equal(p.Count, position);
            p.AddRange(data.Skip(offset).Take(count));
        }

        public AckStatus CompletePartial(string id, long totalLength, byte[] hash)
        {
            byte[] data = Partials.TryGetValue(id, out var p) ? p.ToArray() : new byte[0];
            Partials.Remove(id);
            if (data.Length != totalLength || !SHA256.HashData(data).SequenceEqual(hash))
            {
                return AckStatus.BadHash;
            }

            Shards[id] = data;
            return AckStatus.Ok;
        }

        public AckStatus StoreManifest(string id, byte[] data)
        {
            if (Removals.ContainsKey(id))
            {
                return AckStatus.StoreError;
            }

            Manifests[id] = data;
            return AckStatus.Ok;
        }

        public Dictionary<string, long> Removals { get; } = new Dictionary<string, long>();

        public RemovalEntry[] ListRemovals() => Removals.Select(r => new RemovalEntry(r.Key, r.Value)).ToArray();

        public void ApplyRemoval(string id, long removedAtMilliseconds)
        {
            Manifests.Remove(id);
            Removals[id] = Removals.TryGetValue(id, out long t) ? Math.Max(t, removedAtMilliseconds) : removedAtMilliseconds;
        }
    }

    /// <summary>Pulls every item the peer has and the local store lacks; records events.</summary>
    internal sealed class PullAllHost : ISyncSessionHost
    {
        private readonly MemorySyncStore _store;

        public PullAllHost(MemorySyncStore store)
        {
            _store = store;
        }

        public HelloFrame? Peer { get; private set; }

        public List<(string Id, AckStatus Status)> Received { get; } = new List<(string, AckStatus)>();

        public List<(string Id, AckStatus Status)> Served { get; } = new List<(string, AckStatus)>();

        public long Bytes { get; private set; }

        public System.Func<InventoryEntry, bool> Filter { get; set; } = _ => true;

        public void OnPeerHello(HelloFrame hello) => Peer = hello;

        private readonly Dictionary<string, InventoryEntry> _offered = new Dictionary<string, InventoryEntry>(StringComparer.Ordinal);
        private long _offeredVersion;

        /// <summary>Entries of the peer's inventories received (whole and deltas), to count what a session exchanged.</summary>
        public long EntriesHeard { get; private set; }

        /// <summary>Ids in the peer's inventory as this host holds it.</summary>
        public ICollection<string> Offered => _offered.Keys;

        /// <summary>Keeps the peer's inventory across sessions (one peer per host), like the hub.</summary>
        public bool KeepInventory { get; set; } = true;

        public long HeldPeerInventoryVersion() => KeepInventory ? _offeredVersion : 0;

        public void OnPeerInventory(InventoryChanges part, bool first, bool final)
        {
            EntriesHeard += part.Count;
            if (first)
            {
                _offeredVersion = 0;
                if (part.Whole)
                {
                    _offered.Clear();
                }
            }

            foreach (var e in part.Present)
            {
                _offered[e.Id] = e;
            }

            foreach (string id in part.Gone)
            {
                _offered.Remove(id);
            }

            if (final)
            {
                _offeredVersion = part.Version;
            }
        }

        public string[] ChooseWants() =>
            _offered.Values.OrderBy(e => e.Kind == SyncItemKind.Manifest ? 0 : 1).ThenBy(e => e.Id, StringComparer.Ordinal).Where(e => Filter(e) && !_store.Shards.ContainsKey(e.Id) && !_store.Manifests.ContainsKey(e.Id))
                .Select(e => e.Id).ToArray();

        public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes) => Received.Add((id, status));

        public void OnItemServed(string id, AckStatus status) => Served.Add((id, status));

        public void OnBytesReceived(long bytes) => Bytes += bytes;
    }

    /// <summary>Deterministic IRandomSource.</summary>
    internal sealed class SeededRandom : AetherEdge.Core.Abstractions.IRandomSource
    {
        private readonly System.Random _r;

        public SeededRandom(int seed)
        {
            _r = new System.Random(seed);
        }

        public int Next(int maxExclusive) => _r.Next(maxExclusive);

        public void NextBytes(byte[] buffer) => _r.NextBytes(buffer);
    }
}
