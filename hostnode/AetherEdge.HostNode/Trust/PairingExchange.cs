using System.Net.Security;
using System.Security.Cryptography;
using System.Text;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Trust
{
    /// <summary>The other side of a successful pairing.</summary>
    public sealed record PairedPeer(DeviceId Id, string Name);

    /// <summary>
    /// Proves, inside a TLS connection where both sides presented their certificates, that both
    /// know the same 6-digit code, without letting a man in the middle learn the code offline.
    /// The code's 20 bits are compared one per round with commit-then-reveal (as in Bluetooth
    /// passkey entry): each side first sends C = HMAC-SHA256(key = fresh 16-byte nonce,
    /// "aether-pair-v1" | role | round | own SPKI | peer SPKI | bit), then the nonces are revealed.
    /// An attacker must commit to each bit before it can learn it, so it passes all 20 rounds with
    /// probability 2^-20, and binding both SPKIs stops relaying between two honest devices.
    /// Wire (all inside TLS): magic "AEPAIR1", name (u8 length + UTF-8); then per round:
    /// client C (32) → server C (32) → client nonce (16) → server status (1) + nonce (16);
    /// finally client status (1) → server status (1). Status 1 = ok, 0 = wrong code.
    /// </summary>
    public static class PairingExchange
    {
        public const string ApplicationProtocol = "aether-pair/1";
        public const int CodeBits = 20;
        public const int CodeDigits = 6;
        public const int MaxCode = 999_999;
        public const int MaxNameBytes = 64;
        private const int NonceBytes = 16;
        private const int MacBytes = 32;
        private static readonly byte[] s_magic = Encoding.ASCII.GetBytes("AEPAIR1");
        private static readonly byte[] s_label = Encoding.ASCII.GetBytes("aether-pair-v1");

        /// <summary>A fresh random code, 000000..999999.</summary>
        public static int NewCode() => RandomNumberGenerator.GetInt32(MaxCode + 1);

        public static string FormatCode(int code) => code.ToString("000000").Insert(3, " ");

        /// <summary>Accepts "123456", "123 456" or "123-456".</summary>
        public static bool TryParseCode(string? text, out int code)
        {
            code = 0;
            string digits = (text ?? string.Empty).Replace(" ", string.Empty).Replace("-", string.Empty);
            return digits.Length == CodeDigits && digits.All(char.IsAsciiDigit) && int.TryParse(digits, out code);
        }

        /// <summary>Server side (the device showing the code). Returns the peer, or null when the code did not match.</summary>
        public static Task<PairedPeer?> RunServerAsync(SslStream ssl, NodeIdentity self, string selfName, int code, CancellationToken ct) =>
            RunAsync(ssl, self, selfName, code, server: true, ct);

        /// <summary>Client side (the device where the code was typed).</summary>
        public static Task<PairedPeer?> RunClientAsync(SslStream ssl, NodeIdentity self, string selfName, int code, CancellationToken ct) =>
            RunAsync(ssl, self, selfName, code, server: false, ct);

        private static async Task<PairedPeer?> RunAsync(SslStream ssl, NodeIdentity self, string selfName, int code, bool server, CancellationToken ct)
        {
            if (code < 0 || code > MaxCode)
            {
                throw new ArgumentOutOfRangeException(nameof(code));
            }

            using var peerCert = new System.Security.Cryptography.X509Certificates.X509Certificate2(
                ssl.RemoteCertificate ?? throw new IOException("peer presented no certificate"));
            byte[] peerSpki = peerCert.PublicKey.ExportSubjectPublicKeyInfo();
            byte[] selfSpki = self.Certificate.PublicKey.ExportSubjectPublicKeyInfo();
            var peerId = DeviceId.FromPublicKeyInfo(peerSpki);
            if (peerId == self.DeviceId)
            {
                throw new IOException("peer presented this node's own certificate");
            }

            byte[] name = Encoding.UTF8.GetBytes(selfName);
            if (name.Length > MaxNameBytes)
            {
                name = name.AsSpan(0, MaxNameBytes).ToArray();
            }

            await WriteAsync(ssl, Concat(s_magic, new[] { (byte)name.Length }, name), ct);
            byte[] magic = await ReadAsync(ssl, s_magic.Length, ct);
            if (!magic.AsSpan().SequenceEqual(s_magic))
            {
                throw new IOException("peer does not speak the pairing protocol");
            }

            int nameLength = (await ReadAsync(ssl, 1, ct))[0];
            if (nameLength > MaxNameBytes)
            {
                throw new IOException("peer name too long");
            }

            string peerName = Encoding.UTF8.GetString(await ReadAsync(ssl, nameLength, ct));
            byte selfRole = server ? (byte)'S' : (byte)'C';
            byte peerRole = server ? (byte)'C' : (byte)'S';
            for (int round = 0; round < CodeBits; round++)
            {
                byte bit = (byte)((code >> round) & 1);
                byte[] nonce = RandomNumberGenerator.GetBytes(NonceBytes);
                byte[] commit = Commit(nonce, selfRole, round, selfSpki, peerSpki, bit);
                if (server)
                {
                    byte[] peerCommit = await ReadAsync(ssl, MacBytes, ct);
                    await WriteAsync(ssl, commit, ct);
                    byte[] peerNonce = await ReadAsync(ssl, NonceBytes, ct);
                    bool ok = CryptographicOperations.FixedTimeEquals(peerCommit, Commit(peerNonce, peerRole, round, peerSpki, selfSpki, bit));
                    await WriteAsync(ssl, Concat(new[] { (byte)(ok ? 1 : 0) }, ok ? nonce : new byte[NonceBytes]), ct);
                    if (!ok)
                    {
                        return null;
                    }
                }
                else
                {
                    await WriteAsync(ssl, commit, ct);
                    byte[] peerCommit = await ReadAsync(ssl, MacBytes, ct);
                    await WriteAsync(ssl, nonce, ct);
                    byte[] reply = await ReadAsync(ssl, 1 + NonceBytes, ct);
                    if (reply[0] != 1)
                    {
                        return null;
                    }

                    bool ok = CryptographicOperations.FixedTimeEquals(peerCommit, Commit(reply.AsSpan(1).ToArray(), peerRole, round, peerSpki, selfSpki, bit));
                    if (!ok)
                    {
                        await WriteAsync(ssl, new byte[] { 0 }, ct);
                        return null;
                    }
                }
            }

            if (server)
            {
                byte[] final = await ReadAsync(ssl, 1, ct);
                await WriteAsync(ssl, final, ct);
                return final[0] == 1 ? new PairedPeer(peerId, peerName) : null;
            }

            await WriteAsync(ssl, new byte[] { 1 }, ct);
            return (await ReadAsync(ssl, 1, ct))[0] == 1 ? new PairedPeer(peerId, peerName) : null;
        }

        private static byte[] Commit(byte[] nonce, byte role, int round, byte[] ownSpki, byte[] otherSpki, byte bit) =>
            HMACSHA256.HashData(nonce, Concat(s_label, new[] { role, (byte)round }, ownSpki, otherSpki, new[] { bit }));

        private static byte[] Concat(params byte[][] parts)
        {
            var all = new byte[parts.Sum(p => p.Length)];
            int o = 0;
            foreach (var p in parts)
            {
                p.CopyTo(all, o);
                o += p.Length;
            }

            return all;
        }

        private static async Task WriteAsync(Stream s, byte[] data, CancellationToken ct)
        {
            await s.WriteAsync(data, ct);
            await s.FlushAsync(ct);
        }

        private static async Task<byte[]> ReadAsync(Stream s, int n, CancellationToken ct)
        {
            var b = new byte[n];
            await s.ReadExactlyAsync(b, ct);
            return b;
        }
    }
}
