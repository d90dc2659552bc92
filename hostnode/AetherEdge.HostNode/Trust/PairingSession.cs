using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Tls;

namespace AetherEdge.HostNode.Trust
{
    /// <summary>Bounds on what connecting strangers can hold while a code is shown.</summary>
    public sealed record PairingLimits(TimeSpan HandshakeTimeout, TimeSpan ExchangeTimeout, int MaxConnections, int MaxConnectionsPerAddress)
    {
        /// <summary>
        /// TLS must complete within 5 s of the connection; the exchange plus key handover within 20 s more;
        /// 16 connections at once, 4 from any one address (so one address cannot fill the others' room).
        /// </summary>
        public static readonly PairingLimits Default = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), 16, 4);
    }

    /// <summary>
    /// Runs pairing over TCP + TLS 1.3 (both certificates presented, any self-signed key accepted
    /// because trust is what is being established). The showing side serves up to
    /// <see cref="PairingLimits.MaxConnections"/> connections at once, each bounded in time, until one
    /// pairs, the code expires, or <see cref="MaxFailedAttempts"/> completed wrong proofs arrive.
    /// Connections that stall, drop or speak garbage before a proof are closed and cost no attempt.
    /// Both sides add each other to their trust circle only on success.
    /// </summary>
    public static class PairingSession
    {
        public const int DefaultPort = 43218;
        public const int MaxFailedAttempts = 3;
        public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

        /// <summary>What the last pairing in this process did with the user key (when a home was given).</summary>
        public static UserKeyHandover.Result? KeyResult { get; private set; }

        /// <summary>
        /// Outcome of the showing side: <paramref name="Unfinished"/> counts connections that ended
        /// before a proof (timeouts, bare TCP, TLS failures), <paramref name="TurnedAway"/> those closed
        /// at once because the connection bounds were full.
        /// </summary>
        public sealed record ShowResult(PairedPeer? Peer, int FailedAttempts, bool Expired, int Unfinished = 0, int TurnedAway = 0);

        /// <summary>Listens with <paramref name="code"/> until success, expiry or too many wrong proofs.</summary>
        public static async Task<ShowResult> ShowAsync(TcpListener listener, NodeIdentity self, string selfName, TrustCircle circle, int code, TimeSpan lifetime,
            CancellationToken ct, string? home = null, PairingLimits? limits = null)
        {
            limits ??= PairingLimits.Default;
            var gate = new PairingGate(code, MaxFailedAttempts);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var expiry = Task.Delay(lifetime, stop.Token);
            var perAddress = new Dictionary<IPAddress, int>();
            var running = new List<Task>();
            int unfinished = 0;
            int turnedAway = 0;
            PairedPeer? paired = null;
            var serverOptions = ServerOptions(self);
            Task<Socket>? accept = null;
            try
            {
                while (!gate.IsFinished)
                {
                    accept ??= listener.AcceptSocketAsync(stop.Token).AsTask();
                    var done = await Task.WhenAny(accept, gate.Finished, expiry);
                    if (done == expiry)
                    {
                        ct.ThrowIfCancellationRequested();
                        return new ShowResult(null, gate.FailedAttempts, true, unfinished, turnedAway);
                    }

                    if (done != accept)
                    {
                        break;
                    }

                    Socket socket = await accept;
                    accept = null;
                    var from = ((IPEndPoint)socket.RemoteEndPoint!).Address;
                    lock (perAddress)
                    {
                        running.RemoveAll(t => t.IsCompleted);
                        perAddress.TryGetValue(from, out int fromCount);
                        if (running.Count >= limits.MaxConnections || fromCount >= limits.MaxConnectionsPerAddress)
                        {
                            turnedAway++;
                            socket.Dispose();
                            continue;
                        }

                        perAddress[from] = fromCount + 1;
                    }

                    running.Add(Task.Run(async () =>
                    {
                        try
                        {
                            var outcome = await ServeAsync(socket, self, selfName, circle, gate, serverOptions, limits, home, stop.Token);
                            if (outcome == null)
                            {
                                Interlocked.Increment(ref unfinished);
                            }
                            else if (outcome.Peer != null)
                            {
                                paired = outcome.Peer;
                            }
                        }
                        finally
                        {
                            lock (perAddress)
                            {
                                perAddress[from]--;
                            }
                        }
                    }));
                }
            }
            finally
            {
                stop.Cancel();
                try
                {
                    await Task.WhenAll(running);
                }
                catch (OperationCanceledException)
                {
                }

                if (accept != null)
                {
                    await accept.ContinueWith(t => t.Exception, TaskScheduler.Default);
                }
            }

            ct.ThrowIfCancellationRequested();
            return new ShowResult(paired, gate.FailedAttempts, false, unfinished, turnedAway);
        }

        /// <summary>
        /// One connection on the showing side, bounded in time: the verdict on its proof, or null when it
        /// ended before one (never throws for a peer's fault).
        /// </summary>
        private static async Task<PairingExchange.Outcome?> ServeAsync(Socket socket, NodeIdentity self, string selfName, TrustCircle circle, PairingGate gate,
            SslServerAuthenticationOptions options, PairingLimits limits, string? home, CancellationToken ct)
        {
            using var owned = socket;
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(limits.HandshakeTimeout);
            try
            {
                await using var ssl = new SslStream(new NetworkStream(socket, false), false);
                await ssl.AuthenticateAsServerAsync(options, attempt.Token);
                attempt.CancelAfter(limits.ExchangeTimeout);
                var outcome = await PairingExchange.RunServerAsync(ssl, KeysOf(ssl, self), selfName, gate, attempt.Token);
                if (outcome.Peer == null)
                {
                    return outcome;
                }

                try
                {
                    if (home != null)
                    {
                        KeyResult = await UserKeyHandover.RunAsync(ssl, home, true, attempt.Token);
                    }

                    circle.Add(outcome.Peer.Id, outcome.Peer.Name, DateTimeOffset.UtcNow);
                    gate.Complete();
                    return outcome;
                }
                finally
                {
                    if (!gate.IsFinished)
                    {
                        gate.Release();
                    }
                }
            }
            catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return null;
            }
        }

        /// <summary>Connects to the showing device and proves the typed code: the verdict and, when it matched, the peer.</summary>
        public static async Task<PairingExchange.Outcome> JoinAsync(IPEndPoint endpoint, NodeIdentity self, string selfName, TrustCircle circle, int code, CancellationToken ct, string? home = null)
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connect.CancelAfter(PairingLimits.Default.HandshakeTimeout);
            await socket.ConnectAsync(endpoint, connect.Token);
            return await JoinOnAsync(socket, self, selfName, circle, code, ct, home);
        }

        /// <summary>The joining side over a connected socket: the showing side's verdict and, on success, the peer.</summary>
        internal static async Task<PairingExchange.Outcome> JoinOnAsync(Socket socket, NodeIdentity self, string selfName, TrustCircle circle, int code, CancellationToken ct, string? home = null)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(PairingLimits.Default.ExchangeTimeout);
            await using var ssl = new SslStream(new NetworkStream(socket, false), false);
            await ssl.AuthenticateAsClientAsync(ClientOptions(self), attempt.Token);
            PairingExchange.Outcome outcome;
            try
            {
                outcome = await PairingExchange.RunClientAsync(ssl, KeysOf(ssl, self), selfName, code, attempt.Token);
                if (outcome.Peer != null && home != null)
                {
                    KeyResult = await UserKeyHandover.RunAsync(ssl, home, false, attempt.Token);
                }
            }
            catch (EndOfStreamException)
            {
                // The showing side hung up: it closed the code (expired, disabled) while we were proving.
                return new PairingExchange.Outcome(PairingVerdict.Closed, null);
            }

            if (outcome.Peer != null)
            {
                circle.Add(outcome.Peer.Id, outcome.Peer.Name, DateTimeOffset.UtcNow);
            }

            return outcome;
        }

        private static PairingKeys KeysOf(SslStream ssl, NodeIdentity self)
        {
            using var peerCert = new X509Certificate2(ssl.RemoteCertificate ?? throw new IOException("peer presented no certificate"));
            return new PairingKeys(self.Certificate.PublicKey.ExportSubjectPublicKeyInfo(), peerCert.PublicKey.ExportSubjectPublicKeyInfo());
        }

        // Any certificate: trust is what pairing establishes.
        private static SslServerAuthenticationOptions ServerOptions(NodeIdentity self) =>
            TlsOptions.Server(self, PairingExchange.ApplicationProtocol, (cert, _) => cert != null);

        private static SslClientAuthenticationOptions ClientOptions(NodeIdentity self) =>
            TlsOptions.Client(self, PairingExchange.ApplicationProtocol, (cert, _) => cert != null);
    }
}
