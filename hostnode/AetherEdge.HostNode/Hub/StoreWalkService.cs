using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Start-up within seconds on 100,000 files (issue 17): the hub opens its store without the walk over every
    /// shard file (<see cref="ShardStore.OpenReconcile.Quick"/>) and serves at once; this service runs that walk
    /// (<see cref="StoreWalk"/>) in the background, one leaf directory at a time under the sync store's lock, paced
    /// to <see cref="FilesPerSecond"/>. Serving meanwhile is safe: a serve checks the length
    /// against the row, the receiver hashes every shard against its id, and a refusal quarantines it here.
    /// Before the walk it loads the sync store's held index in steps (<see cref="ShardStoreSyncStore.LoadIndexStep"/>),
    /// letting go of the lock between them, so the first scrape or session does not wait for 1.5 M rows.
    /// </summary>
    public sealed class StoreWalkService : BackgroundService
    {
        /// <summary>Shard files looked at per second: 1.6 M in under 3 minutes, a small share of an SD card's IO.</summary>
        public const int FilesPerSecond = 10_000;

        /// <summary>Shortest pause worth a timer: smaller debts are carried to the next step.</summary>
        private static readonly TimeSpan s_minPause = TimeSpan.FromMilliseconds(20);

        private readonly ShardStore _store;
        private readonly ShardStoreSyncStore _sync;
        private readonly TimeProvider _clock;
        private readonly ILogger<StoreWalkService> _log;
        private readonly Counter _files;
        private readonly Gauge _leaves;
        private readonly Gauge _done;
        private readonly Gauge _indexLoaded;

        public StoreWalkService(ShardStore store, ShardStoreSyncStore sync, TimeProvider clock, IMetricFactory metrics, ILogger<StoreWalkService> log)
        {
            _store = store;
            _sync = sync;
            _clock = clock;
            _log = log;
            _files = metrics.CreateCounter("store_walk_files_total", "Shard files the background reconciliation walk looked at since start.");
            _leaves = metrics.CreateGauge("store_walk_leaves_checked", "Leaf directories (of 65536) the background reconciliation walk has checked.");
            _done = metrics.CreateGauge("store_walk_done", "1 once the background reconciliation walk has checked every shard file since start.");
            _indexLoaded = metrics.CreateGauge("store_held_index_loaded", "1 once the in-memory index of what the store holds is loaded (until then lookups ask SQLite).");
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            // Off the start-up path: the host starts serving before the first step runs.
            await Task.Yield();
            long started = _clock.GetTimestamp();
            var walk = new StoreWalk(_store, FilesPerSecond, _clock);
            long counted = 0;
            try
            {
                while (!_sync.LoadIndexStep())
                {
                    // Others' lookups get the lock between steps.
                    await Task.Yield();
                    stoppingToken.ThrowIfCancellationRequested();
                }

                _indexLoaded.Set(1);
                _log.LogInformation("held index loaded in {Seconds:0.0} s", _clock.GetElapsedTime(started).TotalSeconds);
                while (!walk.Done && !stoppingToken.IsCancellationRequested)
                {
                    _sync.RunWalkStep(walk);
                    _files.Inc(walk.FilesChecked - counted);
                    counted = walk.FilesChecked;
                    _leaves.Set(walk.LeavesChecked);
                    var pause = walk.Pause();
                    if (pause >= s_minPause)
                    {
                        await Task.Delay(pause, _clock, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // The hub keeps serving (reads still verify); the next start walks again.
                _log.LogWarning("store walk stopped after {Files} files: {Error}", walk.FilesChecked, e.Message);
                return;
            }

            if (!walk.Done)
            {
                return;
            }

            _done.Set(1);
            _log.LogInformation("store walk done: {Files} shard files checked in {Seconds:0.0} s; {Report}",
                walk.FilesChecked, _clock.GetElapsedTime(started).TotalSeconds, walk.Report.ToString());
        }
    }
}
