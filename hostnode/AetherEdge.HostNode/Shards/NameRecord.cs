using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// Another name for a file already stored (a second put of the same content): manifest format 4, kept
    /// and synced like a manifest under its own id, listing no shards (placement and repair ignore it).
    /// Layout: "AEMF" | 4 | id (16) | target file id (16) | created ms (u64 BE) | u16 length | sealed name |
    /// HMAC-SHA256 (manifest key). The name is sealed under the TARGET's file key, nonce
    /// <c>00 00 00 02 | id[0..8)</c> (never a segment's or the path's), AAD "AENM" | id | target.
    /// </summary>
    public sealed class NameRecord
    {
        public const int FormatVersion = 4;

        private const int FixedBytes = 4 + 1 + ShardLimits.FileIdBytes + ShardLimits.FileIdBytes + 8 + 2;
        private static readonly byte[] s_aadLabel = Encoding.ASCII.GetBytes("AENM");

        public NameRecord(byte[] id, byte[] target, DateTimeOffset createdUtc, byte[] sealedName)
        {
            Id = id;
            Target = target;
            CreatedUtc = createdUtc;
            SealedName = sealedName;
        }

        public byte[] Id { get; }

        public string IdText => Convert.ToHexStringLower(Id);

        public byte[] Target { get; }

        public string TargetText => Convert.ToHexStringLower(Target);

        public DateTimeOffset CreatedUtc { get; }

        public byte[] SealedName { get; }

        /// <summary>A new record naming <paramref name="target"/> (whose file key the caller unwrapped) <paramref name="name"/>.</summary>
        public static NameRecord Create(ShardManifest target, byte[] fileKey, string name)
        {
            byte[] id = RandomNumberGenerator.GetBytes(ShardLimits.FileIdBytes);
            byte[] plain = Encoding.UTF8.GetBytes(name);
            if (plain.Length > ShardLimits.MaxPathBytes)
            {
                throw new ShardException("name " + name + " is longer than " + ShardLimits.MaxPathBytes + " bytes");
            }

            byte[] sealedName = new byte[plain.Length + ShardLimits.TagBytes];
            using (var aes = new AesGcm(fileKey, ShardLimits.TagBytes))
            {
                aes.Encrypt(Nonce(id), plain, sealedName.AsSpan(0, plain.Length), sealedName.AsSpan(plain.Length), Aad(id, target.FileId));
            }

            return new NameRecord(id, target.FileId, DateTimeOffset.UtcNow, sealedName);
        }

        /// <summary>True when <paramref name="body"/> starts like a name record (format 4); says nothing of its MAC.</summary>
        public static bool Is(byte[] body) =>
            body.Length > 4 && body.AsSpan(0, 4).SequenceEqual(ShardManifest.Magic) && body[4] == FormatVersion;

        public string Name(byte[] fileKey)
        {
            int length = SealedName.Length - ShardLimits.TagBytes;
            byte[] plain = new byte[Math.Max(0, length)];
            try
            {
                using var aes = new AesGcm(fileKey, ShardLimits.TagBytes);
                aes.Decrypt(Nonce(Id), SealedName.AsSpan(0, length), SealedName.AsSpan(length), plain, Aad(Id, Target));
            }
            catch (Exception e) when (e is AuthenticationTagMismatchException or ArgumentException)
            {
                throw new ShardException("the name of record " + IdText + " failed authentication");
            }

            return Encoding.UTF8.GetString(plain);
        }

        public byte[] Serialize(byte[] manifestKey)
        {
            int body = FixedBytes + SealedName.Length;
            byte[] b = new byte[body + ShardLimits.HashBytes];
            ShardManifest.Magic.CopyTo(b, 0);
            b[4] = FormatVersion;
            Id.CopyTo(b, 5);
            Target.CopyTo(b, 5 + ShardLimits.FileIdBytes);
            BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(5 + (2 * ShardLimits.FileIdBytes)), CreatedUtc.ToUnixTimeMilliseconds());
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(FixedBytes - 2), (ushort)SealedName.Length);
            SealedName.CopyTo(b, FixedBytes);
            HMACSHA256.HashData(manifestKey, b.AsSpan(0, body), b.AsSpan(body));
            return b;
        }

        /// <summary>Checks the HMAC, then the layout; throws <see cref="ShardException"/> naming what failed.</summary>
        public static NameRecord Parse(byte[] b, byte[] manifestKey)
        {
            if (b.Length < FixedBytes + ShardLimits.TagBytes + ShardLimits.HashBytes)
            {
                throw new ShardException("name record is truncated (" + b.Length + " bytes)");
            }

            byte[] mac = HMACSHA256.HashData(manifestKey, b.AsSpan(0, b.Length - ShardLimits.HashBytes));
            if (!CryptographicOperations.FixedTimeEquals(mac, b.AsSpan(b.Length - ShardLimits.HashBytes)))
            {
                throw new ShardException("name record failed authentication (tampered, or made with another user key)");
            }

            return ReadUnverified(b) ?? throw new ShardException("name record is malformed");
        }

        /// <summary>The fields without checking the HMAC, or null when malformed (repair-index's structural check).</summary>
        public static NameRecord? ReadUnverified(byte[] b)
        {
            if (b.Length < FixedBytes + ShardLimits.TagBytes + ShardLimits.HashBytes || !Is(b))
            {
                return null;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(FixedBytes - 2));
            long created = BinaryPrimitives.ReadInt64BigEndian(b.AsSpan(5 + (2 * ShardLimits.FileIdBytes)));
            if (length < ShardLimits.TagBytes || length > ShardLimits.MaxPathBytes + ShardLimits.TagBytes ||
                b.Length != FixedBytes + length + ShardLimits.HashBytes ||
                created < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || created > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return null;
            }

            return new NameRecord(
                b.AsSpan(5, ShardLimits.FileIdBytes).ToArray(),
                b.AsSpan(5 + ShardLimits.FileIdBytes, ShardLimits.FileIdBytes).ToArray(),
                DateTimeOffset.FromUnixTimeMilliseconds(created),
                b.AsSpan(FixedBytes, length).ToArray());
        }

        private static byte[] Nonce(byte[] id)
        {
            byte[] nonce = new byte[ShardLimits.NonceBytes];
            nonce[3] = 2;
            id.AsSpan(0, 8).CopyTo(nonce.AsSpan(4));
            return nonce;
        }

        private static byte[] Aad(byte[] id, byte[] target)
        {
            byte[] aad = new byte[s_aadLabel.Length + (2 * ShardLimits.FileIdBytes)];
            s_aadLabel.CopyTo(aad, 0);
            id.CopyTo(aad, 4);
            target.CopyTo(aad, 4 + ShardLimits.FileIdBytes);
            return aad;
        }
    }
}
