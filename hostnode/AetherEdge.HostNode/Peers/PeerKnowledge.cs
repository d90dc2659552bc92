using System.Collections.Concurrent;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Peers
{
    /// <summary>
    /// What this node learnt of each peer in sync sessions: its last Hello (as a profile for plans),
    /// when that arrived, and which shards it holds (its last inventory plus what it acknowledged since).
    /// Only peers that passed the trusted TLS handshake get here, so its size is bounded by the trust
    /// circle. A peer counts as online while its last Hello is younger than the online window and it is
    /// still trusted (a device removed from the circle drops out of every plan at once). Thread-safe:
    /// one session per peer writes while planning reads.
    /// </summary>
    public sealed partial class PeerKnowledge
    {
        public static readonly TimeSpan DefaultOnlineWindow = TimeSpan.FromMinutes(3);

        private readonly Func<DeviceId, bool> _trusted;
        private readonly TimeSpan _onlineWindow;
        private readonly TimeProvider _clock;
        private readonly ConcurrentDictionary<DeviceId, (DeviceProfile Profile, long Seen)> _profiles = new();
        private readonly ConcurrentDictionary<DeviceId, HeldShards> _holds = new();

        // Per peer: shards added to _holds by an acknowledgement, not (yet) by an inventory.
        private readonly ConcurrentDictionary<DeviceId, ConcurrentDictionary<string, bool>> _provisional = new();
        private readonly ConcurrentDictionary<DeviceId, int> _hops = new();
        private readonly ConcurrentDictionary<DeviceId, long> _inventoryVersions = new();
        private readonly ConcurrentDictionary<DeviceId, DateTimeOffset> _inventoryAt = new();
        private readonly ChangeLog _changes = new(ChangeLogCapacity);
        private long _version;

        /// <summary>Shard ids kept for plan invalidation; past it, readers recompute everything.</summary>
        public const int ChangeLogCapacity = 1 << 16;
        private readonly ConcurrentDictionary<DeviceId, bool> _hasBattery = new();

        public PeerKnowledge(Func<DeviceId, bool> trusted, TimeSpan onlineWindow, TimeProvider? clock = null)
        {
            _trusted = trusted;
            _onlineWindow = onlineWindow;
            _clock = clock ?? TimeProvider.System;
        }

        /// <summary>Records a peer's Hello (now).</summary>
        public void Heard(DeviceId peer, HelloFrame hello)
        {
            _hasBattery[peer] = !hello.Has(HelloFrame.FlagNoBattery);
            Heard(peer, ToProfile(peer, hello));
        }

        /// <summary>False when the peer's last Hello said it has no battery (its percent is a placeholder); null before any Hello.</summary>
        public bool? HasBattery(DeviceId peer) => _hasBattery.TryGetValue(peer, out bool b) ? b : null;

        /// <summary>Records a peer's profile as if its Hello arrived now.</summary>
        public void Heard(DeviceId peer, DeviceProfile profile)
        {
            var before = _profiles.TryGetValue(peer, out var p) ? p.Profile : null;
            _profiles[peer] = (profile, _clock.GetTimestamp());
            if (before == null || PlanningKey(before) != PlanningKey(profile))
            {
                Bump();
            }
        }

        /// <summary>
        /// Grows whenever something plans depend on changed: a profile (as planned: battery, power, kind,
        /// allocation, links; not used bytes), what a peer holds. Who is online also depends on the clock:
        /// <see cref="PlanningState"/> covers both.
        /// </summary>
        public long Version => Interlocked.Read(ref _version);

        /// <summary>The knowledge version and the online trusted peers: equal strings mean equal plans.</summary>
        public string PlanningState()
        {
            var ids = Online().Select(o => o.Id.Text).ToArray();
            Array.Sort(ids, StringComparer.Ordinal);
            return Version + ":" + string.Join(",", ids);
        }

        /// <summary>
        /// Shard ids whose holders changed since <paramref name="since"/> (a <see cref="ChangeCursor"/>), or null
        /// when that is unknown (too many changes, or a peer's whole inventory was replaced without a diff).
        /// </summary>
        public IReadOnlyList<string>? ChangedSince(long since) => _changes.Since(since);

        /// <summary>Where the change log is now (pass it to <see cref="ChangedSince"/> later).</summary>
        public long ChangeCursor => _changes.Cursor;

        /// <summary>The version of <paramref name="peer"/>'s inventory last received in full (0: none).</summary>
        public long InventoryVersion(DeviceId peer) => _inventoryVersions.TryGetValue(peer, out long v) ? v : 0;

        /// <summary>
        /// Records a device's profile from its signed knowledge record that crossed <paramref name="hops"/> mesh
        /// links (1: a neighbour): it counts as online like a Hello, so plans cover devices beyond the neighbours.
        /// </summary>
        public void HeardThroughMesh(DeviceId device, DeviceProfile profile, int hops)
        {
            var before = _profiles.TryGetValue(device, out var p) ? p.Profile : null;
            _profiles[device] = (profile, _clock.GetTimestamp());
            _hops[device] = hops;
            if (before == null || PlanningKey(before) != PlanningKey(profile))
            {
                Bump();
            }
        }

        /// <summary>Mesh links between this node and <paramref name="peer"/> in its last knowledge record (1 = a neighbour), or null.</summary>
        public int? HopsTo(DeviceId peer) => _hops.TryGetValue(peer, out int h) ? h : null;

        /// <summary>How long ago the peer was last heard (Hello or knowledge record), or null.</summary>
        public TimeSpan? Age(DeviceId peer) => _profiles.TryGetValue(peer, out var p) ? _clock.GetElapsedTime(p.Seen) : null;

        /// <summary>
        /// Replaces what <paramref name="peer"/> holds with its inventory's shards (at inventory
        /// <paramref name="version"/>, 0: unversioned). Only the shards that differ from what was known count
        /// as changes.
        /// </summary>
        public void Inventory(DeviceId peer, IEnumerable<string> shardIds, long version = 0) => Inventory(peer, new HeldShards(shardIds), version);

        private void Inventory(DeviceId peer, HeldShards held, long version)
        {
            _provisional.TryRemove(peer, out _);
            _holds.TryGetValue(peer, out var before);
            _holds[peer] = held;
            _inventoryVersions[peer] = version;
            _inventoryAt[peer] = _clock.GetUtcNow();
            if (before == null)
            {
                _changes.AddAll();
                Bump();
                return;
            }

            // Only the differences are logged (as text): a whole inventory that repeats what was known changes nothing.
            bool changed = false;
            foreach (string id in held.Except(before).Concat(before.Except(held)))
            {
                _changes.Add(id);
                changed = true;
            }

            if (changed)
            {
                Bump();
            }
        }

        /// <summary>
        /// The peer acknowledged a shard we served: it holds it now, until its next inventory says otherwise. The
        /// addition is provisional: a shard the peer stored since the version held here is in its next delta, so one
        /// the delta does not list is gone again (dropped by the peer's placement meanwhile, or acknowledged after
        /// the inventory that already showed it dropped). Kept for good, such an addition outlived every later delta
        /// (unchanged ids are never listed) and two hubs each believed the other held a shard neither had: neither
        /// rebuilt it (NetnsRepairTests, 1 run in 3 under load).
        /// </summary>
        public void Served(DeviceId peer, string shardId)
        {
            if (_holds.GetOrAdd(peer, _ => new HeldShards(Array.Empty<string>())).Add(shardId))
            {
                var provisional = _provisional.GetOrAdd(peer, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));
                provisional[shardId] = true;
                _changes.Add(shardId);
                Bump();
            }
        }

        /// <summary>When the peer's last inventory (whole or a delta) arrived: its last sync with this hub (every session opens with one); null before any.</summary>
        public DateTimeOffset? LastInventoryUtc(DeviceId peer) => _inventoryAt.TryGetValue(peer, out var at) ? at : null;

        /// <summary>False until the peer's first inventory arrived (what it holds is unknown).</summary>
        public bool HasInventory(DeviceId peer) => _holds.ContainsKey(peer);

        /// <summary>How many shards the peer holds per its last inventory (null before one arrived).</summary>
        public int? HeldCount(DeviceId peer) => _holds.TryGetValue(peer, out var held) ? held.Count : null;

        /// <summary>The peer's last profile however old (the dashboard shows offline devices too), or null.</summary>
        public DeviceProfile? LastProfile(DeviceId peer) => _profiles.TryGetValue(peer, out var p) ? p.Profile : null;

        public bool Holds(DeviceId peer, string shardId) => _holds.TryGetValue(peer, out var held) && held.Contains(shardId);

        /// <summary>As <see cref="Holds(DeviceId, string)"/> for an id already parsed (plans ask 1.5 M times in a join).</summary>
        public bool Holds(DeviceId peer, ShardKey shard) => _holds.TryGetValue(peer, out var held) && held.Contains(shard);

        /// <summary>What <paramref name="peer"/> holds (null before its first inventory); live, not a copy.</summary>
        public HeldShards? HeldBy(DeviceId peer) => _holds.TryGetValue(peer, out var held) ? held : null;

        public bool IsTrusted(DeviceId peer) => _trusted(peer);

        /// <summary>Trusted peers whose Hello arrived within the online window (any order).</summary>
        public List<(DeviceId Id, DeviceProfile Profile)> Online()
        {
            var online = new List<(DeviceId Id, DeviceProfile Profile)>();
            foreach (var kv in _profiles)
            {
                if (_clock.GetElapsedTime(kv.Value.Seen) <= _onlineWindow && _trusted(kv.Key))
                {
                    online.Add((kv.Key, kv.Value.Profile));
                }
            }

            return online;
        }

        private void Bump() => Interlocked.Increment(ref _version);

        // What plans read of a profile: used bytes are left out (plans use the allocation).
        private static string PlanningKey(DeviceProfile p) =>
            (int)p.Kind + "|" + p.AllocationBytes + "|" + p.AlwaysOn + "|" + p.Battery.Percent + "|" + p.Battery.PluggedIn + "|" + p.WifiOnly + "|" + p.WifiConnected;

        /// <summary>A Hello as the planner's device profile.</summary>
        public static DeviceProfile ToProfile(DeviceId id, HelloFrame hello) => new(
            id.Text,
            Enum.IsDefined(typeof(DeviceKind), hello.Kind) ? (DeviceKind)hello.Kind : DeviceKind.Desktop,
            hello.AllocationBytes,
            hello.UsedBytes,
            hello.Has(HelloFrame.FlagAlwaysOn),
            new BatteryStatus(hello.BatteryPercent, hello.Has(HelloFrame.FlagPluggedIn)),
            hello.Has(HelloFrame.FlagWifiOnly),
            hello.Has(HelloFrame.FlagWifiConnected));
    }
}
