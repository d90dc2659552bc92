using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Runs the hub's <see cref="MeshNode"/> on one dedicated thread, its only owner: drains the link
    /// events of <see cref="MeshLinks"/> (links up and down, packets), steps the router and the payload
    /// handlers, and sleeps until the router's next deadline or the next link event (at most 1 s).
    /// Every transport only attaches links to <see cref="MeshLinks"/>; nothing outside this thread touches
    /// the router. Published figures (<see cref="Snapshot"/>) are copied after each step for metrics.
    /// </summary>
    public sealed class MeshRouterService : BackgroundService
    {
        private readonly MeshNode _node;
        private readonly MeshLinks _links;
        private readonly TimeProvider _clock;
        private readonly ILogger<MeshRouterService> _log;
        private readonly MeshPacketIds? _ids;
        private readonly long _origin;
        private MeshRouterSnapshot _snapshot = MeshRouterSnapshot.Empty;

        /// <param name="ids">the hub's packet-id high-water mark, moved on as the router uses ids (none in simulations).</param>
        public MeshRouterService(MeshNode node, MeshLinks links, TimeProvider clock, ILogger<MeshRouterService> log, MeshPacketIds? ids = null)
        {
            _ids = ids;
            _node = node;
            _links = links;
            _clock = clock;
            _log = log;
            _origin = clock.GetTimestamp();
        }

        /// <summary>The router's figures as of its last step (any thread).</summary>
        public MeshRouterSnapshot Snapshot => Volatile.Read(ref _snapshot);

        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        private long Now() => (long)_clock.GetElapsedTime(_origin).TotalMilliseconds;

        private void Run(CancellationToken ct)
        {
            _log.LogInformation("mesh router {Node} running (hop limit {Hops})", MeshAddress.Format(_node.NodeId), _node.Options.HopLimit);
            long failures = 0;
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    long now = Now();
                    _node.Pump(_links, now);
                    _node.Step(now);
                    _ids?.Observe(_node.Router.NextPacketId);
                    if (_node.HandlerFailures != failures)
                    {
                        failures = _node.HandlerFailures;
                        _log.LogWarning("mesh handler failed: {Error}", _node.LastFailure?.Message);
                    }

                    Volatile.Write(ref _snapshot, MeshRouterSnapshot.Of(_node));
                    long wait = Math.Clamp(_node.NextWakeup() - Now(), 1, MeshNode.StepIntervalMilliseconds);
                    _links.Wait((int)wait, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }

            _log.LogInformation("mesh router stopped");
        }
    }

    /// <summary>The router's counters, copied on the router thread for readers on others.</summary>
    public sealed record MeshRouterSnapshot(
        long Transmissions,
        long RelaysQueued,
        long Delivered,
        long Duplicates,
        long Replays,
        long Malformed,
        long Retransmissions,
        long QueueOverflows,
        long HopLimitReached,
        long Confirmed,
        long Failed,
        long SendRefused,
        long DroppedNoLink,
        long DroppedLinkFull,
        int Neighbours)
    {
        public static readonly MeshRouterSnapshot Empty = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        public static MeshRouterSnapshot Of(MeshNode node)
        {
            var r = node.Router;
            return new MeshRouterSnapshot(
                r.Transmissions, r.RelaysQueued, node.Delivered, r.Duplicates, r.Replays, r.Malformed, r.Retransmissions,
                r.QueueOverflows, r.HopLimitReached, node.Confirmed, node.Failed, node.SendRefused, node.DroppedNoLink,
                node.DroppedLinkFull, node.Neighbours.Count);
        }
    }
}
