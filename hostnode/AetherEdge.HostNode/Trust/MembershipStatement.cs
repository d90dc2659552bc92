using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Trust
{
    /// <summary>What a membership statement says about its subject.</summary>
    public enum MembershipChange
    {
        /// <summary>The signer introduces the subject: trust it.</summary>
        Introduce = 1,

        /// <summary>The signer removed the subject from the circle: stop trusting it.</summary>
        Remove = 2,
    }

    /// <summary>
    /// One signed membership statement (as Syncthing's introducer shares its device list, but per change and
    /// signed, so it can travel through relays): <c>change u8 | version u32 | issued i64 (unix ms) |
    /// subject device ID (47 ASCII) | name length u8 | name (UTF-8, ≤ 64) | signer SPKI length u16 | SPKI |
    /// signature length u8 | ECDSA P-256 (IEEE P1363) over everything before it</c>, big-endian. The signer is
    /// the device whose key hashes to its ID; the version orders statements about one subject.
    /// </summary>
    public sealed record MembershipStatement(MembershipChange Change, uint Version, long Issued, DeviceId Subject, string Name, DeviceId Signer, byte[] Encoded)
    {
        public const int MaxNameBytes = 64;
        public const int MaxSpkiBytes = 256;

        /// <summary>True when this statement wins over the state it would replace (newer version; a removal wins a tie).</summary>
        public bool Beats(uint version, bool removed) =>
            Version > version || (Version == version && Change == MembershipChange.Remove && !removed);

        public static MembershipStatement Sign(MembershipChange change, uint version, long issued, DeviceId subject, string name, NodeIdentity signer)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            if (nameBytes.Length > MaxNameBytes)
            {
                nameBytes = nameBytes.AsSpan(0, MaxNameBytes).ToArray();
            }

            byte[] spki = signer.Certificate.PublicKey.ExportSubjectPublicKeyInfo();
            byte[] subjectText = Encoding.ASCII.GetBytes(subject.Text);
            var body = new byte[1 + 4 + 8 + subjectText.Length + 1 + nameBytes.Length + 2 + spki.Length];
            int o = 0;
            body[o++] = (byte)change;
            BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(o), version);
            o += 4;
            BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(o), issued);
            o += 8;
            subjectText.CopyTo(body, o);
            o += subjectText.Length;
            body[o++] = (byte)nameBytes.Length;
            nameBytes.CopyTo(body, o);
            o += nameBytes.Length;
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(o), (ushort)spki.Length);
            o += 2;
            spki.CopyTo(body, o);
            using var key = signer.Certificate.GetECDsaPrivateKey() ?? throw new CryptographicException("identity has no private key");
            byte[] sig = key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            var encoded = new byte[body.Length + 1 + sig.Length];
            body.CopyTo(encoded, 0);
            encoded[body.Length] = (byte)sig.Length;
            sig.CopyTo(encoded, body.Length + 1);
            return new MembershipStatement(change, version, issued, subject, Encoding.UTF8.GetString(nameBytes), signer.DeviceId, encoded);
        }

        /// <summary>
        /// Reads one statement at the start of <paramref name="data"/> and verifies its signature; returns the
        /// bytes it took. <see cref="FormatException"/> for a malformed or forged statement.
        /// </summary>
        public static MembershipStatement Read(ReadOnlySpan<byte> data, out int consumed)
        {
            int o = 0;
            ReadOnlySpan<byte> Take(ReadOnlySpan<byte> d, int n)
            {
                if (n < 0 || o + n > d.Length)
                {
                    throw new FormatException("membership statement truncated at byte " + o);
                }

                var s = d.Slice(o, n);
                o += n;
                return s;
            }

            int change = Take(data, 1)[0];
            if (change is not ((int)MembershipChange.Introduce or (int)MembershipChange.Remove))
            {
                throw new FormatException("membership statement: unknown change " + change);
            }

            uint version = BinaryPrimitives.ReadUInt32BigEndian(Take(data, 4));
            long issued = BinaryPrimitives.ReadInt64BigEndian(Take(data, 8));
            if (!DeviceId.TryParse(Encoding.ASCII.GetString(Take(data, DeviceId.TextLength)), out var subject, out string error))
            {
                throw new FormatException("membership statement: subject " + error);
            }

            int nameLength = Take(data, 1)[0];
            if (nameLength > MaxNameBytes)
            {
                throw new FormatException("membership statement: name of " + nameLength + " bytes");
            }

            string name = Encoding.UTF8.GetString(Take(data, nameLength));
            int spkiLength = BinaryPrimitives.ReadUInt16BigEndian(Take(data, 2));
            if (spkiLength is 0 or > MaxSpkiBytes)
            {
                throw new FormatException("membership statement: key of " + spkiLength + " bytes");
            }

            byte[] spki = Take(data, spkiLength).ToArray();
            int signed = o;
            int sigLength = Take(data, 1)[0];
            var sig = Take(data, sigLength);
            using var key = ECDsa.Create();
            try
            {
                key.ImportSubjectPublicKeyInfo(spki, out _);
            }
            catch (CryptographicException)
            {
                throw new FormatException("membership statement: not a public key");
            }

            if (!key.VerifyData(data.Slice(0, signed), sig, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                throw new FormatException("membership statement: bad signature");
            }

            consumed = o;
            return new MembershipStatement((MembershipChange)change, version, issued, subject, name, DeviceId.FromPublicKeyInfo(spki), data.Slice(0, o).ToArray());
        }
    }
}
