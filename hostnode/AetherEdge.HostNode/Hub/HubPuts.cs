using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Diagnostics;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Puts handed over by <c>aether put</c> on this hub's home (issue 13): the hub encodes and streams each file's
    /// shards straight to their planned holders over push links while it encodes (<see cref="PushRouting"/>), keeps
    /// only its own planned shards (and those of holders it cannot reach), commits each manifest once every
    /// streamed shard is acknowledged as durable, then asks for a push round so peers get the manifests at once.
    /// A push that fails midway makes the put run again keeping every shard here (files already committed are found
    /// by their content and only named). One put at a time.
    /// </summary>
    public sealed class HubPuts : IMetricsSource
    {
        private readonly HubSettings _settings;
        private readonly ShardStore _store;
        private readonly PlacementOracle _oracle;
        private readonly PeerDirectory _directory;
        private readonly TlsPeerPolicy _policy;
        private readonly SyncTrigger _trigger;
        private readonly ILogger<HubPuts> _log;
        private readonly SemaphoreSlim _one = new(1, 1);
        private readonly Counter _puts;
        private readonly Counter _pushed;
        private readonly Counter _keptLocally;

        public HubPuts(HubSettings settings, ShardStore store, PlacementOracle oracle, PeerDirectory directory, TlsPeerPolicy policy, SyncTrigger trigger, ILogger<HubPuts> log, IMetricFactory metrics)
        {
            _puts = metrics.CreateCounter("aether_hub_puts_total", "Puts aether put handed to this hub.");
            _pushed = metrics.CreateCounter("aether_push_bytes_sent_total", "Shard bytes this hub's puts streamed to their planned holders.");
            _keptLocally = metrics.CreateCounter("aether_push_fallbacks_total", "Hub puts done again keeping every shard here because a push failed midway.");
            _settings = settings;
            _store = store;
            _oracle = oracle;
            _directory = directory;
            _policy = policy;
            _trigger = trigger;
            _log = log;
        }

        /// <summary>Runs one put; throws <see cref="IOException"/> (bad input, quota, storage) with a one-line message.</summary>
        public HubPutResponse Put(IReadOnlyList<PutSource> files, int dataShards, int parityShards, CancellationToken cancellation)
        {
            _one.Wait(cancellation);
            try
            {
                var pipeline = new ShardPipeline(_store, new UserKeys(NodeHome.Open(_settings.Home).ReadUserKey()));
                var response = new HubPutResponse();
                IReadOnlyList<PutResult> results;
                using (var routing = new PushRouting(_oracle, _directory, _policy, cancellation))
                {
                    try
                    {
                        results = pipeline.PutMany(files, dataShards, parityShards, ShardLimits.DefaultSegmentBytes, null, cancellation, routing);
                    }
                    catch (IOException e) when (e is not ShardException and not QuotaExceededException)
                    {
                        // A holder went away midway: its shards of the uncommitted files exist nowhere; do those files here.
                        _log.LogWarning("put: streaming to peers failed ({Why}); keeping the shards here", e.Message);
                        results = pipeline.PutMany(files, dataShards, parityShards, ShardLimits.DefaultSegmentBytes, null, cancellation);
                        response.KeptLocally = true;
                        _keptLocally.Inc();
                    }

                    response.PushedBytes = routing.BytesPushed;
                    _pushed.Inc(response.PushedBytes);
                    _puts.Inc();
                    response.Unreachable.AddRange(routing.Unreachable);
                }

                _trigger.RequestPush();
                foreach (var r in results)
                {
                    response.Results.Add(new HubPutResult
                    {
                        FileId = r.FileId,
                        Path = r.RecordedPath,
                        Bytes = r.Manifest.OriginalBytes,
                        Shards = r.Manifest.TotalShards,
                        StoredBytes = r.StoredBytes,
                        SameContentAs = r.SameContentAs,
                    });
                }

                return response;
            }
            finally
            {
                _one.Release();
            }
        }
    }
}
