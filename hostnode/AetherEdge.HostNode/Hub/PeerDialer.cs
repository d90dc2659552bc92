using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Authentication;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Dials the directory's peers for one sync round. Devices are dialled concurrently, each with a short TCP
    /// connect timeout and the TLS handshake bound, so one silent or slow address (a tarpit) delays only the
    /// device it claims to be, never the others. A device's addresses are tried one after another until one
    /// syncs: proven ones first, then configured ones, then suggestions in the order they were first heard (a
    /// flood of later announcements cannot jump the queue). A failed suggestion backs off (the sync interval,
    /// doubling to <see cref="MaxBackoff"/>); at most one unproven suggestion per device is tried per round, and
    /// after one failed the device's unproven suggestions back off the same way, so replacing failed suggestions
    /// with fresh ones cannot make the hub dial faster. Configured and proven addresses are tried every round. Every dial is counted by result (<c>aether_sync_dials_total</c>) and failures
    /// are logged with their real reason, at most <see cref="LogLinesPerMinute"/> lines a minute per result.
    /// </summary>
    public sealed class PeerDialer
    {
        public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);
        public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
        public const int MaxConcurrentDevices = 16;
        public const int LogLinesPerMinute = 6;

        public const string Ok = "ok";
        public const string Busy = "busy";
        public const string Refused = "refused";
        public const string Unreachable = "unreachable";
        public const string Timeout = "timeout";
        public const string Failed = "failed";

        private static readonly string[] s_results = { Ok, Busy, Refused, Unreachable, Timeout, Failed };

        private readonly HubSettings _settings;
        private readonly SyncNode _node;
        private readonly PeerDirectory _directory;
        private readonly PeerKnowledge _peers;
        private readonly TimeProvider _clock;
        private readonly ILogger<PeerDialer> _log;
        private readonly LogBudget _budget;
        private readonly Counter _dials;
        private readonly ConcurrentDictionary<string, (long Next, TimeSpan Backoff)> _backoff = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, (long Next, TimeSpan Backoff)> _unprovenBackoff = new(StringComparer.Ordinal);

        public PeerDialer(HubSettings settings, SyncNode node, PeerDirectory directory, PeerKnowledge peers, TimeProvider clock, ILogger<PeerDialer> log, IMetricFactory? metrics = null)
        {
            _settings = settings;
            _node = node;
            _directory = directory;
            _peers = peers;
            _clock = clock;
            _log = log;
            _budget = new LogBudget(LogLinesPerMinute, clock);
            metrics ??= Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());
            _dials = metrics.CreateCounter("aether_sync_dials_total", "Sync dials by result (ok, busy, refused, unreachable, timeout, failed).", new[] { "result" });
            foreach (string r in s_results)
            {
                _dials.WithLabels(r);
            }
        }

        /// <summary>Dials that ended with <paramref name="result"/> so far.</summary>
        public long Dials(string result) => (long)_dials.WithLabels(result).Value;

        /// <summary>
        /// One round over every known device not synced moments ago; true when each was heard from or could not
        /// be reached (false when a device was busy with us and its inventory has not arrived yet).
        /// </summary>
        public Task<bool> RoundAsync(CancellationToken ct) =>
            RoundAsync(id => !(_node.SinceLastSync(id) < _settings.SyncIntervalSeconds * 1000L * 9 / 10), null, ct);

        /// <summary>
        /// One round over every known trusted device <paramref name="due"/> says to dial now (and every configured
        /// address whose device is not known yet); <paramref name="busy"/> hears of each device that was in a session
        /// with us already. True when each was heard from or could not be reached.
        /// </summary>
        public Task<bool> RoundAsync(Func<DeviceId, bool> due, Action<DeviceId>? busy, CancellationToken ct) => RoundAsync(due, busy, false, ct);

        /// <summary>
        /// As above; a <paramref name="push"/> round (the local store changed) also dials addresses in backoff: a
        /// peer that was down at start-up gets the news when it is back, not after the backoff. Pushes come from
        /// local changes only (put, rm; coalesced, one round at a time), so the network cannot raise this rate,
        /// and dials stay concurrent with the short connect bound.
        /// </summary>
        public async Task<bool> RoundAsync(Func<DeviceId, bool> due, Action<DeviceId>? busy, bool push, CancellationToken ct)
        {
            var devices = new Dictionary<string, List<PeerEndpoint>>(StringComparer.Ordinal);
            var live = new HashSet<string>(StringComparer.Ordinal);
            foreach (var peer in _directory.Snapshot())
            {
                live.Add(peer.EndPoint.ToString());
                if (peer.Id is { } id && (!_peers.IsTrusted(id) || !due(id)))
                {
                    // Untrusted, or not due (it synced with us, both ways, moments ago).
                    continue;
                }

                string key = peer.Id is { } known ? known.Text : "@" + peer.EndPoint;
                if (!devices.TryGetValue(key, out var list))
                {
                    devices[key] = list = new List<PeerEndpoint>();
                }

                list.Add(peer);
            }

            // Backoff is remembered only for addresses and devices still in the directory (bounded with it).
            foreach (string key in _backoff.Keys.Where(k => !live.Contains(k)).ToList())
            {
                _backoff.TryRemove(key, out _);
            }

            foreach (string key in _unprovenBackoff.Keys.Where(k => !devices.ContainsKey(k)).ToList())
            {
                _unprovenBackoff.TryRemove(key, out _);
            }

            using var slots = new SemaphoreSlim(MaxConcurrentDevices);
            var rounds = devices.Values.Select(async list =>
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    return await DialDeviceAsync(list[0].Id?.Text ?? string.Empty, list, busy, push, ct).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            }).ToList();
            bool[] heard = await Task.WhenAll(rounds).ConfigureAwait(false);
            return heard.All(h => h);
        }

        private async Task<bool> DialDeviceAsync(string device, List<PeerEndpoint> addresses, Action<DeviceId>? busyWith, bool push, CancellationToken ct)
        {
            long now = _clock.GetTimestamp();
            bool unprovenTried = false;
            foreach (var peer in addresses.OrderByDescending(p => p.Proven).ThenByDescending(p => p.Source == "static").ThenBy(p => p.Failures).ThenBy(p => p.Heard))
            {
                string key = peer.EndPoint.ToString();
                bool suggested = !peer.Proven && peer.Source != "static";
                if ((!push && _backoff.TryGetValue(key, out var b) && b.Next > now)
                    || (suggested && (unprovenTried || (!push && _unprovenBackoff.TryGetValue(device, out var d) && d.Next > now))))
                {
                    continue;
                }

                unprovenTried |= suggested;

                try
                {
                    var outcome = await DialAsync(peer, ct).ConfigureAwait(false);
                    Count(Ok);
                    peer.Id ??= outcome.Peer;
                    peer.LastSyncMilliseconds = Environment.TickCount64;
                    _directory.Proved(peer.EndPoint, outcome.Peer);
                    _backoff.TryRemove(key, out _);
                    _unprovenBackoff.TryRemove(device, out _);
                    return true;
                }
                catch (SessionBusyException busy) when (!ct.IsCancellationRequested)
                {
                    // The peer is in a session with us right now (it dialled us): it counts as heard from only
                    // once that session delivered its inventory (crossing dials at start-up otherwise leave a
                    // node planning over itself and one peer, pulling shards the full plan gives others).
                    Count(Busy);
                    busyWith?.Invoke(busy.Peer);
                    return _peers.HasInventory(busy.Peer);
                }
                catch (DialFailure f) when (!ct.IsCancellationRequested)
                {
                    Count(f.Result);
                    _directory.Failed(peer.EndPoint);
                    // Only suggestions back off: configured and proven addresses are tried every round, as a
                    // peer that was down (or not listening yet) is expected back.
                    var next = TimeSpan.Zero;
                    if (suggested)
                    {
                        next = BackOff(_backoff, key);
                        BackOff(_unprovenBackoff, device);
                    }

                    if (_budget.TryTake(f.Result, out long withheld))
                    {
                        var level = f.Result == Refused ? LogLevel.Warning : LogLevel.Information;
                        _log.Log(level, "sync dial to {Peer} ({Device}, {Source}) failed: {Reason}; next try {When}{Withheld}",
                            peer.EndPoint, peer.Id?.Short ?? "unknown device", peer.Source, f.Message,
                            next == TimeSpan.Zero ? "next round" : "in " + (int)next.TotalSeconds + " s", LogBudget.Withheld(withheld));
                    }
                }
            }

            // Unreachable at every address: try again next round.
            return true;
        }

        /// <summary>Doubles <paramref name="key"/>'s backoff (from the sync interval, at most <see cref="MaxBackoff"/>) and returns it.</summary>
        private TimeSpan BackOff(ConcurrentDictionary<string, (long Next, TimeSpan Backoff)> table, string key)
        {
            var next = table.TryGetValue(key, out var old)
                ? TimeSpan.FromTicks(Math.Min(old.Backoff.Ticks * 2, MaxBackoff.Ticks))
                : TimeSpan.FromSeconds(Math.Max(1, _settings.SyncIntervalSeconds));
            table[key] = (_clock.GetTimestamp() + (long)(next.TotalSeconds * _clock.TimestampFrequency), next);
            return next;
        }

        private async Task<SyncOutcome> DialAsync(PeerEndpoint peer, CancellationToken ct)
        {
            using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
            session.CancelAfter(SyncHostedService.SessionTimeout);
            bool connected = false;
            try
            {
                if (peer.Id is not { } expected)
                {
                    // A configured address whose device is not known yet: the node dials it (the user typed it).
                    return await _node.SyncWithAsync(peer.EndPoint, null, session.Token).ConfigureAwait(false);
                }

                using var client = new TcpClient(peer.EndPoint.AddressFamily) { NoDelay = true };
                using (var connect = CancellationTokenSource.CreateLinkedTokenSource(session.Token))
                {
                    connect.CancelAfter(ConnectTimeout);
                    await client.ConnectAsync(peer.EndPoint, connect.Token).ConfigureAwait(false);
                }

                connected = true;
                return await _node.SyncOverAsync(client.GetStream(), expected, session.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new DialFailure(Timeout, session.IsCancellationRequested
                    ? "the session ran over " + SyncHostedService.SessionTimeout.TotalMinutes + " min"
                    : connected || peer.Id == null
                        ? "TLS handshake not completed within " + SyncNode.HandshakeTimeout.TotalSeconds + " s (the address accepts connections but does not answer)"
                        : "no answer to the TCP connect within " + ConnectTimeout.TotalSeconds + " s");
            }
            catch (SocketException e)
            {
                throw new DialFailure(Unreachable, e.Message + " (" + e.SocketErrorCode + ")");
            }
            catch (AuthenticationException e)
            {
                throw new DialFailure(Refused, "TLS handshake refused: " + e.Message + (peer.Id is { } id ? " (the address was announced as " + id.Short + ")" : string.Empty));
            }
            catch (IOException e) when (e is not SessionBusyException)
            {
                throw new DialFailure(Failed, e.InnerException is SocketException s ? s.Message + " (" + s.SocketErrorCode + ")" : e.Message);
            }
            catch (Exception e) when (e is not DialFailure and not SessionBusyException and not OperationCanceledException)
            {
                // Whatever else breaks (a store error in the session) ends this dial only, never the round.
                throw new DialFailure(Failed, e.GetType().Name + ": " + e.Message);
            }
        }

        private void Count(string result) => _dials.WithLabels(result).Inc();

        private sealed class DialFailure : Exception
        {
            public DialFailure(string result, string message)
                : base(message)
            {
                Result = result;
            }

            public string Result { get; }
        }
    }
}
