using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AetherEdge.HostNode.Identity;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement.JPake;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Security;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AetherEdge.HostNode.Trust
{
    /// <summary>The other side of a successful pairing.</summary>
    public sealed record PairedPeer(DeviceId Id, string Name);

    /// <summary>The two certificates' keys a pairing runs between (as each side saw them in TLS).</summary>
    public sealed record PairingKeys(byte[] SelfSpki, byte[] PeerSpki);

    /// <summary>
    /// Proves, inside a TLS connection where both sides presented their certificates, that both know
    /// the same 6-digit code, with J-PAKE (RFC 8236; BouncyCastle's implementation, NIST 2048-bit group (112-bit strength: ample for a code that lives minutes),
    /// SHA-256). A password-authenticated key exchange gives an active attacker exactly one guess per
    /// attempt: it learns whether that one code was right and nothing else, and no transcript can be
    /// tested offline. Each participant ID is the role plus the device ID of the certificate the other
    /// side saw in TLS, and the zero-knowledge proofs and key-confirmation tags are bound to it, so a
    /// relay between two honest devices fails. The joining side confirms first; the showing side judges
    /// that tag (through its <see cref="PairingGate"/>) and answers one byte, adding its own tag only
    /// when the proof held, so two different wrong codes see byte-identical answers.
    /// Wire (all inside TLS; INT = u16 length + unsigned big-endian, 1..256 bytes):
    /// both: "AEPAIR2", name (u8 length + UTF-8), gx1, gx2, ZKP(x1) = (gv, r), ZKP(x2) = (gv, r);
    /// both: A, ZKP(x2·s) = (gv, r); client → server: tag (u16 length + signed big-endian, as BouncyCastle makes it);
    /// server → client: verdict u8 (0 wrong, 1 right, 2 closed) [+ its tag when 1];
    /// client → server: u8 1 when the server's tag held, else 0.
    /// </summary>
    public static class PairingExchange
    {
        public const string ApplicationProtocol = "aether-pair/2";
        public const int CodeDigits = 6;
        public const int MaxCode = 999_999;
        public const int MaxNameBytes = 64;

        /// <summary>Largest integer on the wire: an element of the 2048-bit group.</summary>
        public const int MaxIntBytes = 256;

        private static readonly byte[] s_magic = Encoding.ASCII.GetBytes("AEPAIR2");

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

        /// <summary>How long the showing side may take to deliver a verdict once judged (whatever happens to the show meanwhile).</summary>
        public static readonly TimeSpan VerdictTimeout = TimeSpan.FromSeconds(5);

        /// <summary>The outcome of one exchange as either side saw it.</summary>
        public sealed record Outcome(PairingVerdict Verdict, PairedPeer? Peer);

        /// <summary>
        /// Showing side. Runs the key exchange with the gate's code, judges the peer's tag through the
        /// gate and, when it held, returns the peer: the caller then Completes or Releases the gate.
        /// </summary>
        public static async Task<Outcome> RunServerAsync(Stream stream, PairingKeys keys, string selfName, PairingGate gate, CancellationToken ct, SecureRandom? random = null)
        {
            var exchange = await KeyExchangeAsync(stream, keys, selfName, gate.Code, server: true, random, ct);
            var tag = await ReadTagAsync(stream, ct);
            BigInteger keying = exchange.Jpake.CalculateKeyingMaterial();

            // Made before judging (validation clears the state it needs) but sent only if the proof held.
            var own = exchange.Jpake.CreateRound3PayloadToSend(keying);
            var verdict = gate.Judge(() => TagHolds(exchange, tag, keying));
            if (verdict != PairingVerdict.Right)
            {
                // A judged proof always gets its answer: the third wrong proof ends the show, and the show
                // ending (ct) must not cut off the verdict it caused (the device would see a hang-up, not "wrong").
                using var answer = new CancellationTokenSource(VerdictTimeout);
                await WriteAsync(stream, new[] { (byte)verdict }, answer.Token);
                return new Outcome(verdict, null);
            }

            bool acknowledged = false;
            try
            {
                var reply = new MemoryStream();
                reply.WriteByte((byte)PairingVerdict.Right);
                WriteTag(reply, own.MacTag);
                await WriteAsync(stream, reply.ToArray(), ct);
                acknowledged = (await ReadAsync(stream, 1, ct))[0] == 1;
                return acknowledged ? new Outcome(PairingVerdict.Right, exchange.Peer) : new Outcome(PairingVerdict.Closed, null);
            }
            finally
            {
                if (!acknowledged)
                {
                    gate.Release();
                }
            }
        }

        /// <summary>Joining side: proves <paramref name="code"/>; the verdict says what the showing side answered.</summary>
        public static async Task<Outcome> RunClientAsync(Stream stream, PairingKeys keys, string selfName, int code, CancellationToken ct, SecureRandom? random = null)
        {
            if (code < 0 || code > MaxCode)
            {
                throw new ArgumentOutOfRangeException(nameof(code));
            }

            var exchange = await KeyExchangeAsync(stream, keys, selfName, code, server: false, random, ct);
            BigInteger keying = exchange.Jpake.CalculateKeyingMaterial();
            var tag = new MemoryStream();
            WriteTag(tag, exchange.Jpake.CreateRound3PayloadToSend(keying).MacTag);
            await WriteAsync(stream, tag.ToArray(), ct);
            byte verdict = (await ReadAsync(stream, 1, ct))[0];
            if (verdict == (byte)PairingVerdict.Wrong || verdict == (byte)PairingVerdict.Closed)
            {
                return new Outcome((PairingVerdict)verdict, null);
            }

            if (verdict != (byte)PairingVerdict.Right)
            {
                throw new IOException("peer sent an unknown pairing verdict " + verdict);
            }

            bool holds = TagHolds(exchange, await ReadTagAsync(stream, ct), keying);
            await WriteAsync(stream, new[] { (byte)(holds ? 1 : 0) }, ct);
            return holds ? new Outcome(PairingVerdict.Right, exchange.Peer) : new Outcome(PairingVerdict.Wrong, null);
        }

        /// <summary>The J-PAKE participant ID of a side: its role and the device ID of its certificate.</summary>
        internal static string ParticipantId(bool server, byte[] spki) =>
            ApplicationProtocol + (server ? " show " : " join ") + DeviceId.FromPublicKeyInfo(spki).Text;

        private sealed record Exchange(JPakeParticipant Jpake, PairedPeer Peer, string PeerParticipant);

        private static async Task<Exchange> KeyExchangeAsync(
            Stream stream, PairingKeys keys, string selfName, int code, bool server, SecureRandom? random, CancellationToken ct)
        {
            var peerId = DeviceId.FromPublicKeyInfo(keys.PeerSpki);
            if (keys.SelfSpki.AsSpan().SequenceEqual(keys.PeerSpki))
            {
                throw new IOException("peer presented this node's own certificate");
            }

            string selfParticipant = ParticipantId(server, keys.SelfSpki);
            string peerParticipant = ParticipantId(!server, keys.PeerSpki);
            var jpake = new JPakeParticipant(selfParticipant, code.ToString("000000").ToCharArray(), JPakePrimeOrderGroups.NIST_2048,
                new Sha256Digest(), random ?? new SecureRandom());

            byte[] name = Encoding.UTF8.GetBytes(selfName);
            var hello = new MemoryStream();
            hello.Write(s_magic);
            hello.WriteByte((byte)Math.Min(name.Length, MaxNameBytes));
            hello.Write(name, 0, Math.Min(name.Length, MaxNameBytes));
            var r1 = jpake.CreateRound1PayloadToSend();
            WriteInts(hello, r1.Gx1, r1.Gx2, r1.KnowledgeProofForX1[0], r1.KnowledgeProofForX1[1], r1.KnowledgeProofForX2[0], r1.KnowledgeProofForX2[1]);
            await WriteAsync(stream, hello.ToArray(), ct);

            if (!(await ReadAsync(stream, s_magic.Length, ct)).AsSpan().SequenceEqual(s_magic))
            {
                throw new IOException("peer does not speak the pairing protocol");
            }

            int nameLength = (await ReadAsync(stream, 1, ct))[0];
            if (nameLength > MaxNameBytes)
            {
                throw new IOException("peer name too long");
            }

            string peerName = Encoding.UTF8.GetString(await ReadAsync(stream, nameLength, ct));
            var p1 = await ReadIntsAsync(stream, 6, ct);
            Validate(() => jpake.ValidateRound1PayloadReceived(new JPakeRound1Payload(peerParticipant, p1[0], p1[1], new[] { p1[2], p1[3] }, new[] { p1[4], p1[5] })));

            var r2 = jpake.CreateRound2PayloadToSend();
            var second = new MemoryStream();
            WriteInts(second, r2.A, r2.KnowledgeProofForX2s[0], r2.KnowledgeProofForX2s[1]);
            await WriteAsync(stream, second.ToArray(), ct);
            var p2 = await ReadIntsAsync(stream, 3, ct);
            Validate(() => jpake.ValidateRound2PayloadReceived(new JPakeRound2Payload(peerParticipant, p2[0], new[] { p2[1], p2[2] })));
            return new Exchange(jpake, new PairedPeer(peerId, peerName), peerParticipant);
        }

        private static bool TagHolds(Exchange exchange, BigInteger tag, BigInteger keying)
        {
            try
            {
                exchange.Jpake.ValidateRound3PayloadReceived(new JPakeRound3Payload(exchange.PeerParticipant, tag), keying);
                return true;
            }
            catch (CryptoException)
            {
                return false;
            }
        }

        private static void Validate(Action check)
        {
            try
            {
                check();
            }
            catch (CryptoException e)
            {
                // Rounds 1 and 2 do not depend on the code: a failure here is a broken or relayed peer, not a guess.
                throw new IOException("peer's pairing message is invalid (" + e.Message + ")");
            }
        }

        private static void WriteInts(Stream s, params BigInteger[] values)
        {
            foreach (var v in values)
            {
                WriteInt(s, v);
            }
        }

        private static void WriteInt(Stream s, BigInteger value) => WriteBytes(s, value.ToByteArrayUnsigned());

        // BouncyCastle makes the tag a signed integer from the HMAC bytes: keep its sign on the wire.
        private static void WriteTag(Stream s, BigInteger tag) => WriteBytes(s, tag.ToByteArray());

        private static async Task<BigInteger> ReadTagAsync(Stream s, CancellationToken ct) => new BigInteger(await ReadBytesAsync(s, ct));

        private static void WriteBytes(Stream s, byte[] bytes)
        {
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)bytes.Length);
            s.Write(length);
            s.Write(bytes);
        }

        private static async Task<BigInteger[]> ReadIntsAsync(Stream s, int count, CancellationToken ct)
        {
            var values = new BigInteger[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = await ReadIntAsync(s, ct);
            }

            return values;
        }

        private static async Task<BigInteger> ReadIntAsync(Stream s, CancellationToken ct) => new BigInteger(1, await ReadBytesAsync(s, ct));

        private static async Task<byte[]> ReadBytesAsync(Stream s, CancellationToken ct)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(await ReadAsync(s, 2, ct));
            if (length == 0 || length > MaxIntBytes)
            {
                throw new IOException("pairing message integer of " + length + " bytes (1.." + MaxIntBytes + " allowed)");
            }

            return await ReadAsync(s, length, ct);
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
