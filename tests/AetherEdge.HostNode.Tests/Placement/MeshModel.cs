using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Tests.Placement
{
    /// <summary>A store that only knows which shards and manifests it holds (placement needs no bytes).</summary>
    internal sealed class FakeNodeStore : INodeStore
    {
        private readonly Func<string, bool> _has;
        private readonly Dictionary<string, byte[]> _manifests;

        public FakeNodeStore(Func<string, bool> has, Dictionary<string, byte[]> manifests)
        {
            _has = has;
            _manifests = manifests;
        }

        private int _usedBytesReads;
        private int _manifestListings;

        /// <summary>Reads of <see cref="UsedBytes"/> (a SQL SUM in the real store).</summary>
        public int UsedBytesReads => Volatile.Read(ref _usedBytesReads);

        /// <summary>Calls of <see cref="ManifestIds"/> (a SQL listing in the real store).</summary>
        public int ManifestListings => Volatile.Read(ref _manifestListings);

        public long UsedBytes
        {
            get
            {
                Interlocked.Increment(ref _usedBytesReads);
                return 0;
            }
        }

        public string PartialDir => throw new NotSupportedException();

        private long _version;

        /// <summary>Unversioned: a new number on every read, so nothing is ever taken as unchanged.</summary>
        public long Version => Interlocked.Increment(ref _version);

        public long ChangeCursor => Interlocked.Increment(ref _version);

        public IReadOnlyList<string>? ChangedSince(long cursor) => null;


        public bool HasShard(string id) => _has(id);

        public bool HasManifest(string id) => _manifests.ContainsKey(id);

        public IReadOnlyList<string> ManifestIds()
        {
            Interlocked.Increment(ref _manifestListings);
            return _manifests.Keys.ToList();
        }

        public byte[]? ReadManifest(string id) => _manifests.TryGetValue(id, out var b) ? b : null;

        public void ClosePartials()
        {
        }

        public void PeerRefused(string id)
        {
        }

        public InventoryEntry[] ListItems() => throw new NotSupportedException();

        public InventoryChanges InventorySince(long since) => throw new NotSupportedException();

        public long LengthOf(string id) => throw new NotSupportedException();

        public byte[]? HashOf(string id) => throw new NotSupportedException();

        public int Read(string id, long position, byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public long PartialLength(string id) => throw new NotSupportedException();

        public void DiscardPartial(string id) => throw new NotSupportedException();

        public void AppendPartial(string id, long position, byte[] data, int offset, int count) => throw new NotSupportedException();

        public AckStatus CompletePartial(string id, long totalLength, byte[] hash) => throw new NotSupportedException();

        public AckStatus StoreManifest(string id, byte[] data) => throw new NotSupportedException();

        public RemovalEntry[] ListRemovals() => Array.Empty<RemovalEntry>();

        public void ApplyRemoval(string id, long removedAtMilliseconds) => throw new NotSupportedException();
    }

    /// <summary>
    /// Devices, one file and who holds which of its shards, as every node would learn it (own store +
    /// peers' inventories). Builds a real <see cref="PlacementOracle"/> for any device.
    /// </summary>
    internal sealed class MeshModel
    {
        public const long FileBytes = 40L << 20;

        public MeshModel(int totalShards, int dataShards, int seed)
        {
            var rng = new Random(seed);
            byte[] fileId = new byte[ShardLimits.FileIdBytes];
            rng.NextBytes(fileId);
            ShardIds = Enumerable.Range(0, totalShards).Select(_ =>
            {
                var h = new byte[32];
                rng.NextBytes(h);
                return Convert.ToHexStringLower(h);
            }).ToArray();
            var manifest = new ShardManifest(fileId, FileBytes, ShardLimits.DefaultSegmentBytes, dataShards, totalShards, DateTimeOffset.UnixEpoch, new byte[ShardLimits.WrappedKeyBytes], ShardIds);
            FileId = manifest.FileIdText;
            Manifests[FileId] = manifest.Serialize(new byte[32]);
            Rng = rng;
        }

        public Random Rng { get; }

        public string FileId { get; }

        public string[] ShardIds { get; }

        public Dictionary<string, byte[]> Manifests { get; } = new(StringComparer.Ordinal);

        /// <summary>Online devices (all trusted).</summary>
        public List<(DeviceId Id, DeviceProfile Profile)> Devices { get; } = new();

        public Dictionary<DeviceId, HashSet<string>> Held { get; } = new();

        public DeviceId Add(DeviceKind kind, long allocationBytes)
        {
            var id = DeviceId.FromPublicKeyInfo(RandomBytes(64));
            Devices.Add((id, LocalDevice.ProfileFor(id.Text, kind, allocationBytes, 0, BatteryStatus.Mains, true)));
            Held[id] = new HashSet<string>(StringComparer.Ordinal);
            return id;
        }

        public void Remove(DeviceId id) => Devices.RemoveAll(d => d.Id == id);

        public DeviceId IdOf(string text) => Devices.Single(d => d.Id.Text == text).Id;

        /// <summary>The oracle of <paramref name="self"/>, knowing exactly what every online device holds.</summary>
        public PlacementOracle OracleOf(DeviceId self) => OracleOf(self, Held[self].Contains, peer => Held[peer]);

        /// <summary>The oracle of <paramref name="self"/> over a store answering <paramref name="has"/> and peers holding <paramref name="peerHolds"/>.</summary>
        public PlacementOracle OracleOf(DeviceId self, Func<string, bool> has, Func<DeviceId, IEnumerable<string>> peerHolds) =>
            OracleOf(self, new FakeNodeStore(has, Manifests), peerHolds);

        public PlacementOracle OracleOf(DeviceId self, FakeNodeStore store, Func<DeviceId, IEnumerable<string>> peerHolds)
        {
            var me = Devices.Single(d => d.Id == self);
            var peers = new PeerKnowledge(_ => true, PeerKnowledge.DefaultOnlineWindow);
            foreach (var d in Devices.Where(d => d.Id != self))
            {
                peers.Heard(d.Id, d.Profile);
                peers.Inventory(d.Id, peerHolds(d.Id));
            }

            return new PlacementOracle(store, peers, new LocalDevice(self, "self", me.Profile.Kind, me.Profile.AllocationBytes));
        }

        /// <summary>Every shard held by its only holder (null: nobody), for the planner's own minimal-movement overload.</summary>
        public string?[] SingleHolders() => ShardIds.Select(s => Devices.Where(d => Held[d.Id].Contains(s)).Select(d => d.Id.Text).SingleOrDefault()).ToArray();

        public DeviceProfile[] PlanningDevices() =>
            Devices.Select(d => PlacementOracle.ForPlanning(d.Profile)).OrderBy(p => p.Id, StringComparer.Ordinal).ToArray();

        private byte[] RandomBytes(int n)
        {
            var b = new byte[n];
            Rng.NextBytes(b);
            return b;
        }
    }
}
