using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AetherEdge.Core.Scheduling;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Repair;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Listens for trusted peers on the sync port and, every interval the scheduler allows, dials
    /// every known peer once. Stops gracefully: the listener closes, running sessions are cancelled.
    /// </summary>
    public sealed class SyncHostedService : BackgroundService
    {
        public static readonly TimeSpan SessionTimeout = TimeSpan.FromMinutes(30);

        private readonly HubSettings _settings;
        private readonly SyncNode _node;
        private readonly PeerDirectory _directory;
        private readonly PeerDialer _dialer;
        private readonly PeerKnowledge _peers;
        private readonly PullPolicy _pulling;
        private readonly MisplacedShards _misplaced;
        private readonly ShardRepairs _repairs;
        private readonly HubScheduler _scheduler;
        private readonly LocalStatus _local;
        private readonly SyncTrigger _trigger;
        private readonly IFarPeers _far;
        private readonly ILogger<SyncHostedService> _log;
        private readonly IHostApplicationLifetime _lifetime;
        private readonly LogBudget _budget = new(PeerDialer.LogLinesPerMinute);
        private readonly DiscoveryMetrics _discovery;
        private HashSet<string> _problems = new(StringComparer.Ordinal);
        private bool _synced;
        private readonly ConcurrentDictionary<DeviceId, byte> _pushAfter = new();
        private readonly System.Diagnostics.Stopwatch _startedFar = System.Diagnostics.Stopwatch.StartNew();

        public SyncHostedService(
            HubSettings settings,
            SyncNode node,
            PeerDirectory directory,
            PeerDialer dialer,
            PeerKnowledge peers,
            PullPolicy pulling,
            MisplacedShards misplaced,
            ShardRepairs repairs,
            HubScheduler scheduler,
            LocalStatus local,
            SyncTrigger trigger,
            IFarPeers far,
            ILogger<SyncHostedService> log,
            IHostApplicationLifetime lifetime,
            DiscoveryMetrics discovery)
        {
            _discovery = discovery;
            _settings = settings;
            _node = node;
            _directory = directory;
            _dialer = dialer;
            _peers = peers;
            _pulling = pulling;
            _misplaced = misplaced;
            _repairs = repairs;
            _scheduler = scheduler;
            _local = local;
            _trigger = trigger;
            _far = far;
            _log = log;
            _lifetime = lifetime;
            _node.SessionEnded += OnSessionEnded;
            _node.SessionEnded += o =>
            {
                if (_pushAfter.TryRemove(o.Peer, out _))
                {
                    _trigger.RequestPush();
                }
            };
            _node.HandshakeRefused += (ep, why) =>
            {
                if (_budget.TryTake("refused", out long withheld))
                {
                    _log.LogWarning("refused connection from {Remote}: {Reason}{Withheld}", ep, why, LogBudget.Withheld(withheld));
                }
            };
            _node.ConnectionFailed += (ep, why) =>
            {
                if (_budget.TryTake("failed", out long withheld))
                {
                    _log.LogInformation("connection from {Remote} ended: {Reason}{Withheld}", ep, why, LogBudget.Withheld(withheld));
                }
            };
        }

        /// <summary>
        /// Every session is logged; one refused for clock skew or replayed frames (ours or the peer's refusal)
        /// is a warning, at a bounded rate: a wrong clock stops sync with everyone and should be seen.
        /// </summary>
        private void OnSessionEnded(SyncOutcome o)
        {
            // New items mean someone in the kit used a device: what the adaptive planner predicts.
            if (o.ItemsReceived > 0)
            {
                _scheduler.Used();
            }

            string failure = o.Failure == null ? string.Empty : " (" + o.Failure + ")";
            string? kind = o.Failure == null ? null : ReplayWindow.IsSkew(o.Failure) ? "clock skew" : ReplayWindow.IsReplay(o.Failure) ? "replayed frames" : null;
            if (kind == null)
            {
                _log.LogInformation(
                    "sync with {Peer}: {State}{Failure}, received {Received} B ({Items} items), sent {Sent} B",
                    o.Peer, o.State, failure, o.BytesReceived, o.ItemsReceived, o.BytesSent);
            }
            else if (_budget.TryTake(kind, out long withheld))
            {
                _log.LogWarning(
                    "sync with {Peer}: {State}, frames refused for {Kind}{Failure}{Hint}{Withheld}",
                    o.Peer, o.State, kind, failure, kind == "clock skew" ? "; check both devices' clocks" : string.Empty, LogBudget.Withheld(withheld));
            }
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var bind = new IPEndPoint(_settings.Interface ?? IPAddress.Any, _settings.Port);
            var listener = new TcpListener(bind);
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                _log.LogCritical("cannot listen on {Bind}: {Error}", bind, e.Message);
                Environment.ExitCode = 1;
                _lifetime.StopApplication();
                return;
            }

            _log.LogInformation("hub {Id} ({Name}, {Kind}) listening for sync on {Bind}", _node.Identity.DeviceId, _settings.Name, _settings.Kind, listener.LocalEndpoint);
            foreach (var p in _settings.StaticPeers)
            {
                _directory.Upsert(p, null, DiscoveryMetrics.ProtocolStatic);
                _discovery.PeerDiscovered(DiscoveryMetrics.ProtocolStatic);
            }

            Task serving = _node.ServeAsync(listener, stoppingToken);
            var listener6 = _settings.Interface == null ? ListenIpv6() : null;
            Task serving6 = listener6 == null ? Task.CompletedTask : _node.ServeAsync(listener6, stoppingToken);
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    // Once a round has heard from every known peer (or found it unreachable), plans see who
                    // is online and what they hold; until then pulling would follow a plan over too few devices.
                    if (await RoundAsync(_trigger.TakePush(), stoppingToken))
                    {
                        _synced = true;
                        _pulling.Start();
                    }

                    // ±25 % jitter keeps two nodes from dialling each other in lockstep. The loser of the race
                    // is cancelled, so a forgotten wait cannot swallow the next trigger.
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    double seconds = _settings.SyncIntervalSeconds * (0.75 + (Random.Shared.NextDouble() / 2));
                    await Task.WhenAny(_trigger.WaitAsync(wait.Token), Task.Delay(TimeSpan.FromSeconds(seconds), wait.Token));
                    wait.Cancel();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            finally
            {
                listener.Stop();
                listener6?.Stop();
                await serving;
                await serving6;
                _log.LogInformation("sync service stopped");
            }
        }

        /// <summary>
        /// The same port on IPv6 (v6 only, beside the IPv4 socket): peers that have only an IPv6 link-local address on a
        /// link (a Wi-Fi Direct client whose group owner hands out no address) dial us there. Null when IPv6 is off.
        /// </summary>
        private TcpListener? ListenIpv6()
        {
            var listener = new TcpListener(IPAddress.IPv6Any, _settings.Port);
            try
            {
                listener.Server.DualMode = false;
                listener.Start();
                return listener;
            }
            catch (SocketException e)
            {
                _log.LogInformation("sync on IPv6 off ({Error}): IPv4 only", e.SocketErrorCode);
                listener.Stop();
                return null;
            }
        }

        /// <summary>
        /// One round; true when every known peer was heard from or could not be reached. A <paramref name="push"/>
        /// round (the store changed) dials every trusted peer, also those it synced with moments ago.
        /// </summary>
        private async Task<bool> RoundAsync(bool push, CancellationToken ct)
        {
            _local.RefreshPower();

            // Local housekeeping runs every round, even when the policy skips syncing (phones).
            try
            {
                var dropped = _misplaced.Prune();
                if (dropped.Count > 0)
                {
                    _log.LogInformation("dropped {Count} shards now held by their assigned devices", dropped.Count);
                }
            }
            catch (Exception e) when (e is IOException or System.Data.Common.DbException)
            {
                _log.LogWarning("pruning failed: {Error}", e.Message);
            }

            if (_synced)
            {
                Repair();
            }

            var peers = _directory.Snapshot();
            if (peers.Count == 0)
            {
                return true;
            }

            if (push)
            {
                _log.LogInformation("the store changed: pushing to trusted peers now");
            }

            var decision = _scheduler.Request(_local.Profile());
            if (decision != SyncDecision.Allowed)
            {
                _log.LogInformation("sync round skipped: {Decision}", decision);
                return true;
            }

            // Devices are dialled concurrently with short connect bounds (PeerDialer): one slow or silent
            // address never holds up the others. A device synced moments ago is skipped unless this is a push it
            // would take now; one busy with us during a push (its session started with the old inventory) gets
            // another push when that session ends.
            bool heardFromAll = await _dialer.RoundAsync(
                id => !(_node.SinceLastSync(id) < _settings.SyncIntervalSeconds * 1000L * 9 / 10) || (push && TakesPushes(id)),
                id =>
                {
                    if (push)
                    {
                        _pushAfter.TryAdd(id, 0);
                    }
                },
                push,
                ct);

            await SyncFarPeersAsync(push, ct);
            _scheduler.Completed(_local.Profile());

            // Inputs pulled this round may complete a repair now. Not before a round has heard from
            // every peer: a node that just started would take shards its peers hold for lost.
            if (heardFromAll)
            {
                _synced = true;
                Repair();
            }

            return heardFromAll;
        }

        /// <summary>
        /// Trusted hubs heard through the mesh that no direct link reaches: one session each through a tunnel
        /// (end-to-end TLS inside; the relays only splice bytes). A failure waits for the next round.
        /// </summary>
        private async Task SyncFarPeersAsync(bool push, CancellationToken ct)
        {
            foreach (var far in _far.Reachable())
            {
                // Both ends would dial each other every round and refuse the crossing session: the smaller
                // device ID dials, the other only when nothing came for three intervals.
                long interval = _settings.SyncIntervalSeconds * 1000L;
                long? since = _node.SinceLastSync(far.Device);
                bool mine = string.CompareOrdinal(_node.Identity.DeviceId.Text, far.Device.Text) < 0;
                if ((!push || !TakesPushes(far.Device)) && (since < interval * 9 / 10 || (!mine && (since == null ? _startedFar.Elapsed.TotalMilliseconds < 3 * interval : since < 3 * interval))))
                {
                    continue;
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(SessionTimeout);
                try
                {
                    var tunnel = await _far.OpenAsync(far.Device, timeout.Token);
                    await _node.SyncOverAsync(tunnel, far.Device, timeout.Token);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    _log.LogInformation("sync with {Peer} ({Hops} hops) through the mesh failed: {Error}", far.Device.Short, far.Hops, e.Message);
                }
            }
        }

        /// <summary>
        /// A push dials a peer outside its rounds only when the seed's policy would let that device sync now, judged
        /// by its last Hello (a phone on low battery or cellular, or one synced under five minutes ago, waits for its
        /// own scheduled round: incoming sessions pull, so a push would make it spend the battery its scheduler saves).
        /// </summary>
        private bool TakesPushes(DeviceId peer) =>
            _peers.LastProfile(peer) is not { } profile || SyncPolicy.ShouldSyncNow(profile, _node.SinceLastSync(peer) ?? -1) == SyncDecision.Allowed;

        private void Repair()
        {
            try
            {
                var report = _repairs.Pass();
                if (report.Rebuilt > 0)
                {
                    _log.LogInformation("rebuilt {Count} lost shards from their files' other shards", report.Rebuilt);
                }

                // Each problem once until it changes, not every round.
                foreach (string p in report.Problems.Where(p => !_problems.Contains(p)))
                {
                    _log.LogWarning("repair: {Problem}", p);
                }

                _problems = report.Problems.ToHashSet(StringComparer.Ordinal);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
            {
                _log.LogWarning("repair failed: {Error}", e.Message);
            }
        }
    }
}
