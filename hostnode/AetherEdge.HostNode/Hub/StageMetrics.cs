using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// The pipeline stage counters (<see cref="StageCounter"/>: about 50 ns a call, so they wrap every chunk)
    /// of the hub's store and of sync, published on the hub's registry when scraped:
    /// <c>aether_stage_seconds_total{stage}</c>, <c>aether_stage_bytes_total{stage}</c>,
    /// <c>aether_stage_calls_total{stage}</c>. Sync's stages are process-wide (one hub per process in use).
    /// </summary>
    public sealed class StageMetrics : IMetricsSource
    {
        private readonly StageSet[] _sets;
        private readonly Counter _seconds, _bytes, _calls;

        public StageMetrics(CollectorRegistry registry, ShardStore store)
        {
            _sets = new StageSet[] { store.Stages, SyncStages.Shared, Shards.PutStages.Shared };
            var m = Metrics.WithCustomRegistry(registry);
            var stage = new[] { "stage" };
            _seconds = m.CreateCounter("aether_stage_seconds_total", "Time spent in each pipeline stage (put.*, store.*, sync.*).", stage);
            _bytes = m.CreateCounter("aether_stage_bytes_total", "Bytes through each pipeline stage.", stage);
            _calls = m.CreateCounter("aether_stage_calls_total", "Calls of each pipeline stage.", stage);
            registry.AddBeforeCollectCallback(Publish);
        }

        private void Publish()
        {
            foreach (var set in _sets)
            {
                foreach (var s in set.Snapshot())
                {
                    _seconds.WithLabels(s.Stage).IncTo(s.Seconds);
                    _bytes.WithLabels(s.Stage).IncTo(s.Bytes);
                    _calls.WithLabels(s.Stage).IncTo(s.Calls);
                }
            }
        }
    }
}
