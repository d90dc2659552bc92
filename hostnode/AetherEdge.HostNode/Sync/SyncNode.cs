using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>The result of one sync session with one peer.</summary>
    public sealed record SyncOutcome(DeviceId Peer, SyncSessionState State, string? Failure, long BytesReceived, long BytesSent, int ItemsReceived, long InventoryEntriesSent = 0, long InventoryEntriesReceived = 0);

    /// <summary>A session with that peer is already running (the new connection is closed unused).</summary>
    public sealed class SessionBusyException : IOException
    {
        public SessionBusyException(DeviceId peer)
            : base("a session with " + peer + " is already running")
        {
            Peer = peer;
        }

        /// <summary>The peer the running session is with.</summary>
        public DeviceId Peer { get; }
    }

    /// <summary>Makes the session host for one authenticated peer.</summary>
    public interface ISyncHostFactory
    {
        ISyncSessionHost Create(DeviceId peer);
    }

    /// <summary>
    /// A node's sync endpoint: accepts and dials mutually authenticated TLS connections (only
    /// trust-circle members get past the handshake) and runs one SyncSession per connection.
    /// At most one session per peer at a time; replay windows persist per peer.
    /// </summary>
    public sealed class SyncNode
    {
        public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

        private readonly TlsPeerPolicy _policy;
        private readonly ISyncStore _store;
        private readonly ISyncHostFactory _hosts;
        private readonly Func<HelloFrame> _hello;
        private readonly ConcurrentDictionary<DeviceId, ReplayWindow> _windows = new();
        private readonly ConcurrentDictionary<DeviceId, SemaphoreSlim> _peerLocks = new();
        private readonly ConcurrentDictionary<DeviceId, long> _lastComplete = new();
        private readonly ConcurrentDictionary<DeviceId, long> _lastCompleteStarted = new();
        private readonly ConcurrentDictionary<DeviceId, SessionActivity> _running = new();
        private readonly SyncSessionOptions _sessions;
        private readonly ConcurrentDictionary<string, Func<SslStream, DeviceId, CancellationToken, Task>> _protocols = new(StringComparer.Ordinal);

        public SyncNode(NodeIdentity identity, TlsPeerPolicy policy, ISyncStore store, ISyncHostFactory hosts, Func<HelloFrame> hello, int chunkBytes = SyncLimits.DefaultChunkBytes, SyncMetrics? metrics = null, SyncSessionOptions? sessions = null)
        {
            _sessions = sessions ?? SyncSessionOptions.Default;
            Identity = identity;
            _policy = policy;
            _store = store;
            _hosts = hosts;
            _hello = hello;
            ChunkBytes = chunkBytes;
            Metrics = metrics ?? new SyncMetrics();
        }

        public NodeIdentity Identity { get; }

        public int ChunkBytes { get; }

        /// <summary>This node's sync counters (the hub's registry when the hub made it).</summary>
        public SyncMetrics Metrics { get; }

        /// <summary>Sessions that got past the TLS handshake (untrusted peers never count here).</summary>
        public long SessionsStarted => Interlocked.Read(ref _sessionsStarted);

        private long _sessionsStarted;

        /// <summary>Called after every session (for logs and the planner).</summary>
        public event Action<SyncOutcome>? SessionEnded;

        /// <summary>Called when an incoming connection fails after the handshake (or before it, not for trust reasons).</summary>
        public event Action<EndPoint?, string>? ConnectionFailed;

        /// <summary>Called when a handshake is refused.</summary>
        public event Action<EndPoint?, string>? HandshakeRefused;

        /// <summary>Milliseconds since the last completed session with <paramref name="peer"/> (either direction), or null.</summary>
        public long? SinceLastSync(DeviceId peer) =>
            _lastComplete.TryGetValue(peer, out long t) ? Environment.TickCount64 - t : null;

        /// <summary>
        /// Milliseconds since the last completed session with <paramref name="peer"/> began, or null: whatever the peer
        /// held then, that session exchanged (the push sweep's proof that a manifest never came).
        /// </summary>
        public long? SinceLastSessionStarted(DeviceId peer) =>
            _lastCompleteStarted.TryGetValue(peer, out long t) ? Environment.TickCount64 - t : null;

        /// <summary>Accepts connections until cancelled; each is served concurrently.</summary>
        public async Task ServeAsync(TcpListener listener, CancellationToken cancellation)
        {
            var running = new List<Task>();
            try
            {
                while (!cancellation.IsCancellationRequested)
                {
                    Socket socket = await listener.AcceptSocketAsync(cancellation).ConfigureAwait(false);
                    running.RemoveAll(t => t.IsCompleted);
                    running.Add(Task.Run(() => HandleIncomingAsync(socket, cancellation), CancellationToken.None));
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }

        /// <summary>Dials a peer and runs one session. Throws AuthenticationException when the peer is refused or refuses us.</summary>
        public async Task<SyncOutcome> SyncWithAsync(IPEndPoint endpoint, DeviceId? expected, CancellationToken cancellation, Func<Stream, Stream>? wrapTransport = null)
        {
            var client = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                connectTimeout.CancelAfter(HandshakeTimeout);
                await client.ConnectAsync(endpoint, connectTimeout.Token).ConfigureAwait(false);
                Stream transport = client.GetStream();
                if (wrapTransport != null)
                {
                    transport = wrapTransport(transport);
                }

                await using var ssl = new SslStream(transport, false);
                await ssl.AuthenticateAsClientAsync(_policy.ClientOptions(expected), connectTimeout.Token).ConfigureAwait(false);
                return await RunAsync(ssl, cancellation).ConfigureAwait(false);
            }
            finally
            {
                client.Dispose();
            }
        }

        /// <summary>
        /// Also accepts TLS connections that ask for <paramref name="alpn"/> on the sync port (same certificate,
        /// same trust check); <paramref name="serve"/> takes the authenticated stream and its peer. Registered by
        /// the mesh links at construction (the sync listener is the one listener of the hub).
        /// </summary>
        public void AcceptProtocol(string alpn, Func<SslStream, DeviceId, CancellationToken, Task> serve) => _protocols[alpn] = serve;

        /// <summary>Runs one session over a stream that reaches a trusted peer through relays (a mesh tunnel), as its TLS client.</summary>
        public async Task<SyncOutcome> SyncOverAsync(Stream transport, DeviceId expected, CancellationToken cancellation)
        {
            await using var ssl = new SslStream(transport, false);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                timeout.CancelAfter(HandshakeTimeout);
                await ssl.AuthenticateAsClientAsync(_policy.ClientOptions(expected), timeout.Token).ConfigureAwait(false);
            }

            return await RunAsync(ssl, cancellation).ConfigureAwait(false);
        }

        /// <summary>Serves one incoming connection that arrived through relays (a mesh tunnel) as if it were accepted here.</summary>
        public Task ServeStreamAsync(Stream transport, EndPoint? remote, CancellationToken cancellation) =>
            HandleIncomingAsync(transport, remote, cancellation);

        private async Task HandleIncomingAsync(Socket socket, CancellationToken cancellation)
        {
            try
            {
                socket.NoDelay = true;
                await HandleIncomingAsync(new NetworkStream(socket, true), socket.RemoteEndPoint, cancellation).ConfigureAwait(false);
            }
            finally
            {
                socket.Dispose();
            }
        }

        private async Task HandleIncomingAsync(Stream transport, EndPoint? remote, CancellationToken cancellation)
        {
            bool authenticated = false;
            try
            {
                await using var ssl = new SslStream(transport, false);
                var options = _policy.ServerOptions();
                foreach (string alpn in _protocols.Keys)
                {
                    options.ApplicationProtocols!.Add(new SslApplicationProtocol(alpn));
                }

                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    timeout.CancelAfter(HandshakeTimeout);
                    await ssl.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
                }

                authenticated = true;
                if (_protocols.TryGetValue(ssl.NegotiatedApplicationProtocol.ToString(), out var serve))
                {
                    await serve(ssl, TlsPeerPolicy.PeerOf(ssl), cancellation).ConfigureAwait(false);
                    return;
                }

                await RunAsync(ssl, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException)
            {
                Metrics.Reject();
                HandshakeRefused?.Invoke(remote, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
            {
                // A broken connection or store error ends this connection only. Say why, not "The operation was canceled".
                ConnectionFailed?.Invoke(remote, e is OperationCanceledException && !authenticated
                    ? "no TLS handshake within " + HandshakeTimeout.TotalSeconds + " s (an idle or slow client)"
                    : e.Message);
            }
            finally
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }
        }

        private async Task<SyncOutcome> RunAsync(SslStream ssl, CancellationToken cancellation)
        {
            DeviceId peer = TlsPeerPolicy.PeerOf(ssl);
            var gate = _peerLocks.GetOrAdd(peer, _ => new SemaphoreSlim(1, 1));

            // Never wait for a live session: two nodes dialling each other at once would each hold their lock
            // while waiting for the other's. One session per pair is enough (it syncs both ways). A session
            // that stopped moving is replaced: the peer dialling again shows it gave that one up.
            if (!gate.Wait(0))
            {
                if (!_running.TryGetValue(peer, out var stale) || stale.SilentMilliseconds < _sessions.StaleAfter.TotalMilliseconds)
                {
                    throw new SessionBusyException(peer);
                }

                stale.Abort(SessionActivity.Replaced);
                if (!await gate.WaitAsync(_sessions.ReplaceWait, cancellation).ConfigureAwait(false))
                {
                    throw new SessionBusyException(peer);
                }

                Metrics.Replacement();
            }

            var activity = new SessionActivity();
            _running[peer] = activity;
            Metrics.ConnectionOpened();
            Metrics.Attempt();
            Interlocked.Increment(ref _sessionsStarted);
            var watch = Stopwatch.StartNew();
            try
            {
                var window = _windows.GetOrAdd(peer, _ => new ReplayWindow());
                long skewBefore = window.RejectedSkew;
                long replayBefore = window.RejectedReplay;
                var inner = _hosts.Create(peer);
                var host = new MeteredHost(inner, Metrics);
                var session = new SyncSession(_store, host, CryptoRandom.Instance, window, _hello(), ChunkBytes);
                SyncSessionState state;
                try
                {
                    state = await SyncConnection.RunAsync(ssl, session, _sessions, activity, cancellation).ConfigureAwait(false);
                }
                finally
                {
                    (inner as IDisposable)?.Dispose();
                    Metrics.FramesRefused(window.RejectedSkew - skewBefore, window.RejectedReplay - replayBefore);
                    Metrics.KeepAlives(activity.KeepAlivesSent);
                    Metrics.Inventory(session.InventoryEntriesSent, session.InventoryEntriesReceived);
                    if (activity.AbortReason == SessionActivity.TimedOut)
                    {
                        Metrics.Timeout();
                    }
                }

                if (state == SyncSessionState.Complete)
                {
                    Metrics.Success(watch.Elapsed);
                    _lastComplete[peer] = Environment.TickCount64;
                    _lastCompleteStarted[peer] = Environment.TickCount64 - watch.ElapsedMilliseconds;
                }

                var outcome = new SyncOutcome(peer, state, activity.Explain(_sessions) ?? session.FailureReason, session.BytesReceived, session.BytesSent, session.ItemsReceived, session.InventoryEntriesSent, session.InventoryEntriesReceived);
                SessionEnded?.Invoke(outcome);
                return outcome;
            }
            finally
            {
                _running.TryRemove(new KeyValuePair<DeviceId, SessionActivity>(peer, activity));
                Metrics.ConnectionClosed();
                gate.Release();
            }
        }

        /// <summary>Counts received bytes for metrics, forwards everything else.</summary>
        private sealed class MeteredHost : ISyncSessionHost
        {
            private readonly ISyncSessionHost _inner;
            private readonly SyncMetrics _metrics;

            public MeteredHost(ISyncSessionHost inner, SyncMetrics metrics)
            {
                _inner = inner;
                _metrics = metrics;
            }

            public void OnPeerHello(HelloFrame hello) => _inner.OnPeerHello(hello);

            public long HeldPeerInventoryVersion() => _inner.HeldPeerInventoryVersion();

            public void OnPeerInventory(InventoryChanges part, bool first, bool final) => _inner.OnPeerInventory(part, first, final);

            public string[] ChooseWants() => _inner.ChooseWants();

            public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes)
            {
                _metrics.ItemRefused(status);
                _inner.OnItemReceived(id, kind, status, bytes);
            }

            public void OnItemServed(string id, AckStatus status) => _inner.OnItemServed(id, status);

            public void OnBytesReceived(long bytes)
            {
                _metrics.Bytes(bytes);
                _inner.OnBytesReceived(bytes);
            }
        }
    }
}
