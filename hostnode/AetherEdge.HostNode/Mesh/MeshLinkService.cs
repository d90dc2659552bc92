using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Security;
using System.Net.Sockets;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Keeps a mesh link to every trusted peer hub the directory knows an address of (static peers, mDNS,
    /// Wi-Fi Direct groups): dials with ALPN <c>aether-mesh/1</c> and accepts such connections on the sync
    /// port (<see cref="SyncNode.AcceptProtocol"/>), so only trust-circle members ever become links; an
    /// address heard on the network only makes us try a TLS handshake. Each link is attached to
    /// <see cref="MeshLinks"/> for the router and registered in <see cref="MeshConnections"/> for tunnels.
    /// Failed dials back off (2 s doubling to 60 s); links are bounded by <see cref="MeshLinks.MaxLinks"/>.
    /// </summary>
    public sealed class MeshLinkService : BackgroundService
    {
        public static readonly TimeSpan DialEvery = TimeSpan.FromSeconds(2);
        public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

        private readonly SyncNode _node;
        private readonly TlsPeerPolicy _policy;
        private readonly PeerDirectory _directory;
        private readonly PeerKnowledge _peers;
        private readonly MeshLinks _links;
        private readonly MeshConnections _connections;
        private readonly MeshTunnels _tunnels;
        private readonly ILogger<MeshLinkService> _log;
        private readonly Counter _dials;
        private readonly ConcurrentDictionary<string, (DateTimeOffset Next, TimeSpan Backoff)> _backoff = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte> _dialling = new(StringComparer.Ordinal);
        private CancellationToken _stopping = CancellationToken.None;

        public MeshLinkService(SyncNode node, TlsPeerPolicy policy, PeerDirectory directory, PeerKnowledge peers, MeshLinks links, MeshConnections connections, MeshTunnels tunnels, IMetricFactory metrics, ILogger<MeshLinkService> log)
        {
            _node = node;
            _policy = policy;
            _directory = directory;
            _peers = peers;
            _links = links;
            _connections = connections;
            _tunnels = tunnels;
            _log = log;
            _dials = metrics.CreateCounter("aether_mesh_dials_total", "Mesh link dials by result (ok, refused, unreachable, timeout, failed); sync rounds' dials are aether_sync_dials_total.", new[] { "result" });
            foreach (string r in new[] { "ok", "refused", "unreachable", "timeout", "failed" })
            {
                _dials.WithLabels(r);
            }

            _node.AcceptProtocol(MeshConnection.Alpn, ServeAsync);
        }

        /// <summary>Mesh link dials that ended with <paramref name="result"/> so far.</summary>
        public long Dials(string result) => (long)_dials.WithLabels(result).Value;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            _stopping = stoppingToken;
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    // A device removed from the circle (here or through a removal that travelled) loses its link now.
                    foreach (var c in _connections.Snapshot().Where(c => !_peers.IsTrusted(c.Peer)))
                    {
                        _log.LogInformation("mesh link to {Peer} closed: no longer trusted", c.Description);
                        _connections.Remove(c);
                        await c.DisposeAsync().ConfigureAwait(false);
                    }

                    foreach (var peer in _directory.Snapshot())
                    {
                        if (peer.Id is { } id && (_connections.Has(id) || !_peers.IsTrusted(id)))
                        {
                            continue;
                        }

                        string key = peer.EndPoint.ToString();
                        if (_backoff.TryGetValue(key, out var b) && b.Next > DateTimeOffset.UtcNow)
                        {
                            continue;
                        }

                        if (_dialling.TryAdd(key, 0))
                        {
                            _ = Task.Run(() => DialAsync(peer, key, stoppingToken), CancellationToken.None);
                        }
                    }

                    await Task.Delay(DialEvery, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }

            foreach (var c in _connections.Snapshot())
            {
                await c.DisposeAsync().ConfigureAwait(false);
            }
        }

        private async Task DialAsync(PeerEndpoint peer, string key, CancellationToken ct)
        {
            try
            {
                using var client = new TcpClient(peer.EndPoint.AddressFamily) { NoDelay = true };
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    timeout.CancelAfter(SyncNode.HandshakeTimeout);
                    await client.ConnectAsync(peer.EndPoint, timeout.Token).ConfigureAwait(false);
                    var ssl = new SslStream(client.GetStream(), false);
                    try
                    {
                        await ssl.AuthenticateAsClientAsync(_policy.ClientOptions(peer.Id, MeshConnection.Alpn), timeout.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        await ssl.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }

                    var id = TlsPeerPolicy.PeerOf(ssl);
                    _dials.WithLabels("ok").Inc();
                    peer.Id ??= id;
                    _backoff.TryRemove(key, out _);
                    string kind = KindOf(client.Client.LocalEndPoint);
                    await RunAsync(ssl, id, true, kind, peer.EndPoint.ToString(), ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                _dials.WithLabels(e switch
                {
                    System.Security.Authentication.AuthenticationException => "refused",
                    SocketException => "unreachable",
                    OperationCanceledException => "timeout",
                    _ => "failed",
                }).Inc();
                var next = _backoff.TryGetValue(key, out var b) ? TimeSpan.FromTicks(Math.Min(b.Backoff.Ticks * 2, MaxBackoff.Ticks)) : DialEvery;
                _backoff[key] = (DateTimeOffset.UtcNow + next, next);
                _log.LogDebug("mesh link to {Peer} failed: {Error}", peer.EndPoint, e.Message);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _dialling.TryRemove(key, out _);
            }
        }

        private Task ServeAsync(SslStream ssl, DeviceId peer, CancellationToken ct) =>
            RunAsync(ssl, peer, false, MeshLinkKind.Lan, "incoming", ct);

        private async Task RunAsync(SslStream ssl, DeviceId peer, bool dialled, string kind, string remote, CancellationToken ct)
        {
            var connection = await MeshConnection.StartAsync(ssl, peer, dialled, kind, remote, _tunnels.Options.WindowBytes, (c, offer) => _tunnels.OnOffered(c, offer, _stopping), ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                if (!_connections.TryAdd(connection))
                {
                    return; // the crossing connection dialled by the smaller device ID stays
                }

                var attachment = _links.Attach(connection);
                if (attachment == null)
                {
                    _connections.Remove(connection);
                    _log.LogWarning("mesh link to {Peer} refused: {Max} links attached", connection.Description, MeshLinks.MaxLinks);
                    return;
                }

                _log.LogInformation("mesh link up: {Peer} over {Kind}", connection.Description, kind);
                try
                {
                    await connection.RunAsync(attachment, ct).ConfigureAwait(false);
                }
                finally
                {
                    attachment.Detach();
                    _connections.Remove(connection);
                    _log.LogInformation("mesh link down: {Peer}", connection.Description);
                }
            }
        }

        /// <summary>"wifi-direct" when the local address sits on a P2P group interface (p2p-*), else "lan".</summary>
        private static string KindOf(EndPoint? local)
        {
            if (local is not IPEndPoint ip)
            {
                return MeshLinkKind.Lan;
            }

            try
            {
                foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                {
                    if (nic.Name.StartsWith("p2p-", StringComparison.Ordinal) && nic.GetIPProperties().UnicastAddresses.Any(a => a.Address.Equals(ip.Address)))
                    {
                        return MeshLinkKind.WifiDirect;
                    }
                }
            }
            catch (NetworkInformationException)
            {
            }

            return MeshLinkKind.Lan;
        }
    }
}
