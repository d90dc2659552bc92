using System.Buffers.Binary;

namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// A shard id held as its 32 bytes (four integers) instead of 64 hex characters: what an index of 1.6 M shards
    /// keeps in memory (issue 17: a key of 32 bytes in place of a ~150-byte string). Orders as the hex text does.
    /// </summary>
    public readonly struct ShardKey : IEquatable<ShardKey>, IComparable<ShardKey>
    {
        private readonly ulong _a;
        private readonly ulong _b;
        private readonly ulong _c;
        private readonly ulong _d;

        private ShardKey(ulong a, ulong b, ulong c, ulong d)
        {
            _a = a;
            _b = b;
            _c = c;
            _d = d;
        }

        /// <summary>The key of <paramref name="id"/>; false unless it is a valid shard id (64 lower-case hex characters).</summary>
        public static bool TryParse(string? id, out ShardKey key)
        {
            key = default;
            if (id == null || !ShardId.IsValid(id))
            {
                return false;
            }

            Span<byte> bytes = stackalloc byte[32];
            Convert.FromHexString(id, bytes, out _, out _);
            key = new ShardKey(
                BinaryPrimitives.ReadUInt64BigEndian(bytes),
                BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(8)),
                BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(16)),
                BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(24)));
            return true;
        }

        /// <summary>The key of 32 id bytes (what SQLite's <c>unhex(id)</c> returns: no 64-character string made).</summary>
        public static ShardKey FromBytes(ReadOnlySpan<byte> bytes) => new(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(8)),
            BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(16)),
            BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(24)));

        /// <summary>The key of a valid shard id; throws <see cref="ArgumentException"/> otherwise.</summary>
        public static ShardKey Parse(string id) =>
            TryParse(id, out var key) ? key : throw new ArgumentException("not a shard id (64 lower-case hex characters): '" + id + "'", nameof(id));

        public bool Equals(ShardKey other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

        public override bool Equals(object? obj) => obj is ShardKey other && Equals(other);

        // SHA-256 bits are uniform: the first word alone spreads keys evenly.
        public override int GetHashCode() => (int)(_a ^ (_a >> 32));

        public int CompareTo(ShardKey other)
        {
            int c = _a.CompareTo(other._a);
            if (c == 0)
            {
                c = _b.CompareTo(other._b);
            }

            if (c == 0)
            {
                c = _c.CompareTo(other._c);
            }

            return c != 0 ? c : _d.CompareTo(other._d);
        }

        /// <summary>The shard id: 64 lower-case hex characters.</summary>
        public override string ToString()
        {
            Span<byte> bytes = stackalloc byte[32];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, _a);
            BinaryPrimitives.WriteUInt64BigEndian(bytes.Slice(8), _b);
            BinaryPrimitives.WriteUInt64BigEndian(bytes.Slice(16), _c);
            BinaryPrimitives.WriteUInt64BigEndian(bytes.Slice(24), _d);
            return Convert.ToHexStringLower(bytes);
        }

        public static bool operator ==(ShardKey left, ShardKey right) => left.Equals(right);

        public static bool operator !=(ShardKey left, ShardKey right) => !left.Equals(right);
    }
}
