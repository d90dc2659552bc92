using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AetherEdge.Core.Devices;
using AetherEdge.Core.WifiDirect;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Trust;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>
    /// <c>aether hub</c>'s Wi-Fi Direct: one thread owns the control link and the <see cref="P2pManager"/> (events,
    /// a tick a second, a PING every 5 s; when wpa_supplicant restarts it reconnects, re-attaches and starts a fresh
    /// manager). No wpa_supplicant, or one without P2P, is one log line and the hub runs on its other links.
    /// On a group: address, group sync listener, the group peer in the peer directory, and a TLS session with it
    /// right away; only that session (client) or a session with a device the group's service data named (GO)
    /// verifies the group.
    /// </summary>
    public sealed class WifiDirectService : BackgroundService, IP2pGroupNetwork, IP2pControl
    {
        private static readonly TimeSpan s_health = TimeSpan.FromSeconds(5);
        private readonly WifiDirectOptions _options;
        private readonly SyncNode _sync;
        private readonly TrustCircle _trust;
        private readonly PeerDirectory _directory;
        private readonly Func<DeviceProfile> _profile;
        private readonly ILogger<WifiDirectService> _log;
        private readonly GroupNetwork _net;
        private readonly ConcurrentQueue<Action> _posted = new();
        private readonly ConcurrentDictionary<string, WpaControlLink> _groupLinks = new(StringComparer.Ordinal);
        private readonly SystemClock _clock = new();
        private WpaControlLink? _link;
        private P2pManager? _manager;
        private TcpListener? _groupListener;
        private CancellationToken _stopping;
        private long _rx, _tx, _lastRx, _lastTx;

        public WifiDirectService(WifiDirectOptions options, SyncNode sync, TrustCircle trust, PeerDirectory directory, Func<DeviceProfile> profile, P2pCounters counters, ILogger<WifiDirectService> log)
        {
            _options = options;
            _sync = sync;
            _trust = trust;
            _directory = directory;
            _profile = profile;
            Counters = counters;
            _log = log;
            _net = new GroupNetwork(options, log);
            _sync.SessionEnded += o => _posted.Enqueue(() => OnSessionEnded(o));
        }

        public P2pCounters Counters { get; }

        /// <summary>The group now (for /metrics), or null.</summary>
        public P2pGroup? Group { get; private set; }

        /// <summary>Peers in our group besides us.</summary>
        public int GroupPeers { get; private set; }

        /// <summary>Radio peers known now.</summary>
        public IReadOnlyList<P2pPeerView> Peers { get; private set; } = Array.Empty<P2pPeerView>();

        /// <summary>Bytes received and sent over group interfaces (from the kernel's counters).</summary>
        public long GroupBytesReceived => Interlocked.Read(ref _rx);

        public long GroupBytesSent => Interlocked.Read(ref _tx);

        public string Request(string command) => (_link ?? throw new WpaLinkException(WpaLinkFailure.Unreachable, "not connected")).Request(command);

        public string RequestOn(string ifname, string command)
        {
            string dir = Path.GetDirectoryName(_link?.SocketPath) ?? WifiDirectOptions.RunDirectory;
            var link = _groupLinks.GetOrAdd(ifname, i => new WpaControlLink(Path.Combine(dir, i), _options.Link));
            return link.Request(command);
        }

        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            string? socket = _options.ResolveSocket();
            if (socket == null)
            {
                _log.LogInformation("Wi-Fi Direct off ({Setting}: no wpa_supplicant P2P socket)", _options.Setting);
                return Task.CompletedTask;
            }

            _stopping = stoppingToken;
            return Task.Factory.StartNew(() => Run(socket, stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        private void Run(string socket, CancellationToken stop)
        {
            bool saidUnreachable = false;
            using var link = new WpaControlLink(socket, _options.Link);
            _link = link;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (_manager == null)
                    {
                        if (!link.Reconnect(attach: true))
                        {
                            if (!saidUnreachable)
                            {
                                _log.LogWarning("Wi-Fi Direct waiting: no wpa_supplicant answers on {Socket}; the hub runs on its other links", socket);
                                saidUnreachable = true;
                            }

                            stop.WaitHandle.WaitOne(s_health);
                            continue;
                        }

                        var ours = new AetherServiceRecord(AetherTxt.HostLabel("aether-", _options.NodeId), _options.NodeId, _options.DeviceType, _options.StorageBytes, AetherTxt.SoftwareVersion);
                        var manager = new P2pManager(this, ours, IsTrusted, _profile, this, _clock, _options.Manager, Counters);
                        if (!manager.Start())
                        {
                            _log.LogWarning("Wi-Fi Direct off: wpa_supplicant on {Socket} has no P2P support (P2P_FIND refused); the hub runs on its other links", socket);
                            return;
                        }

                        _manager = manager;
                        saidUnreachable = false;
                        _log.LogInformation("Wi-Fi Direct on {Socket}: publishing _aetherlight._tcp by P2P service discovery", socket);
                    }

                    Loop(link, _manager, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            finally
            {
                if (Group is { } g)
                {
                    GroupDown(g);
                }

                foreach (var l in _groupLinks.Values)
                {
                    l.Dispose();
                }

                _link = null;
            }
        }

        // Until stopped or wpa_supplicant stops answering (then the caller reconnects and starts a fresh manager).
        private void Loop(WpaControlLink link, P2pManager manager, CancellationToken stop)
        {
            var lastTick = DateTime.UtcNow;
            var lastHealth = DateTime.UtcNow;
            while (!stop.IsCancellationRequested)
            {
                if (link.ReceiveEvent(TimeSpan.FromMilliseconds(250)) is { } line)
                {
                    manager.OnEventLine(line);
                }

                while (_posted.TryDequeue(out var action))
                {
                    action();
                }

                if (DateTime.UtcNow - lastTick >= TimeSpan.FromSeconds(1))
                {
                    lastTick = DateTime.UtcNow;
                    CountTraffic(manager);
                    manager.Tick();
                    Group = manager.Group;
                    GroupPeers = manager.GroupPeers;
                    Peers = manager.Peers();
                }

                if (DateTime.UtcNow - lastHealth >= s_health)
                {
                    lastHealth = DateTime.UtcNow;
                    try
                    {
                        link.Request("PING");
                    }
                    catch (WpaLinkException)
                    {
                        _log.LogWarning("Wi-Fi Direct: wpa_supplicant on {Socket} stopped answering; reconnecting", link.SocketPath);
                        if (Group is { } g)
                        {
                            GroupDown(g);
                        }

                        _manager = null;
                        return;
                    }
                }
            }
        }

        private bool IsTrusted(string nodeId) => DeviceId.TryParse(nodeId, out var id, out _) && _trust.Contains(id);

        public void GroupUp(P2pGroup group)
        {
            Group = group;
            _lastRx = ReadCounter(group.Interface, "rx_bytes");
            _lastTx = ReadCounter(group.Interface, "tx_bytes");
            _log.LogInformation("Wi-Fi Direct group {Interface} up as {Role}{Persistent}", group.Interface, group.Role == P2pRole.GroupOwner ? "group owner" : "client", group.Persistent ? " (persistent)" : string.Empty);
            _net.Configure(group);
            _groupListener = _net.Listen(group);
            if (_groupListener != null)
            {
                _ = _sync.ServeAsync(_groupListener, _stopping);
            }

            IPEndPoint? groupOwner = null;
            if (_net.GroupOwnerAddress(group) is { } go)
            {
                groupOwner = new IPEndPoint(go, _options.GroupPort);
                _directory.Upsert(groupOwner, null, "wifi-direct");
            }

            if (group.Role == P2pRole.Client)
            {
                // Reach the group owner now: this TLS session is what verifies the group (threat 4).
                string ifname = group.Interface;
                _ = Task.Run(() => VerifyAsync(ifname, groupOwner));
            }
        }

        /// <summary>
        /// A client's proof that the group holds a trusted device: a completed TLS session with the group owner at its
        /// <c>go_ip_addr</c>, or (a group owner that handed out no address: IPv6 link-local only) with a device mDNS found on
        /// the group interface. Tried until the manager's verify timeout.
        /// </summary>
        private async Task VerifyAsync(string ifname, IPEndPoint? groupOwner)
        {
            var refused = new HashSet<IPEndPoint>();
            var deadline = DateTime.UtcNow + _options.Manager.VerifyTimeout;
            while (!_stopping.IsCancellationRequested && DateTime.UtcNow < deadline && Group?.Interface == ifname)
            {
                var endpoint = groupOwner ?? OnGroupLink(ifname, refused);
                try
                {
                    if (endpoint == null)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), _stopping).ConfigureAwait(false);
                        continue;
                    }

                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
                    timeout.CancelAfter(TimeSpan.FromMinutes(5));
                    var outcome = await _sync.SyncWithAsync(endpoint, null, timeout.Token).ConfigureAwait(false);
                    if (_trust.Contains(outcome.Peer) && outcome.Failure == null)
                    {
                        _log.LogInformation("Wi-Fi Direct group {Interface}: verified by {Peer} at {Endpoint}", ifname, outcome.Peer, endpoint);
                        _posted.Enqueue(() => _manager?.ConfirmTrusted(ifname));
                        return;
                    }
                }
                catch (System.Security.Authentication.AuthenticationException e) when (groupOwner != null)
                {
                    // Its TLS identity is not in the circle (or it refused ours): a rogue group owner. It got no
                    // shard (no session ran); leave the group now and avoid it (threat 4).
                    _log.LogWarning("Wi-Fi Direct group {Interface}: group owner {Endpoint} is not in the trust circle ({Error}); leaving the group", ifname, endpoint, e.Message);
                    _posted.Enqueue(() => _manager?.RejectGroup(ifname));
                    return;
                }
                catch (System.Security.Authentication.AuthenticationException e)
                {
                    // Without the owner's address any member may answer; a stranger's claim proves nothing about
                    // the owner, so it is skipped (the verify timeout still removes a group with no trusted device).
                    _log.LogWarning("Wi-Fi Direct group {Interface}: {Endpoint} on the group link is not in the trust circle ({Error})", ifname, endpoint, e.Message);
                    refused.Add(endpoint!);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidOperationException)
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    _log.LogInformation("Wi-Fi Direct group {Interface}: {Endpoint} not verified ({Error})", ifname, endpoint, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(5), _stopping).ConfigureAwait(false);
                }
            }
        }

        /// <summary>An IPv6 link-local endpoint on <paramref name="ifname"/> that mDNS put in the directory, or null.</summary>
        private IPEndPoint? OnGroupLink(string ifname, HashSet<IPEndPoint> refused)
        {
            long index = ReadSys(Path.Combine(ifname, "ifindex"));
            return index <= 0 ? null : _directory.Snapshot()
                .Select(p => p.EndPoint)
                .FirstOrDefault(e => e.Address.IsIPv6LinkLocal && e.Address.ScopeId == index && !refused.Contains(e));
        }

        public void GroupDown(P2pGroup group)
        {
            _log.LogInformation("Wi-Fi Direct group {Interface} down", group.Interface);
            _groupListener?.Stop();
            _groupListener = null;
            if (_net.GroupOwnerAddress(group) is { } go)
            {
                _directory.Remove(new IPEndPoint(go, _options.GroupPort));
            }

            if (_groupLinks.TryRemove(group.Interface, out var link))
            {
                link.Dispose();
            }

            Group = null;
        }

        // As group owner, a completed session with a device the group's service data named verifies the group.
        private void OnSessionEnded(SyncOutcome o)
        {
            if (_manager?.Group is { Role: P2pRole.GroupOwner } g && o.Failure == null && _trust.Contains(o.Peer)
                && _manager.Peers().Any(p => p.Trusted && p.NodeId == o.Peer.Text))
            {
                _manager.ConfirmTrusted(g.Interface);
            }
        }

        private void CountTraffic(P2pManager manager)
        {
            if (manager.Group is not { } g)
            {
                return;
            }

            long rx = ReadCounter(g.Interface, "rx_bytes");
            long tx = ReadCounter(g.Interface, "tx_bytes");
            if (rx > _lastRx || tx > _lastTx)
            {
                Interlocked.Add(ref _rx, Math.Max(0, rx - _lastRx));
                Interlocked.Add(ref _tx, Math.Max(0, tx - _lastTx));
                _lastRx = rx;
                _lastTx = tx;
                manager.NoteTraffic(g.Interface);
            }
        }

        private static long ReadCounter(string ifname, string name) => ReadSys(Path.Combine(ifname, "statistics", name));

        // A number under /sys/class/net (the hub's own network namespace), 0 when absent.
        private static long ReadSys(string path)
        {
            try
            {
                return long.Parse(File.ReadAllText(Path.Combine("/sys/class/net", path)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                return 0;
            }
        }
    }
}
