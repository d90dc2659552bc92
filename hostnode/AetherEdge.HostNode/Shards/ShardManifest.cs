using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// What a reader needs to rebuild a file: ids and sizes, the code (k, n), the shard ids in order
    /// and the file key wrapped by the user's key-wrap key. Serialised in a fixed binary layout
    /// (Shards/README.md) followed by HMAC-SHA256 under the user's manifest key.
    /// </summary>
    public sealed class ShardManifest
    {
        public const int FormatVersion = 1;

        /// <summary>Version 2 = version 1 followed by the encrypted relative path (a folder put); written only when there is one.</summary>
        public const int PathFormatVersion = 2;

        /// <summary>Version 3 = version 1, the content tag, then optionally the encrypted path (u16 length | sealed path).</summary>
        public const int ContentFormatVersion = 3;
        public static readonly byte[] Magic = Encoding.ASCII.GetBytes("AEMF");
        public const int HeaderBytes = 4 + 1 + ShardLimits.FileIdBytes + 8 + 4 + 1 + 1 + 8 + ShardLimits.WrappedKeyBytes;

        private static readonly long s_minCreatedMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
        private static readonly long s_maxCreatedMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

        public ShardManifest(
            byte[] fileId, long originalBytes, int segmentBytes, int dataShards, int totalShards,
            DateTimeOffset createdUtc, byte[] wrappedKey, string[] shardIds, byte[]? encryptedPath = null, byte[]? contentTag = null)
        {
            ContentTag = contentTag;
            EncryptedPath = encryptedPath;
            FileId = fileId;
            OriginalBytes = originalBytes;
            SegmentBytes = segmentBytes;
            DataShards = dataShards;
            TotalShards = totalShards;
            CreatedUtc = createdUtc;
            WrappedKey = wrappedKey;
            ShardIds = shardIds;
        }

        public byte[] FileId { get; }

        public string FileIdText => Convert.ToHexStringLower(FileId);

        public long OriginalBytes { get; }

        public int SegmentBytes { get; }

        public int DataShards { get; }

        public int TotalShards { get; }

        public DateTimeOffset CreatedUtc { get; }

        public byte[] WrappedKey { get; }

        public string[] ShardIds { get; }

        /// <summary>The relative path recorded by a folder put, sealed under the file key (<see cref="SegmentCrypto.DecryptPath"/>); null for a single put.</summary>
        public byte[]? EncryptedPath { get; }

        /// <summary>
        /// HMAC-SHA256 of the plaintext under the user's content key (<see cref="UserKeys.ContentKey"/>): equal
        /// for equal content of the same user, meaningless to anyone without the key. Null before version 3.
        /// </summary>
        public byte[]? ContentTag { get; }

        public ShardLayout Layout => new(OriginalBytes, SegmentBytes, DataShards, TotalShards);

        public static bool IsFileId(string text) =>
            text.Length == ShardLimits.FileIdBytes * 2 && text.All(c => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));

        public byte[] Serialize(byte[] manifestKey)
        {
            int bodyLength = HeaderBytes + TotalShards * ShardLimits.HashBytes + (ContentTag == null ? 0 : ShardLimits.HashBytes) +
                (EncryptedPath == null ? 0 : 2 + EncryptedPath.Length);
            byte[] b = new byte[bodyLength + ShardLimits.HashBytes];
            int p = 0;
            Magic.CopyTo(b, p);
            p += Magic.Length;
            b[p++] = ContentTag != null ? (byte)ContentFormatVersion : EncryptedPath == null ? (byte)FormatVersion : (byte)PathFormatVersion;
            FileId.CopyTo(b, p);
            p += ShardLimits.FileIdBytes;
            BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(p), OriginalBytes);
            p += 8;
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(p), SegmentBytes);
            p += 4;
            b[p++] = (byte)DataShards;
            b[p++] = (byte)TotalShards;
            BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(p), CreatedUtc.ToUnixTimeMilliseconds());
            p += 8;
            WrappedKey.CopyTo(b, p);
            p += ShardLimits.WrappedKeyBytes;
            foreach (string id in ShardIds)
            {
                Convert.FromHexString(id).CopyTo(b, p);
                p += ShardLimits.HashBytes;
            }

            if (ContentTag != null)
            {
                ContentTag.CopyTo(b, p);
                p += ShardLimits.HashBytes;
            }

            if (EncryptedPath != null)
            {
                BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(p), (ushort)EncryptedPath.Length);
                EncryptedPath.CopyTo(b, p + 2);
            }

            HMACSHA256.HashData(manifestKey, b.AsSpan(0, bodyLength), b.AsSpan(bodyLength));
            return b;
        }

        /// <summary>
        /// Checks the HMAC first, then the fields. Any failure throws <see cref="ShardException"/> naming it;
        /// a manifest that fails is never used.
        /// </summary>
        public static ShardManifest Parse(byte[] b, byte[] manifestKey)
        {
            if (b.Length < HeaderBytes + ShardLimits.HashBytes)
            {
                throw new ShardException("manifest is truncated (" + b.Length + " bytes)");
            }

            byte[] mac = HMACSHA256.HashData(manifestKey, b.AsSpan(0, b.Length - ShardLimits.HashBytes));
            if (!CryptographicOperations.FixedTimeEquals(mac, b.AsSpan(b.Length - ShardLimits.HashBytes)))
            {
                throw new ShardException("manifest failed authentication (tampered, or made with another user key)");
            }

            return Read(b, out string? error) ?? throw new ShardException(error!);
        }

        /// <summary>
        /// The fields WITHOUT checking the HMAC, or null when they are malformed: nodes plan for and repair
        /// files of users whose key they may not hold. A bogus manifest can at worst make a node fetch
        /// shards it did not need (a shard is only stored when its bytes hash to the id listed here).
        /// Never use the result to decrypt a file: that is <see cref="Parse"/>'s job.
        /// </summary>
        public static ShardManifest? ReadUnverified(byte[] b) => Read(b, out _);

        // The one walk over the layout (Shards/README.md); the HMAC is the caller's business.
        private static ShardManifest? Read(byte[] b, out string? error)
        {
            if (b.Length < HeaderBytes + ShardLimits.HashBytes)
            {
                error = "manifest is truncated (" + b.Length + " bytes)";
                return null;
            }

            if (!b.AsSpan(0, Magic.Length).SequenceEqual(Magic) || (b[4] != FormatVersion && b[4] != PathFormatVersion && b[4] != ContentFormatVersion))
            {
                error = "manifest has an unknown magic or format version " + b[4];
                return null;
            }

            int p = 5;
            byte[] fileId = b.AsSpan(p, ShardLimits.FileIdBytes).ToArray();
            p += ShardLimits.FileIdBytes;
            long size = BinaryPrimitives.ReadInt64BigEndian(b.AsSpan(p));
            p += 8;
            int segment = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(p));
            p += 4;
            int k = b[p++];
            int n = b[p++];
            long created = BinaryPrimitives.ReadInt64BigEndian(b.AsSpan(p));
            p += 8;
            byte[] wrapped = b.AsSpan(p, ShardLimits.WrappedKeyBytes).ToArray();
            p += ShardLimits.WrappedKeyBytes;
            string? codeError = ErasureLimits.ValidationError(k, n - k);
            if (size < 0 || segment < ShardLimits.MinSegmentBytes || segment > ShardLimits.MaxSegmentBytes || codeError != null)
            {
                error = "manifest fields out of range (size " + size + ", segment " + segment + ", k " + k + ", n " + n + ")";
                return null;
            }

            // Found by tests/AetherEdge.Fuzz: a time DateTimeOffset cannot hold threw ArgumentOutOfRangeException.
            if (created < s_minCreatedMs || created > s_maxCreatedMs)
            {
                error = "manifest creation time " + created + " ms is outside the years 1-9999";
                return null;
            }

            int bodyLength = b.Length - ShardLimits.HashBytes;
            int fixedLength = HeaderBytes + n * ShardLimits.HashBytes;
            byte[]? tag = null;
            if (b[4] == ContentFormatVersion)
            {
                if (bodyLength < fixedLength + ShardLimits.HashBytes)
                {
                    error = "manifest format 3 has no content tag";
                    return null;
                }

                tag = b.AsSpan(fixedLength, ShardLimits.HashBytes).ToArray();
                fixedLength += ShardLimits.HashBytes;
            }

            byte[]? path = null;
            if ((b[4] == PathFormatVersion || (b[4] == ContentFormatVersion && bodyLength > fixedLength)) && bodyLength >= fixedLength + 2)
            {
                int pathLength = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(fixedLength));
                if (pathLength >= ShardLimits.TagBytes && pathLength <= ShardLimits.MaxPathBytes + ShardLimits.TagBytes && bodyLength == fixedLength + 2 + pathLength)
                {
                    path = b.AsSpan(fixedLength + 2, pathLength).ToArray();
                }
            }

            // Found by tests/AetherEdge.Fuzz: a version-2 manifest without its path parsed, then wrote back as version 1.
            if ((b[4] == PathFormatVersion || (b[4] == ContentFormatVersion && bodyLength > fixedLength)) && path == null)
            {
                error = "manifest format " + b[4] + " has no valid encrypted path";
                return null;
            }

            if (bodyLength != fixedLength + (path == null ? 0 : 2 + path.Length))
            {
                error = "manifest length does not match its " + n + " shards";
                return null;
            }

            var ids = new string[n];
            for (int i = 0; i < n; i++)
            {
                ids[i] = ShardId.FromHash(b.AsSpan(p, ShardLimits.HashBytes));
                p += ShardLimits.HashBytes;
            }

            error = null;
            return new ShardManifest(fileId, size, segment, k, n, DateTimeOffset.FromUnixTimeMilliseconds(created), wrapped, ids, path, tag);
        }
    }
}
