using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Tls
{
    /// <summary>
    /// The one place node-to-node TLS is configured (sync and pairing): TLS 1.3 only, both sides present
    /// their self-signed identity certificate, no revocation check (offline, no CA), the suites of
    /// <see cref="TransportCiphers"/>, one ALPN protocol. Who is accepted is the caller's
    /// <paramref name="accept"/>, which sees the peer's certificate (null when none was sent).
    /// </summary>
    public static class TlsOptions
    {
        /// <summary>The server name clients send; certificates are checked by key, never by name.</summary>
        public const string TargetHost = "aether-node";

        public static SslServerAuthenticationOptions Server(NodeIdentity self, string protocol, Func<X509Certificate?, SslPolicyErrors, bool> accept) => new()
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(self.Certificate, new X509Certificate2Collection(), offline: true),
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls13,
            CipherSuitesPolicy = TransportCiphers.Policy,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = new List<SslApplicationProtocol> { new(protocol) },
            RemoteCertificateValidationCallback = (_, cert, _, errors) => accept(cert, errors),
        };

        public static SslClientAuthenticationOptions Client(NodeIdentity self, string protocol, Func<X509Certificate?, SslPolicyErrors, bool> accept) => new()
        {
            TargetHost = TargetHost,
            ClientCertificates = new X509CertificateCollection { self.Certificate },
            LocalCertificateSelectionCallback = (_, _, _, _, _) => self.Certificate,
            EnabledSslProtocols = SslProtocols.Tls13,
            CipherSuitesPolicy = TransportCiphers.Policy,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = new List<SslApplicationProtocol> { new(protocol) },
            RemoteCertificateValidationCallback = (_, cert, _, errors) => accept(cert, errors),
        };
    }
}
