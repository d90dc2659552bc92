using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Protocol;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// A device's signed description of itself, broadcast over the mesh (payload kind 2):
    /// <c>kind 2 | version 1 | sequence u64 | SPKI length u16 | SPKI | device kind u8 | flags u8 (Hello's) |
    /// battery % u8 | allocation i64 | name length u8 | name (UTF-8, ≤ 64) | neighbours u8 (≤ 32) |
    /// neighbour node ids u32… | signature length u8 | ECDSA P-256 signature (IEEE P1363) over all before it</c>,
    /// big-endian. The device ID is the hash of the SPKI, so nobody can speak for another device; the sequence
    /// (creation time in ms, strictly increasing per device) makes old records (replays) lose.
    /// </summary>
    public sealed record KnowledgeRecord(
        DeviceId Device, long Sequence, DeviceKind Kind, int Flags, int BatteryPercent, long AllocationBytes, string Name, uint[] Neighbours)
    {
        public const byte Version = 1;

        /// <summary>The signer's public key (SPKI) as the verified record carried it; empty for records built here.</summary>
        public byte[] Spki { get; init; } = Array.Empty<byte>();
        public const int MaxNameBytes = 64;
        public const int MaxNeighbours = 32;
        public const int MaxSpkiBytes = 256;

        /// <summary>Encodes and signs with <paramref name="key"/> (the identity's private key; <paramref name="spki"/> its public part).</summary>
        public byte[] Sign(ECDsa key, byte[] spki)
        {
            byte[] name = Encoding.UTF8.GetBytes(Name);
            if (name.Length > MaxNameBytes)
            {
                name = name.AsSpan(0, MaxNameBytes).ToArray();
            }

            int neighbours = Math.Min(Neighbours.Length, MaxNeighbours);
            var body = new byte[2 + 8 + 2 + spki.Length + 3 + 8 + 1 + name.Length + 1 + (4 * neighbours)];
            int o = 0;
            body[o++] = MeshPayloadKind.Knowledge;
            body[o++] = Version;
            BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(o), Sequence);
            o += 8;
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(o), (ushort)spki.Length);
            o += 2;
            spki.CopyTo(body, o);
            o += spki.Length;
            body[o++] = (byte)Kind;
            body[o++] = (byte)Flags;
            body[o++] = (byte)BatteryPercent;
            BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(o), AllocationBytes);
            o += 8;
            body[o++] = (byte)name.Length;
            name.CopyTo(body, o);
            o += name.Length;
            body[o++] = (byte)neighbours;
            for (int i = 0; i < neighbours; i++, o += 4)
            {
                BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(o), Neighbours[i]);
            }

            byte[] sig = key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            var signed = new byte[body.Length + 1 + sig.Length];
            body.CopyTo(signed, 0);
            signed[body.Length] = (byte)sig.Length;
            sig.CopyTo(signed, body.Length + 1);
            return signed;
        }

        /// <summary>
        /// Parses and verifies a record; <paramref name="wanted"/> sees the device and sequence before the (costly)
        /// signature check and returns false to skip it (untrusted or stale: null is returned).
        /// <see cref="ProtocolViolationException"/> for anything malformed or a bad signature.
        /// </summary>
        public static KnowledgeRecord? Verify(ReadOnlySpan<byte> p, Func<DeviceId, long, bool> wanted)
        {
            var r = new SpanReader(p, "knowledge record");
            if (r.Byte() != MeshPayloadKind.Knowledge || r.Byte() != Version)
            {
                throw new ProtocolViolationException("knowledge record: unknown kind or version");
            }

            long sequence = r.Int64();
            int spkiLength = r.UInt16();
            if (spkiLength is 0 or > MaxSpkiBytes)
            {
                throw new ProtocolViolationException("knowledge record: public key of " + spkiLength + " bytes");
            }

            byte[] spki = r.Bytes(spkiLength).ToArray();
            int kind = r.Byte();
            int flags = r.Byte();
            int battery = r.Byte();
            long allocation = r.Int64();
            int nameLength = r.Byte();
            if (nameLength > MaxNameBytes || battery > 100 || allocation < 0 || !Enum.IsDefined(typeof(DeviceKind), kind))
            {
                throw new ProtocolViolationException("knowledge record: bad profile field");
            }

            string name = Encoding.UTF8.GetString(r.Bytes(nameLength));
            int count = r.Byte();
            if (count > MaxNeighbours)
            {
                throw new ProtocolViolationException("knowledge record: " + count + " neighbours, at most " + MaxNeighbours);
            }

            var neighbours = new uint[count];
            for (int i = 0; i < count; i++)
            {
                neighbours[i] = r.UInt32();
            }

            int signedLength = r.Position;
            int sigLength = r.Byte();
            var sig = r.Bytes(sigLength);
            r.End();
            var device = DeviceId.FromPublicKeyInfo(spki);
            if (!wanted(device, sequence))
            {
                return null;
            }

            using var key = ECDsa.Create();
            try
            {
                key.ImportSubjectPublicKeyInfo(spki, out _);
            }
            catch (CryptographicException)
            {
                throw new ProtocolViolationException("knowledge record: not a public key");
            }

            if (!key.VerifyData(p.Slice(0, signedLength), sig, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                throw new ProtocolViolationException("knowledge record: bad signature");
            }

            return new KnowledgeRecord(device, sequence, (DeviceKind)kind, flags, battery, allocation, name, neighbours) { Spki = spki };
        }
    }

    /// <summary>A bounds-checked big-endian reader over a lent span (mesh payloads).</summary>
    internal ref struct SpanReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private readonly string _what;

        public SpanReader(ReadOnlySpan<byte> data, string what)
        {
            _data = data;
            _what = what;
            Position = 0;
        }

        public int Position { get; private set; }

        public int Remaining => _data.Length - Position;

        public int Byte() => Bytes(1)[0];

        public int UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

        public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Bytes(8));

        public ReadOnlySpan<byte> Bytes(int n)
        {
            if (n < 0 || n > Remaining)
            {
                throw new ProtocolViolationException(_what + ": truncated at byte " + Position);
            }

            var s = _data.Slice(Position, n);
            Position += n;
            return s;
        }

        public void End()
        {
            if (Remaining != 0)
            {
                throw new ProtocolViolationException(_what + ": " + Remaining + " trailing bytes");
            }
        }
    }
}
