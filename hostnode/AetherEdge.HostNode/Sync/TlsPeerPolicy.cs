using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Tls;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// TLS 1.3 with mutual authentication between nodes. Certificates are self-signed, so the CA
    /// chain is ignored; the peer is identified by the device ID of its public key (TLS proves it
    /// holds the private key) and accepted only if that ID is in the trust circle (seed threat 2).
    /// The decision happens inside the handshake, before any frame is exchanged.
    /// </summary>
    public sealed class TlsPeerPolicy
    {
        public const string ApplicationProtocol = "aether-sync/1";

        private readonly NodeIdentity _identity;
        private readonly Func<DeviceId, bool> _accept;

        /// <summary>Accepts peers for which <paramref name="accept"/> returns true.</summary>
        public TlsPeerPolicy(NodeIdentity identity, Func<DeviceId, bool> accept)
        {
            _identity = identity;
            _accept = accept;
        }

        /// <summary>Accepts members of <paramref name="circle"/>.</summary>
        public static TlsPeerPolicy ForCircle(NodeIdentity identity, TrustCircle circle) =>
            new(identity, circle.Contains);

        /// <summary>Handshakes refused so far (untrusted or certificate-less peers).</summary>
        public long Rejected => Interlocked.Read(ref _rejected);

        private long _rejected;

        public SslServerAuthenticationOptions ServerOptions(string protocol = ApplicationProtocol) =>
            TlsOptions.Server(_identity, protocol, (cert, errors) => Validate(cert, errors, null));

        /// <summary>Client options; <paramref name="expected"/> pins the server's ID when known (e.g. from mDNS).</summary>
        public SslClientAuthenticationOptions ClientOptions(DeviceId? expected = null, string protocol = ApplicationProtocol) =>
            TlsOptions.Client(_identity, protocol, (cert, errors) => Validate(cert, errors, expected));

        /// <summary>The authenticated peer's device ID.</summary>
        public static DeviceId PeerOf(SslStream stream) =>
            NodeIdentity.IdOf(stream.RemoteCertificate ?? throw new AuthenticationException("peer sent no certificate"));

        private bool Validate(X509Certificate? cert, SslPolicyErrors errors, DeviceId? expected)
        {
            bool ok = cert != null && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0;
            if (ok)
            {
                var id = NodeIdentity.IdOf(cert!);
                ok = id != _identity.DeviceId && (expected == null || expected.Value == id) && _accept(id);
            }

            if (!ok)
            {
                Interlocked.Increment(ref _rejected);
            }

            return ok;
        }
    }
}
