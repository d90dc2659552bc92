using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AetherEdge.Core.Sealing;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Per-pair keys for sealed frames (<see cref="SealedFrame"/>): ECDH (P-256) between this device's identity key
    /// and the peer's, through HKDF-SHA256 (salt <c>aether-seal-v1</c>, info = the two node ids, smaller first), so
    /// both ends derive the same 32-byte key without sending anything. The peer's public key comes from its
    /// signed knowledge record (<see cref="MeshKnowledge"/> accepts only trusted devices); the MAC is HMAC-SHA256
    /// truncated to 16 bytes. A device that leaves the trust circle loses its key at once (checked per use).
    /// Thread-safe.
    /// </summary>
    public sealed class MeshFrameKeys : IFrameAuthenticator, IDisposable
    {
        public const int MaxPeers = 1024;
        private static readonly byte[] s_salt = Encoding.ASCII.GetBytes("aether-seal-v1");

        private readonly ECDiffieHellman _mine;
        private readonly uint _self;
        private readonly Func<DeviceId, bool> _trusted;
        private readonly ConcurrentDictionary<uint, Peer> _peers = new();

        public MeshFrameKeys(NodeIdentity identity, Func<DeviceId, bool> trusted)
        {
            using ECDsa key = identity.Certificate.GetECDsaPrivateKey() ?? throw new CryptographicException("identity has no private key");
            _mine = ECDiffieHellman.Create(key.ExportParameters(true));
            _self = MeshAddress.Of(identity.DeviceId);
            _trusted = trusted;
        }

        /// <summary>Peers with a public key on file.</summary>
        public int Count => _peers.Count;

        /// <summary>Records the public key (SPKI) of a trusted <paramref name="device"/> heard as node <paramref name="node"/>.</summary>
        public void Learn(uint node, DeviceId device, byte[] spki)
        {
            if (spki.Length == 0 || node == _self || (_peers.Count >= MaxPeers && !_peers.ContainsKey(node)))
            {
                return;
            }

            if (_peers.TryGetValue(node, out Peer? known) && known.Device == device)
            {
                return;
            }

            byte[] secret;
            try
            {
                using var theirs = ECDiffieHellman.Create();
                theirs.ImportSubjectPublicKeyInfo(spki, out _);
                secret = _mine.DeriveRawSecretAgreement(theirs.PublicKey);
            }
            catch (CryptographicException)
            {
                return; // not a P-256 key: no sealed frames with it
            }

            var info = new byte[8];
            uint low = Math.Min(node, _self);
            uint high = Math.Max(node, _self);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(info, low);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(info.AsSpan(4), high);
            byte[] pairKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, s_salt, info);
            CryptographicOperations.ZeroMemory(secret);
            _peers[node] = new Peer(device, pairKey);
        }

        /// <summary>True when a sealed frame can be exchanged with <paramref name="node"/> now.</summary>
        public bool Knows(uint node) => KeyOf(node) != null;

        public bool TryTag(uint peer, byte[] data, int offset, int length, byte[] tag, int tagOffset)
        {
            byte[]? key = KeyOf(peer);
            if (key == null)
            {
                return false;
            }

            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(key, data.AsSpan(offset, length), mac);
            mac[..SealedFrame.TagBytes].CopyTo(tag.AsSpan(tagOffset));
            return true;
        }

        public bool Verify(uint peer, byte[] data, int offset, int length, byte[] tag, int tagOffset)
        {
            byte[]? key = KeyOf(peer);
            if (key == null || tag.Length - tagOffset < SealedFrame.TagBytes)
            {
                return false;
            }

            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(key, data.AsSpan(offset, length), mac);
            return CryptographicOperations.FixedTimeEquals(mac[..SealedFrame.TagBytes], tag.AsSpan(tagOffset, SealedFrame.TagBytes));
        }

        private byte[]? KeyOf(uint node) => _peers.TryGetValue(node, out Peer? p) && _trusted(p.Device) ? p.Key : null;

        public void Dispose() => _mine.Dispose();

        private sealed record Peer(DeviceId Device, byte[] Key);
    }
}
