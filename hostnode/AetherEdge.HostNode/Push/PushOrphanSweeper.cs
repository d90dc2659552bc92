using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AetherEdge.HostNode.Push
{
    /// <summary>
    /// Runs <see cref="PushedLedger.Sweep"/> in the hub: shards peers pushed here for a put that never committed its
    /// manifest (its origin died midway) are removed after the grace, and counted.
    /// </summary>
    public sealed class PushOrphanSweeper : BackgroundService, IMetricsSource
    {
        private readonly PushedLedger _ledger;
        private readonly SyncNode _node;
        private readonly TimeProvider _clock;
        private readonly TimeSpan _every;
        private readonly ILogger<PushOrphanSweeper> _log;
        private readonly Counter _shards;
        private readonly Counter _bytes;

        public PushOrphanSweeper(PushedLedger ledger, SyncNode node, PushOrphanOptions options, TimeProvider clock, ILogger<PushOrphanSweeper> log, IMetricFactory metrics)
        {
            _ledger = ledger;
            _node = node;
            _clock = clock;
            _log = log;

            // Often enough that an orphan outlives its grace by at most a quarter of it, never busier than once a second.
            _every = TimeSpan.FromTicks(Math.Clamp(options.Grace.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
            _shards = metrics.CreateCounter("aether_push_orphans_removed_total", "Pushed shards removed because their put never committed a manifest (its origin died midway).");
            _bytes = metrics.CreateCounter("aether_push_orphan_bytes_removed_total", "Bytes of pushed shards removed as orphans.");
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(_every, _clock);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var now = _clock.GetUtcNow();
                    var swept = _ledger.Sweep(now, peer => _node.SinceLastSessionStarted(peer) is { } ms ? now - TimeSpan.FromMilliseconds(ms) : null);
                    if (swept.ShardsRemoved > 0)
                    {
                        _shards.Inc(swept.ShardsRemoved);
                        _bytes.Inc(swept.BytesRemoved);
                        _log.LogInformation("removed {Shards} pushed shards ({Bytes} bytes) of {Files} puts that never committed", swept.ShardsRemoved, swept.BytesRemoved, swept.FilesAbandoned);
                    }
                }
                catch (IOException e)
                {
                    _log.LogWarning("orphan sweep: {Why}", e.Message);
                }
            }
        }
    }
}
