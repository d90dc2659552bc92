using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// AES-256-GCM for file keys and segments. Segment nonces are the segment index (the key is
    /// random per file, so a nonce never repeats under one key); the AAD binds file id, index and
    /// whether it is the last segment, so segments cannot be swapped, moved between files or dropped
    /// from the end.
    /// </summary>
    public static class SegmentCrypto
    {
        private static readonly byte[] s_segmentLabel = Encoding.ASCII.GetBytes("AESG");
        private static readonly byte[] s_wrapLabel = Encoding.ASCII.GetBytes("AEKW");
        private static readonly byte[] s_pathLabel = Encoding.ASCII.GetBytes("AEPN");

        public static byte[] WrapKey(byte[] keyWrapKey, byte[] fileId, byte[] fileKey)
        {
            byte[] wrapped = new byte[ShardLimits.WrappedKeyBytes];
            RandomNumberGenerator.Fill(wrapped.AsSpan(0, ShardLimits.NonceBytes));
            using var aes = new AesGcm(keyWrapKey, ShardLimits.TagBytes);
            aes.Encrypt(
                wrapped.AsSpan(0, ShardLimits.NonceBytes),
                fileKey,
                wrapped.AsSpan(ShardLimits.NonceBytes, ShardLimits.KeyBytes),
                wrapped.AsSpan(ShardLimits.NonceBytes + ShardLimits.KeyBytes, ShardLimits.TagBytes),
                WrapAad(fileId));
            return wrapped;
        }

        public static byte[] UnwrapKey(byte[] keyWrapKey, byte[] fileId, byte[] wrapped)
        {
            using var aes = new AesGcm(keyWrapKey, ShardLimits.TagBytes);
            return UnwrapKey(aes, fileId, wrapped);
        }

        /// <summary>As <see cref="UnwrapKey(byte[], byte[], byte[])"/> with the key-wrap cipher made once (a listing of many files).</summary>
        public static byte[] UnwrapKey(AesGcm aes, byte[] fileId, byte[] wrapped)
        {
            byte[] key = new byte[ShardLimits.KeyBytes];
            try
            {
                aes.Decrypt(
                    wrapped.AsSpan(0, ShardLimits.NonceBytes),
                    wrapped.AsSpan(ShardLimits.NonceBytes, ShardLimits.KeyBytes),
                    wrapped.AsSpan(ShardLimits.NonceBytes + ShardLimits.KeyBytes, ShardLimits.TagBytes),
                    key,
                    WrapAad(fileId));
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new ShardException("file key cannot be unwrapped: this home's user key did not wrap it");
            }

            return key;
        }

        /// <summary>
        /// Encrypts a recorded relative path (UTF-8) under the file key: the manifest must not show
        /// names to devices that hold it without the user key. Nonce <c>00 00 00 01 | 0 (u64)</c> never
        /// equals a segment nonce (those start with four zero bytes); AAD = "AEPN" | fileId.
        /// Output: ciphertext | tag.
        /// </summary>
        public static byte[] EncryptPath(byte[] fileKey, byte[] fileId, string path)
        {
            byte[] plain = Encoding.UTF8.GetBytes(path);
            byte[] sealedPath = new byte[plain.Length + ShardLimits.TagBytes];
            using var aes = new AesGcm(fileKey, ShardLimits.TagBytes);
            aes.Encrypt(PathNonce(), plain, sealedPath.AsSpan(0, plain.Length), sealedPath.AsSpan(plain.Length), PathAad(fileId));
            return sealedPath;
        }

        /// <summary>
        /// The relative path a folder put sealed in <paramref name="manifest"/>, or null for a single put. The file
        /// key is unwrapped for this alone and wiped after; throws as <see cref="DecryptPath"/> and UnwrapKey do.
        /// </summary>
        public static string? OpenPath(ShardManifest manifest, byte[] keyWrapKey)
        {
            if (manifest.EncryptedPath == null)
            {
                return null;
            }

            using var aes = new AesGcm(keyWrapKey, ShardLimits.TagBytes);
            return OpenPath(manifest, aes);
        }

        /// <summary>As <see cref="OpenPath(ShardManifest, byte[])"/> with the key-wrap cipher made once.</summary>
        public static string? OpenPath(ShardManifest manifest, AesGcm keyWrap)
        {
            if (manifest.EncryptedPath == null)
            {
                return null;
            }

            byte[] fileKey = UnwrapKey(keyWrap, manifest.FileId, manifest.WrappedKey);
            try
            {
                return DecryptPath(fileKey, manifest.FileId, manifest.EncryptedPath);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(fileKey);
            }
        }

        /// <summary>The path sealed by <see cref="EncryptPath"/>; throws <see cref="ShardException"/> when it fails authentication.</summary>
        public static string DecryptPath(byte[] fileKey, byte[] fileId, byte[] sealedPath)
        {
            int length = sealedPath.Length - ShardLimits.TagBytes;
            byte[] plain = new byte[Math.Max(0, length)];
            using var aes = new AesGcm(fileKey, ShardLimits.TagBytes);
            try
            {
                aes.Decrypt(PathNonce(), sealedPath.AsSpan(0, length), sealedPath.AsSpan(length), plain, PathAad(fileId));
            }
            catch (Exception e) when (e is AuthenticationTagMismatchException or ArgumentException)
            {
                throw new ShardException("the recorded path of file " + Convert.ToHexStringLower(fileId) + " failed authentication");
            }

            return Encoding.UTF8.GetString(plain);
        }

        /// <summary>Encrypts buffer[0, length) in place and writes the tag at buffer[length, length + 16).</summary>
        public static void EncryptSegment(AesGcm aes, byte[] fileId, long index, bool final, byte[] buffer, int length)
        {
            Span<byte> nonce = stackalloc byte[ShardLimits.NonceBytes];
            Span<byte> aad = stackalloc byte[AadBytes];
            Nonce(index, nonce);
            Aad(fileId, index, final, aad);
            aes.Encrypt(nonce, buffer.AsSpan(0, length), buffer.AsSpan(0, length), buffer.AsSpan(length, ShardLimits.TagBytes), aad);
        }

        /// <summary>Decrypts buffer[0, length) in place against the tag after it; false when it fails authentication.</summary>
        public static bool TryDecryptSegment(AesGcm aes, byte[] fileId, long index, bool final, byte[] buffer, int length)
        {
            Span<byte> nonce = stackalloc byte[ShardLimits.NonceBytes];
            Span<byte> aad = stackalloc byte[AadBytes];
            Nonce(index, nonce);
            Aad(fileId, index, final, aad);
            try
            {
                aes.Decrypt(nonce, buffer.AsSpan(0, length), buffer.AsSpan(length, ShardLimits.TagBytes), buffer.AsSpan(0, length), aad);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }

        private const int AadBytes = 4 + ShardLimits.FileIdBytes + 8 + 1;

        private static void Nonce(long index, Span<byte> nonce)
        {
            nonce.Clear();
            BinaryPrimitives.WriteInt64BigEndian(nonce.Slice(4), index);
        }

        private static void Aad(byte[] fileId, long index, bool final, Span<byte> aad)
        {
            s_segmentLabel.CopyTo(aad);
            fileId.CopyTo(aad.Slice(4));
            BinaryPrimitives.WriteInt64BigEndian(aad.Slice(4 + ShardLimits.FileIdBytes), index);
            aad[AadBytes - 1] = final ? (byte)1 : (byte)0;
        }

        private static byte[] PathNonce()
        {
            byte[] nonce = new byte[ShardLimits.NonceBytes];
            nonce[3] = 1;
            return nonce;
        }

        private static byte[] PathAad(byte[] fileId)
        {
            byte[] aad = new byte[s_pathLabel.Length + fileId.Length];
            s_pathLabel.CopyTo(aad, 0);
            fileId.CopyTo(aad, s_pathLabel.Length);
            return aad;
        }

        private static byte[] WrapAad(byte[] fileId)
        {
            byte[] aad = new byte[s_wrapLabel.Length + fileId.Length];
            s_wrapLabel.CopyTo(aad, 0);
            fileId.CopyTo(aad, s_wrapLabel.Length);
            return aad;
        }
    }
}
