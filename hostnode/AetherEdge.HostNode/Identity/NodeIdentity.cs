using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AetherEdge.HostNode.Identity
{
    /// <summary>
    /// A home's key pair and self-signed certificate. Files in <c>HOME/identity/</c>:
    /// <c>key.pem</c> (PKCS#8, mode 0600) and <c>cert.pem</c>. Created on first use; the device ID
    /// is derived from the certificate's public key, so it never changes while the key stays.
    /// </summary>
    public sealed class NodeIdentity : IDisposable
    {
        public const string FolderName = "identity";
        public const string KeyFileName = "key.pem";
        public const string CertificateFileName = "cert.pem";
        public const int ValidityYears = 50;

        private NodeIdentity(X509Certificate2 certificate)
        {
            Certificate = certificate;
            DeviceId = IdOf(certificate);
        }

        /// <summary>The certificate with its private key, ready for SslStream.</summary>
        public X509Certificate2 Certificate { get; }

        public DeviceId DeviceId { get; }

        public static DeviceId IdOf(X509Certificate certificate)
        {
            using var c2 = new X509Certificate2(certificate);
            return DeviceId.FromPublicKeyInfo(c2.PublicKey.ExportSubjectPublicKeyInfo());
        }

        /// <summary>Loads the identity of <paramref name="home"/>, creating it when absent.</summary>
        public static NodeIdentity LoadOrCreate(string home)
        {
            string dir = HomeDirectory.Ensure(Path.Combine(HomeDirectory.Ensure(home), FolderName));
            string keyPath = Path.Combine(dir, KeyFileName);
            string certPath = Path.Combine(dir, CertificateFileName);
            if (!File.Exists(keyPath) || !File.Exists(certPath))
            {
                // Two processes (a hub starting, a verb on the same new home) must not both create one: the second
                // would pair its key with the first's certificate, or lose its temp file to the first's rename.
                using var creating = CreateLock(dir);
                if (!File.Exists(keyPath) || !File.Exists(certPath))
                {
                    Create(keyPath, certPath);
                }
            }

            X509Certificate2 withKey;
            try
            {
                withKey = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            }
            catch (CryptographicException e)
            {
                throw new IOException("identity in " + dir + " is unreadable (" + e.Message + "); move it away to create a new one", e);
            }

            // SslStream on Linux wants a key that is not ephemeral; a PKCS#12 round trip gives that.
            using (withKey)
            {
                byte[] pfx = withKey.Export(X509ContentType.Pkcs12);
                return new NodeIdentity(X509CertificateLoader.LoadPkcs12(pfx, null));
            }
        }

        /// <summary>True when <paramref name="home"/> already holds an identity.</summary>
        public static bool Exists(string home) =>
            File.Exists(Path.Combine(home, FolderName, KeyFileName)) && File.Exists(Path.Combine(home, FolderName, CertificateFileName));

        private static void Create(string keyPath, string certPath)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=aether-node", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2") }, false));
            var now = DateTimeOffset.UtcNow;
            using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(ValidityYears));
            string id = DeviceId.FromPublicKeyInfo(cert.PublicKey.ExportSubjectPublicKeyInfo()).Text;

            // Rename the subject to carry the ID (helps `openssl x509 -text`); re-sign with the same key.
            var named = new CertificateRequest("CN=aether-" + id, key, HashAlgorithmName.SHA256);
            foreach (var ext in request.CertificateExtensions)
            {
                named.CertificateExtensions.Add(ext);
            }

            using var final = named.CreateSelfSigned(now.AddDays(-1), now.AddYears(ValidityYears));
            WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
            WritePrivate(certPath, final.ExportCertificatePem());
        }

        /// <summary>An exclusive lock on <c>identity/create.lock</c>, waited for up to 10 s (creating takes milliseconds).</summary>
        private static FileStream CreateLock(string dir)
        {
            string path = Path.Combine(dir, "create.lock");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (true)
            {
                try
                {
                    return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(20);
                }
            }
        }

        private static void WritePrivate(string path, string text)
        {
            string tmp = path + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var fs = new FileStream(tmp, options))
            using (var w = new StreamWriter(fs))
            {
                w.Write(text);
            }

            File.Move(tmp, path, true);
        }

        public void Dispose() => Certificate.Dispose();
    }
}
