using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Tls;

namespace AetherEdge.HostNode.Trust
{
    /// <summary>
    /// Runs pairing over TCP + TLS 1.3 (both certificates presented, any self-signed key accepted
    /// because trust is what is being established). The showing side accepts attempts until one
    /// succeeds, the code expires, or <see cref="MaxFailedAttempts"/> wrong codes arrive; then the
    /// code is dead. Both sides add each other to their trust circle only on success.
    /// </summary>
    public static class PairingSession
    {
        public const int DefaultPort = 43218;
        public const int MaxFailedAttempts = 3;
        public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);
        public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(20);

        /// <summary>What the last pairing in this process did with the user key (when a home was given).</summary>
        public static UserKeyHandover.Result? KeyResult { get; private set; }

        /// <summary>Outcome of the showing side.</summary>
        public sealed record ShowResult(PairedPeer? Peer, int FailedAttempts, bool Expired);

        /// <summary>Listens with <paramref name="code"/> until success, expiry or too many wrong tries.</summary>
        public static async Task<ShowResult> ShowAsync(TcpListener listener, NodeIdentity self, string selfName, TrustCircle circle, int code, TimeSpan lifetime, CancellationToken ct, string? home = null)
        {
            using var expiry = CancellationTokenSource.CreateLinkedTokenSource(ct);
            expiry.CancelAfter(lifetime);
            int failed = 0;
            try
            {
                while (failed < MaxFailedAttempts)
                {
                    using Socket socket = await listener.AcceptSocketAsync(expiry.Token);
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token);
                    attempt.CancelAfter(AttemptTimeout);
                    PairedPeer? peer = null;
                    try
                    {
                        await using var ssl = new SslStream(new NetworkStream(socket, false), false);
                        await ssl.AuthenticateAsServerAsync(ServerOptions(self), attempt.Token);
                        peer = await PairingExchange.RunServerAsync(ssl, self, selfName, code, attempt.Token);
                        if (peer != null && home != null)
                        {
                            KeyResult = await UserKeyHandover.RunAsync(ssl, home, true, attempt.Token);
                        }
                    }
                    catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException && !expiry.IsCancellationRequested)
                    {
                        peer = null;
                    }

                    if (peer != null)
                    {
                        circle.Add(peer.Id, peer.Name, DateTimeOffset.UtcNow);
                        return new ShowResult(peer, failed, false);
                    }

                    failed++;
                }
            }
            catch (OperationCanceledException) when (expiry.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                return new ShowResult(null, failed, true);
            }

            return new ShowResult(null, failed, false);
        }

        /// <summary>Connects to the showing device and proves the typed code; null when it did not match.</summary>
        public static async Task<PairedPeer?> JoinAsync(IPEndPoint endpoint, NodeIdentity self, string selfName, TrustCircle circle, int code, CancellationToken ct, string? home = null)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(AttemptTimeout);
            using var tcp = new TcpClient(endpoint.AddressFamily);
            await tcp.ConnectAsync(endpoint, attempt.Token);
            await using var ssl = new SslStream(tcp.GetStream(), false);
            await ssl.AuthenticateAsClientAsync(ClientOptions(self), attempt.Token);
            PairedPeer? peer;
            try
            {
                peer = await PairingExchange.RunClientAsync(ssl, self, selfName, code, attempt.Token);
                if (peer != null && home != null)
                {
                    KeyResult = await UserKeyHandover.RunAsync(ssl, home, false, attempt.Token);
                }
            }
            catch (EndOfStreamException)
            {
                peer = null;
            }

            if (peer != null)
            {
                circle.Add(peer.Id, peer.Name, DateTimeOffset.UtcNow);
            }

            return peer;
        }

        // Any certificate: trust is what pairing establishes.
        private static SslServerAuthenticationOptions ServerOptions(NodeIdentity self) =>
            TlsOptions.Server(self, PairingExchange.ApplicationProtocol, (cert, _) => cert != null);

        private static SslClientAuthenticationOptions ClientOptions(NodeIdentity self) =>
            TlsOptions.Client(self, PairingExchange.ApplicationProtocol, (cert, _) => cert != null);
    }
}
