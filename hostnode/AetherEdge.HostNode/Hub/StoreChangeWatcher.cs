using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Push on change (issue 13): <c>aether put</c> and <c>aether rm</c> run in their own processes, so the hub
    /// polls the index's change version (<see cref="ShardStore.ExternalChanges"/>, SQLite's data_version: it moves only when another connection commits) every
    /// <see cref="HubSettings.ChangePollMilliseconds"/> and asks for a push round when it moved: the sync service
    /// then dials its trusted peers at once, whatever --sync-interval says. Requests coalesce in
    /// <see cref="SyncTrigger"/>, so a burst of puts costs one round at a time.
    /// </summary>
    public sealed class StoreChangeWatcher : BackgroundService
    {
        private readonly ShardStoreSyncStore _store;
        private readonly SyncTrigger _trigger;
        private readonly HubSettings _settings;
        private readonly ILogger<StoreChangeWatcher> _log;
        private readonly Counter _changes;

        public StoreChangeWatcher(ShardStoreSyncStore store, SyncTrigger trigger, HubSettings settings, IMetricFactory metrics, ILogger<StoreChangeWatcher> log)
        {
            _store = store;
            _trigger = trigger;
            _settings = settings;
            _log = log;
            _changes = metrics.CreateCounter("sync_local_changes_total", "Changes to the store by other processes (put, rm) that asked for a push round.");
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            TryVersion(out long seen);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_settings.ChangePollMilliseconds));
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    if (TryVersion(out long now) && now != seen)
                    {
                        seen = now;
                        _changes.Inc();
                        _trigger.RequestPush();
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        private bool TryVersion(out long version)
        {
            version = 0;
            try
            {
                version = _store.ExternalChanges();
                return true;
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
            {
                // A busy or closing index: the next tick asks again; a missed tick only delays a push to the next round.
                _log.LogDebug("change poll failed: {Error}", e.Message);
                return false;
            }
        }
    }
}
