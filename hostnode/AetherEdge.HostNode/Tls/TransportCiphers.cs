using System.Net.Security;

namespace AetherEdge.HostNode.Tls
{
    /// <summary>
    /// The TLS 1.3 suites a node offers, fastest for its CPU first. Shards are already AES-256-GCM
    /// encrypted under the user's key, so the transport layer may pick speed: AES-128-GCM where the CPU
    /// has AES instructions (x86 AES-NI, ARMv8 crypto: Pi 5), ChaCha20-Poly1305 where it has not (the Pi 4's
    /// Cortex-A72 runs it several times faster than software AES). All three stay acceptable to peers.
    /// </summary>
    public static class TransportCiphers
    {
        /// <summary>True when this CPU encrypts AES in hardware.</summary>
        public static bool HardwareAes =>
            System.Runtime.Intrinsics.X86.Aes.IsSupported || System.Runtime.Intrinsics.Arm.Aes.IsSupported;

        /// <summary>The suites in preference order for a CPU with or without hardware AES.</summary>
        public static TlsCipherSuite[] Preferred(bool hardwareAes) => hardwareAes
            ? new[] { TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256 }
            : new[] { TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384 };

        /// <summary>The policy for this machine; null where the platform does not let us choose (the defaults then apply).</summary>
        public static CipherSuitesPolicy? Policy { get; } = Create();

        private static CipherSuitesPolicy? Create()
        {
            if (OperatingSystem.IsWindows())
            {
                return null;
            }

            try
            {
                return new CipherSuitesPolicy(Preferred(HardwareAes));
            }
            catch (PlatformNotSupportedException)
            {
                return null;
            }
        }
    }
}
