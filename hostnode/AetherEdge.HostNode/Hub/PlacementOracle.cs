using System.Collections.Concurrent;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Placement drives the sync: for the file a shard belongs to (found through the manifests this
    /// node holds), plan the file's N shards over the online devices — this node plus every trusted
    /// (still in the circle) peer whose Hello arrived within <see cref="OnlineWindow"/> — and pull the shard only if the
    /// plan assigns it here. Devices are sorted by ID and planned by allocation (used bytes set to
    /// 0), so every node computes the same plan from the same Hellos. Shards of files whose manifest
    /// is not here yet are not pulled (the manifest comes first, then the next round pulls).
    /// </summary>
    public sealed class PlacementOracle : IPlacementOracle
    {
        public static readonly TimeSpan OnlineWindow = TimeSpan.FromMinutes(3);

        private readonly IHubStore _store;
        private readonly Func<DeviceId, bool> _trusted;
        private readonly Func<DeviceProfile> _local;
        private readonly ConcurrentDictionary<DeviceId, (DeviceProfile Profile, long SeenMs)> _peers;
        private readonly ConcurrentDictionary<string, ManifestLayout?> _layouts = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, (string Manifest, int Index)> _fileOf = new(StringComparer.Ordinal);

        public PlacementOracle(IHubStore store, Func<DeviceProfile> local, ConcurrentDictionary<DeviceId, (DeviceProfile Profile, long SeenMs)> peers, Func<DeviceId, bool> trusted)
        {
            _trusted = trusted;
            _store = store;
            _local = local;
            _peers = peers;
        }

        /// <summary>The devices a plan is made over, sorted by ID.</summary>
        public DeviceProfile[] Devices()
        {
            long now = Environment.TickCount64;
            var list = new List<DeviceProfile> { ForPlanning(_local()) };
            foreach (var kv in _peers)
            {
                // A device removed from the circle drops out of every plan at once.
                if (now - kv.Value.SeenMs <= OnlineWindow.TotalMilliseconds && _trusted(kv.Key))
                {
                    list.Add(ForPlanning(kv.Value.Profile));
                }
            }

            return list.OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
        }

        /// <summary>The device ID the plan assigns each shard of <paramref name="manifestId"/> to (null: unplaced), or null without a manifest.</summary>
        public string?[]? Assignment(string manifestId, long shardBytes)
        {
            var layout = Layout(manifestId);
            if (layout == null || shardBytes <= 0)
            {
                return null;
            }

            var plan = PlacementPlanner.Plan(Devices(), layout.ShardIds.Length, shardBytes, layout.DataShards);
            return plan.HolderIds();
        }

        public bool ShouldPull(InventoryEntry shard, DeviceId peer) => AssignedHolder(shard.Id, shard.Length) == _local().Id;

        /// <summary>The device ID the current plan assigns <paramref name="shardId"/> to; null when unknown or unplaced.</summary>
        public string? AssignedHolder(string shardId, long shardBytes)
        {
            var shard = new { Id = shardId, Length = shardBytes };
            if (!_fileOf.TryGetValue(shard.Id, out var found))
            {
                foreach (string m in _store.ManifestIds())
                {
                    var layout = Layout(m);
                    for (int i = 0; layout != null && i < layout.ShardIds.Length; i++)
                    {
                        _fileOf.TryAdd(layout.ShardIds[i], (m, i));
                    }
                }

                if (!_fileOf.TryGetValue(shard.Id, out found))
                {
                    return null;
                }
            }

            var holders = Assignment(found.Manifest, shard.Length);
            return holders?[found.Index];
        }

        private ManifestLayout? Layout(string manifestId) =>
            _layouts.GetOrAdd(manifestId, id => _store.ReadManifest(id) is { } body ? ManifestLayout.TryRead(body) : null);

        /// <summary>A profile as plans see it: allocation counts, current usage does not (keeps plans equal on every node).</summary>
        public static DeviceProfile ForPlanning(DeviceProfile p) =>
            new(p.Id, p.Kind, p.AllocationBytes, 0, p.AlwaysOn, p.Battery, p.WifiOnly, p.WifiConnected);
    }
}
