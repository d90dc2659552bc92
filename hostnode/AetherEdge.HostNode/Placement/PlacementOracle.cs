using System.Collections.Concurrent;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Placement
{
    /// <summary>
    /// Placement drives the sync: for the file a shard belongs to (found through the manifests this
    /// node holds), plan the file's N shards over the online devices — this node plus every trusted
    /// (still in the circle) peer whose Hello arrived within the online window — and pull the shard
    /// only if the plan assigns it here. The plan starts from the current holders (this node's store
    /// and the online peers' inventories, <see cref="HolderAwarePlacement"/>), so a join or a leave
    /// moves as few shards as possible. Devices are sorted by ID and planned by allocation (used bytes
    /// set to 0), so every node with the same knowledge computes the same plan. Shards of files whose
    /// manifest is not here yet are not planned (the manifest comes first, then the next round pulls).
    /// Views are cached per file and recomputed only for files whose inputs changed: all of them when the
    /// devices (or their planning profiles) change, else the files of the shards whose holders changed here
    /// or on a peer (from the store's and the knowledge's change logs), so idle rounds plan nothing and a
    /// put or a removal re-plans one file.
    /// </summary>
    public sealed class PlacementOracle
    {
        private readonly INodeStore _store;
        private readonly PeerKnowledge _peers;
        private readonly LocalDevice _self;
        private readonly string _selfId;
        private readonly ConcurrentDictionary<string, ShardManifest> _layouts = new(StringComparer.Ordinal);
        private readonly ShardFiles _fileOf = new();
        private readonly object _cacheGate = new();
        private readonly Dictionary<string, FileView> _views = new(StringComparer.Ordinal);
        private readonly PlanShapes _shapes = new();
        private string _devicesKey = string.Empty;
        private long _storeCursor = -1;
        private long _peersCursor = -1;
        private long _epoch;
        private long _locatedAt = -1;
        private long _plansMade;

        public PlacementOracle(INodeStore store, PeerKnowledge peers, LocalDevice self)
        {
            _store = store;
            _peers = peers;
            _self = self;
            _selfId = self.Id.Text;
        }

        /// <summary>This node's device ID (the one plans assign shards to when they belong here).</summary>
        public string SelfId => _selfId;

        /// <summary>The devices a plan is made over, sorted by ID.</summary>
        public DeviceProfile[] Devices() => Online().Select(o => o.Profile).ToArray();

        /// <summary>Plans computed (cache misses) since start: what a round that found nothing changed must not grow.</summary>
        public long PlansMade => Interlocked.Read(ref _plansMade);

        /// <summary>Times the planner itself ran: files whose plan shape (<see cref="PlanShapes"/>) was not known yet.</summary>
        public long PlannerRuns => _shapes.Planned;

        /// <summary>
        /// Everything plans here are made from, as one string: the store's and the knowledge's versions and the
        /// devices as planned. Equal strings mean every plan, prune and repair decision would come out the same.
        /// </summary>
        public string InputsKey() => _store.Version + "|" + _peers.Version + "|" + DevicesKey(Online());

        /// <summary>The devices as planned (this node and the online peers' planning profiles): equal strings, equal device sets.</summary>
        public string PlanningKey() => DevicesKey(Online());

        /// <summary>
        /// The shard ids of the file <paramref name="id"/> names (a manifest id) or that holds it (a shard id of a file
        /// whose layout was read here); empty when unknown. Never lists the manifests to find out.
        /// </summary>
        public IReadOnlyList<string> FileShards(string id)
        {
            string? manifest = ShardManifest.IsFileId(id) ? id : _fileOf.TryGet(id, out var at) ? at.Manifest : null;
            return manifest != null && Layout(manifest) is { } layout ? layout.ShardIds : Array.Empty<string>();
        }

        /// <summary>The plan for <paramref name="manifestId"/> and where its shards are, or null without a (readable) manifest.</summary>
        public FileView? View(string manifestId)
        {
            // Inside a PlanEachFileOnce scope the online devices are read once: each read asks the trust circle
            // about every peer (a stat of trust.json), which a join's re-plan of every file paid per file.
            var memo = t_memo != null && t_memo.Owner == this ? t_memo : null;
            var online = memo == null ? Online() : memo.Online ??= Online();
            string devices = memo == null ? DevicesKey(online) : memo.DevicesKey ??= DevicesKey(online);
            long epoch;
            lock (_cacheGate)
            {
                Invalidate(devices);
                if (_views.TryGetValue(manifestId, out var cached))
                {
                    return cached;
                }

                epoch = _epoch;
            }

            var view = Compute(manifestId, online, devices);
            if (view != null)
            {
                lock (_cacheGate)
                {
                    // Not when anything was invalidated meanwhile: this view may predate that change.
                    if (epoch == _epoch)
                    {
                        _views[manifestId] = view;
                    }
                }
            }

            return view;
        }

        // Drops the views whose inputs changed since the last look. Under _cacheGate.
        private void Invalidate(string devices)
        {
            long storeCursor = _store.ChangeCursor;
            long peersCursor = _peers.ChangeCursor;
            var storeChanges = _store.ChangedSince(_storeCursor);
            var peerChanges = _peers.ChangedSince(_peersCursor);
            if (devices != _devicesKey || storeChanges == null || peerChanges == null)
            {
                if (_views.Count > 0)
                {
                    _views.Clear();
                }

                _epoch++;
            }
            else if (storeChanges.Count + peerChanges.Count > 0)
            {
                foreach (string id in storeChanges.Concat(peerChanges))
                {
                    if (ShardManifest.IsFileId(id))
                    {
                        _views.Remove(id);
                    }
                    else if (_fileOf.TryGet(id, out var at))
                    {
                        _views.Remove(at.Manifest);
                    }
                }

                _epoch++;
            }

            _devicesKey = devices;
            _storeCursor = storeCursor;
            _peersCursor = peersCursor;
        }

        // Devices as planned, and whether each peer's inventory is known (views say so).
        private string DevicesKey((DeviceProfile Profile, DeviceId? Id)[] online)
        {
            var sb = new System.Text.StringBuilder();
            foreach (var (p, id) in online)
            {
                sb.Append(p.Id).Append('|').Append((int)p.Kind).Append('|').Append(p.AllocationBytes).Append('|').Append(p.AlwaysOn)
                    .Append('|').Append(p.Battery.Percent).Append('|').Append(p.Battery.PluggedIn).Append('|').Append(p.WifiOnly)
                    .Append('|').Append(p.WifiConnected).Append('|').Append(id is not { } peer || _peers.HasInventory(peer)).Append(';');
            }

            return sb.ToString();
        }

        private FileView? Compute(string manifestId, (DeviceProfile Profile, DeviceId? Id)[] online, string devicesKey)
        {
            var layout = Layout(manifestId);
            if (layout == null)
            {
                return null;
            }

            Interlocked.Increment(ref _plansMade);
            int n = layout.TotalShards;
            var held = new bool[n, online.Length];
            var keys = new ShardKey?[n];
            for (int s = 0; s < n; s++)
            {
                keys[s] = ShardKey.TryParse(layout.ShardIds[s], out var key) ? key : null;
            }

            var local = new bool[n];
            var offered = new bool[n];
            bool known = true;
            for (int d = 0; d < online.Length; d++)
            {
                if (online[d].Id is not { } peer)
                {
                    for (int s = 0; s < n; s++)
                    {
                        held[s, d] = _store.HasShard(layout.ShardIds[s]);
                    }
                }
                else if (_peers.HeldBy(peer) is { } peerHolds)
                {
                    peerHolds.Mark(keys, held, d);
                }
                else
                {
                    known = false;
                }

                for (int s = 0; s < n; s++)
                {
                    local[s] |= held[s, d] && online[d].Id == null;
                    offered[s] |= held[s, d] && online[d].Id != null;
                }
            }

            var devices = Array.ConvertAll(online, o => o.Profile);
            var assigned = _shapes.Plan(devicesKey, devices, layout.Layout.ShardBytes, layout.DataShards, held);
            return new FileView(layout, assigned, local, offered, known);
        }

        /// <summary>
        /// Where a file not yet stored anywhere goes (the plan a fresh file lands on, no holders yet): the device ID
        /// for each of its <paramref name="totalShards"/> shards, null when unplaced. The streaming put sends shards there.
        /// </summary>
        public string?[] PlanFresh(long shardBytes, int dataShards, int totalShards)
        {
            var holders = new int[totalShards][];
            for (int i = 0; i < totalShards; i++)
            {
                holders[i] = Array.Empty<int>();
            }

            return HolderAwarePlacement.Plan(Devices(), shardBytes, dataShards, holders).HolderIds();
        }

        /// <summary>The device ID the plan assigns each shard of <paramref name="manifestId"/> to (null: unplaced), or null without a manifest.</summary>
        public string?[]? Assignment(string manifestId)
        {
            var memo = t_memo != null && t_memo.Owner == this ? t_memo.Plans : null;
            if (memo != null && memo.TryGetValue(manifestId, out var planned))
            {
                return planned;
            }

            var assigned = View(manifestId)?.Assigned;
            memo?.Add(manifestId, assigned);
            return assigned;
        }

        /// <summary>
        /// Until the result is disposed, this thread plans each file at most once, and from one reading of the
        /// online devices (a pass over every file: prune, repair, a session's wants): a session's
        /// <c>ChooseWants</c> asks about every shard of a peer's inventory, and a file's plan costs a store
        /// lookup per shard plus the planner. The knowledge it plans from is a snapshot for that call.
        /// </summary>
        public IDisposable PlanEachFileOnce()
        {
            var outer = t_memo;
            t_memo = new Memo(this, outer);
            return t_memo;
        }

        [ThreadStatic]
#pragma warning disable IDE1006 // t_ marks a [ThreadStatic] field (dotnet/runtime naming)
        private static Memo? t_memo;
#pragma warning restore IDE1006

        private sealed class Memo : IDisposable
        {
            public Memo(PlacementOracle owner, Memo? outer)
            {
                Owner = owner;
                Outer = outer;
            }

            public PlacementOracle Owner { get; }

            public Memo? Outer { get; }

            public Dictionary<string, string?[]?> Plans { get; } = new(StringComparer.Ordinal);

            public bool ManifestsListed { get; set; }

            public (DeviceProfile Profile, DeviceId? Id)[]? Online { get; set; }

            public string? DevicesKey { get; set; }

            public void Dispose() => t_memo = Outer;
        }

        /// <summary>The device ID the current plan assigns <paramref name="shardId"/> to; null when unknown or unplaced.</summary>
        public string? AssignedHolder(string shardId) =>
            Locate(shardId) is { } found ? Assignment(found.Manifest)?[found.Index] : null;

        /// <summary>The file (manifest id) and index of a shard, from the manifests held; null when none lists it.</summary>
        public (string Manifest, int Index)? Locate(string shardId)
        {
            if (!_fileOf.TryGet(shardId, out var found))
            {
                // Within one PlanEachFileOnce scope the manifests are listed once, however many unknown shards are asked about;
                // and never again while the store has not changed since the last listing.
                var memo = t_memo != null && t_memo.Owner == this ? t_memo : null;
                long cursor = _store.ChangeCursor;
                if ((memo != null && memo.ManifestsListed) || Interlocked.Read(ref _locatedAt) == cursor)
                {
                    return null;
                }

                if (memo != null)
                {
                    memo.ManifestsListed = true;
                }

                Interlocked.Exchange(ref _locatedAt, cursor);

                foreach (string m in _store.ManifestIds())
                {
                    if (Layout(m) is { } layout)
                    {
                        _fileOf.AddFile(m, layout.ShardIds);
                    }
                }

                if (!_fileOf.TryGet(shardId, out found))
                {
                    return null;
                }
            }

            return found;
        }

        /// <summary>This node (Id null) and the online trusted peers, sorted by device ID.</summary>
        private (DeviceProfile Profile, DeviceId? Id)[] Online()
        {
            var list = new List<(DeviceProfile Profile, DeviceId? Id)> { (_self.PlanningProfile(), null) };
            foreach (var (id, profile) in _peers.Online())
            {
                list.Add((ForPlanning(profile), id));
            }

            return list.OrderBy(d => d.Profile.Id, StringComparer.Ordinal).ToArray();
        }

        // Cached once read; a manifest not here yet is looked up again next time.
        private ShardManifest? Layout(string manifestId)
        {
            if (_layouts.TryGetValue(manifestId, out var known))
            {
                return known;
            }

            var layout = _store.ReadManifest(manifestId) is { } body ? ShardManifest.ReadUnverified(body) : null;
            if (layout == null)
            {
                return null;
            }

            // Every file with a cached view has its shards here, so a shard's change finds its view.
            _fileOf.AddFile(manifestId, layout.ShardIds);

            return _layouts.GetOrAdd(manifestId, layout);
        }

        /// <summary>A profile as plans see it: allocation counts, current usage does not (keeps plans equal on every node).</summary>
        public static DeviceProfile ForPlanning(DeviceProfile p) =>
            new(p.Id, p.Kind, p.AllocationBytes, 0, p.AlwaysOn, p.Battery, p.WifiOnly, p.WifiConnected);
    }
}
