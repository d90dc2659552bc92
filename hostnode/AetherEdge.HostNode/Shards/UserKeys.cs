using System.Security.Cryptography;
using System.Text;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// Keys derived from the user secret (HOME/user.key) with HKDF-SHA256: one wraps per-file keys,
    /// one authenticates manifests (HMAC-SHA256). Every device holding the same secret can read
    /// the user's files; devices without it store and relay shards they cannot read.
    /// </summary>
    public sealed class UserKeys
    {
        public static readonly byte[] Salt = Encoding.ASCII.GetBytes("aether-user-keys-v1");
        public static readonly byte[] KeyWrapInfo = Encoding.ASCII.GetBytes("aether key-wrap v1");
        public static readonly byte[] ManifestInfo = Encoding.ASCII.GetBytes("aether manifest-mac v1");
        public static readonly byte[] ContentInfo = Encoding.ASCII.GetBytes("aether content-tag v1");

        public UserKeys(byte[] userSecret)
        {
            if (userSecret.Length < ShardLimits.KeyBytes)
            {
                throw new ArgumentException("user secret must be at least " + ShardLimits.KeyBytes + " bytes", nameof(userSecret));
            }

            KeyWrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, userSecret, ShardLimits.KeyBytes, Salt, KeyWrapInfo);
            ManifestKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, userSecret, ShardLimits.KeyBytes, Salt, ManifestInfo);
            ContentKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, userSecret, ShardLimits.KeyBytes, Salt, ContentInfo);
        }

        /// <summary>AES-256-GCM key that wraps each file's random key.</summary>
        public byte[] KeyWrapKey { get; }

        /// <summary>HMAC-SHA256 key over manifests.</summary>
        public byte[] ManifestKey { get; }

        /// <summary>HMAC-SHA256 key over a file's plaintext: the content tag that finds a second put of the same content.</summary>
        public byte[] ContentKey { get; }
    }
}
