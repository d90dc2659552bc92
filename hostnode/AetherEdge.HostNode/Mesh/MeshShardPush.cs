using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Pushes shards to devices that sync cannot reach: a trusted device heard through the mesh whose route leads
    /// only over BLE links (a phone on the hub's peripheral, a hub behind beacons) gets, sealed through the router,
    /// every shard the plan gives it that this hub holds (<see cref="MeshShardSender"/>). Devices with a TLS path
    /// (a mesh link to a hub, or a tunnel through one) pull as usual. Runs every <see cref="Interval"/> on the
    /// thread pool; what it queues is bounded by the sender's relay cache, the rest waits for the next pass.
    /// The hub does not know what such a device holds (it has no inventory, and after a restart the hub forgets what
    /// it sent), so a shard is first offered (<see cref="MeshShardSender.TryOffer"/>, 64 ids a packet): the device
    /// answers held or wanted, and only wanted shards are sent, on the next pass.
    /// </summary>
    public sealed class MeshShardPush : BackgroundService
    {
        public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

        private readonly MeshReachability _reach;
        private readonly MeshLinks _links;
        private readonly ShardStore _store;
        private readonly PlacementOracle _oracle;
        private readonly MeshShardSender _sender;
        private readonly TimeSpan _online;
        private readonly ILogger<MeshShardPush> _log;
        private long _queued;

        public MeshShardPush(MeshReachability reach, MeshLinks links, ShardStore store, PlacementOracle oracle, MeshShardSender sender, MeshTunnels tunnels, ILogger<MeshShardPush> log)
        {
            _reach = reach;
            _links = links;
            _store = store;
            _oracle = oracle;
            _sender = sender;
            _online = tunnels.Options.ReachableFor;
            _log = log;
        }

        /// <summary>Shards queued for BLE-only devices since start.</summary>
        public long Queued => Interlocked.Read(ref _queued);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(Interval);
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    try
                    {
                        Pass();
                    }
                    catch (Exception e) when (e is IOException || e is Microsoft.Data.Sqlite.SqliteException || e is InvalidOperationException)
                    {
                        _log.LogWarning("mesh: shard push pass failed: {Error}", e.Message);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        /// <summary>One pass: offers what the plan gives to BLE-only devices and is not handled yet, queues what they wanted; returns how many were queued.</summary>
        public int Pass()
        {
            var targets = BleOnlyDevices();
            if (targets.Count == 0)
            {
                return 0;
            }

            int queued = 0;
            bool full = false;
            var offers = new Dictionary<uint, List<string>>();
            foreach (string manifest in _store.ListManifests())
            {
                if (_oracle.View(manifest) is not { } view)
                {
                    continue;
                }

                for (int i = 0; i < view.Assigned.Length; i++)
                {
                    string? holder = view.Assigned[i];
                    string shard = view.Layout.ShardIds[i];
                    if (holder == null || !targets.TryGetValue(holder, out uint node) || _sender.Handled(node, shard) || !_store.HasShard(shard))
                    {
                        continue;
                    }

                    if (!_sender.Wanted(node, shard))
                    {
                        (offers.TryGetValue(node, out var list) ? list : offers[node] = new List<string>()).Add(shard);
                        continue;
                    }

                    long length = _store.LengthOf(shard);
                    if (full || !_sender.HasRoomFor(length))
                    {
                        full = true; // the rest next pass
                        continue;
                    }

                    byte[] bytes = File.ReadAllBytes(_store.PathOf(shard));
                    if (ShardId.Of(bytes) != shard)
                    {
                        continue; // changed under us or rotten: the store's own checks deal with it
                    }

                    if (_sender.TryEnqueue(new ShardJob(node, shard, Convert.FromHexString(shard), bytes, Relayed: false)))
                    {
                        queued++;
                        Interlocked.Increment(ref _queued);
                    }
                }
            }

            foreach (var (node, shards) in offers)
            {
                _sender.TryOffer(node, shards); // counted there (mesh_shard_offered_total)
            }

            return queued;
        }

        /// <summary>Device ID → node id of every device heard through the mesh whose next hop is reached only over BLE.</summary>
        public Dictionary<string, uint> BleOnlyDevices()
        {
            var links = _links.Snapshot();
            var result = new Dictionary<string, uint>(StringComparer.Ordinal);
            foreach (var route in _reach.Snapshot(_online))
            {
                var via = links.Where(l => l.Neighbour == route.Via).ToList();
                if (via.Count > 0 && via.All(l => l.Kind == MeshLinkKind.Ble))
                {
                    result[route.Device.Text] = route.Node;
                }
            }

            return result;
        }
    }
}
