using AetherEdge.HostNode.Diagnostics;
using Prometheus;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// The seed's mesh_* sync metrics, counted by <see cref="SyncNode"/> from many connections at once,
    /// on the hub's registry (a node made without one counts into a private registry). Rates are the
    /// consumer's: success rate = mesh_sync_successes_total / mesh_sync_attempts_total.
    /// </summary>
    public sealed class SyncMetrics : IMetricsSource
    {
        /// <summary>Session durations from 5 ms to about 11 minutes (seconds, doubling).</summary>
        public static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.005, 2, 18);

        private readonly Counter _attempts;
        private readonly Counter _successes;
        private readonly Counter _bytes;
        private readonly Counter _rejected;
        private readonly Gauge _connected;
        private readonly Histogram.Child _latency;
        private readonly Counter _itemsRefused;
        private readonly Counter _framesRefused;
        private readonly Counter _timeouts;
        private readonly Counter _replaced;
        private readonly Counter _keepAlives;
        private readonly Counter _inventoryEntries;

        /// <summary>Counts into a private registry (a node outside the hub).</summary>
        public SyncMetrics()
            : this(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()))
        {
        }

        public SyncMetrics(IMetricFactory metrics)
        {
            _attempts = metrics.CreateCounter("mesh_sync_attempts_total", "Sync sessions started (success + failure).");
            _successes = metrics.CreateCounter("mesh_sync_successes_total", "Sync sessions that completed.");
            _bytes = metrics.CreateCounter("mesh_bytes_transferred_total", "Shard and manifest bytes received from peers.");
            _rejected = metrics.CreateCounter("mesh_handshakes_refused_total", "TLS handshakes refused (peer not in the trust circle).");
            _itemsRefused = metrics.CreateCounter("aether_sync_items_refused_total", "Items a peer offered that were not stored, by reason (no_space, bad_hash, store_error).", new[] { "reason" });
            _framesRefused = metrics.CreateCounter(
                "aether_sync_frames_refused_total",
                "Sync frames the replay window refused, by reason (clock_skew: timestamp outside the allowed skew; replay: nonce seen before or older than the replay floor).",
                new[] { "reason" });
            foreach (string r in new[] { NoSpace, BadHash, StoreError })
            {
                _itemsRefused.WithLabels(r);
            }

            _framesRefused.WithLabels(ClockSkew);
            _framesRefused.WithLabels(Replay);
            _connected = metrics.CreateGauge("mesh_peers_connected", "Active authenticated sync connections.");
            _latency = metrics.CreateHistogram(
                "mesh_sync_latency_seconds",
                "Duration of completed sync sessions, by protocol.",
                new HistogramConfiguration { LabelNames = new[] { "protocol" }, Buckets = LatencyBuckets }).WithLabels("tls");
            _timeouts = metrics.CreateCounter("sync_session_timeouts_total", "Sync sessions ended because nothing moved for the idle timeout.");
            _replaced = metrics.CreateCounter("sync_sessions_replaced_total", "Stale sync sessions replaced by a newer one from the same peer.");
            _keepAlives = metrics.CreateCounter("sync_keepalives_sent_total", "KeepAlive frames sent by quiet sync sessions.");
            _inventoryEntries = metrics.CreateCounter(
                "aether_sync_inventory_entries_total",
                "Inventory entries exchanged in sync sessions, by direction (sent, received): with inventory versions, none when nothing changed.",
                new[] { "direction" });
            _inventoryEntries.WithLabels(Sent);
            _inventoryEntries.WithLabels(Received);
        }

        public const string NoSpace = "no_space";
        public const string BadHash = "bad_hash";
        public const string StoreError = "store_error";
        public const string ClockSkew = "clock_skew";
        public const string Replay = "replay";
        public const string Sent = "sent";
        public const string Received = "received";

        /// <summary>Inventory entries exchanged in direction <paramref name="direction"/> (<see cref="Sent"/>, <see cref="Received"/>).</summary>
        public long InventoryEntries(string direction) => (long)_inventoryEntries.WithLabels(direction).Value;

        public long Attempts => (long)_attempts.Value;

        /// <summary>Items not stored for <paramref name="reason"/> (<see cref="NoSpace"/>, <see cref="BadHash"/>, <see cref="StoreError"/>).</summary>
        public long ItemsRefused(string reason) => (long)_itemsRefused.WithLabels(reason).Value;

        /// <summary>Frames the replay window refused for <paramref name="reason"/> (<see cref="ClockSkew"/>, <see cref="Replay"/>).</summary>
        public long FramesRefused(string reason) => (long)_framesRefused.WithLabels(reason).Value;

        public long Successes => (long)_successes.Value;

        public long BytesTransferred => (long)_bytes.Value;

        public long Rejected => (long)_rejected.Value;

        public long Connected => (long)_connected.Value;

        /// <summary>Sessions ended because nothing moved for the idle timeout.</summary>
        public long Timeouts => (long)_timeouts.Value;

        /// <summary>Stale sessions replaced by a newer one from the same peer.</summary>
        public long Replaced => (long)_replaced.Value;

        /// <summary>KeepAlive frames sent by quiet sessions.</summary>
        public long KeepAlivesSent => (long)_keepAlives.Value;

        public double MeanLatencyMilliseconds => _latency.Count == 0 ? 0 : _latency.Sum * 1000 / _latency.Count;

        internal void Attempt() => _attempts.Inc();

        internal void Success(TimeSpan latency)
        {
            _successes.Inc();
            _latency.Observe(latency.TotalSeconds);
        }

        internal void Bytes(long n) => _bytes.Inc(n);

        internal void Reject() => _rejected.Inc();

        internal void ItemRefused(AetherEdge.Core.Sync.AckStatus status)
        {
            string? reason = status switch
            {
                AetherEdge.Core.Sync.AckStatus.NoSpace => NoSpace,
                AetherEdge.Core.Sync.AckStatus.BadHash => BadHash,
                AetherEdge.Core.Sync.AckStatus.StoreError => StoreError,
                _ => null,
            };
            if (reason != null)
            {
                _itemsRefused.WithLabels(reason).Inc();
            }
        }

        internal void FramesRefused(long skew, long replay)
        {
            _framesRefused.WithLabels(ClockSkew).Inc(skew);
            _framesRefused.WithLabels(Replay).Inc(replay);
        }

        internal void ConnectionOpened() => _connected.Inc();

        internal void ConnectionClosed() => _connected.Dec();

        internal void Timeout() => _timeouts.Inc();

        internal void Replacement() => _replaced.Inc();

        internal void KeepAlives(long n) => _keepAlives.Inc(n);

        internal void Inventory(long sent, long received)
        {
            _inventoryEntries.WithLabels(Sent).Inc(sent);
            _inventoryEntries.WithLabels(Received).Inc(received);
        }
    }
}
