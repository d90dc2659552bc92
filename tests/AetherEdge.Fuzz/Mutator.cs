using System.Buffers.Binary;

namespace AetherEdge.Fuzz
{
    /// <summary>
    /// Structure-aware mutation: bit and byte flips, interesting values, truncation and extension, range
    /// deletion and duplication, splices with another pool entry, boundary values written into length fields
    /// (the target's hints, or any offset), and now and then plain random bytes. Deterministic for a seed.
    /// </summary>
    public sealed class Mutator
    {
        private static readonly byte[] s_interestingBytes = { 0x00, 0x01, 0x02, 0x3F, 0x40, 0x7F, 0x80, 0x81, 0xC0, 0xFE, 0xFF };
        private static readonly long[] s_interestingInts = { 0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF };

        private readonly Random _random;
        private readonly int _maxLength;

        public Mutator(Random random, int maxLength)
        {
            _random = random;
            _maxLength = maxLength;
        }

        public byte[] Next(FuzzTarget target, IReadOnlyList<byte[]> pool)
        {
            if (_random.Next(20) == 0)
            {
                var noise = new byte[_random.Next(Math.Min(_maxLength, 256) + 1)];
                _random.NextBytes(noise);
                return noise;
            }

            byte[] data = pool[_random.Next(pool.Count)];
            int rounds = 1 + _random.Next(4);
            for (int i = 0; i < rounds; i++)
            {
                data = MutateOnce(target, data, pool);
            }

            return data.Length > _maxLength ? data.AsSpan(0, _maxLength).ToArray() : data;
        }

        private byte[] MutateOnce(FuzzTarget target, byte[] input, IReadOnlyList<byte[]> pool)
        {
            byte[] d = (byte[])input.Clone();
            switch (_random.Next(10))
            {
                case 0 when d.Length > 0:
                    d[_random.Next(d.Length)] ^= (byte)(1 << _random.Next(8));
                    return d;
                case 1 when d.Length > 0:
                    d[_random.Next(d.Length)] = s_interestingBytes[_random.Next(s_interestingBytes.Length)];
                    return d;
                case 2 when d.Length > 0:
                    d[_random.Next(d.Length)] = (byte)_random.Next(256);
                    return d;
                case 3:
                    return d.AsSpan(0, _random.Next(d.Length + 1)).ToArray();
                case 4:
                    {
                        var tail = new byte[1 + _random.Next(32)];
                        _random.NextBytes(tail);
                        return d.Concat(tail).ToArray();
                    }

                case 5 when d.Length > 1:
                    {
                        int at = _random.Next(d.Length);
                        int n = 1 + _random.Next(Math.Min(16, d.Length - at));
                        return d.Take(at).Concat(d.Skip(at + n)).ToArray();
                    }

                case 6 when d.Length > 0:
                    {
                        int from = _random.Next(d.Length);
                        int n = 1 + _random.Next(Math.Min(32, d.Length - from));
                        int to = _random.Next(d.Length + 1);
                        return d.Take(to).Concat(d.Skip(from).Take(n)).Concat(d.Skip(to)).ToArray();
                    }

                case 7:
                    {
                        byte[] other = pool[_random.Next(pool.Count)];
                        int cut = _random.Next(d.Length + 1);
                        int otherCut = _random.Next(other.Length + 1);
                        return d.Take(cut).Concat(other.Skip(otherCut)).ToArray();
                    }

                default:
                    return EditLengthField(target, d);
            }
        }

        private byte[] EditLengthField(FuzzTarget target, byte[] d)
        {
            if (d.Length == 0)
            {
                return d;
            }

            int[] hints = target.LengthFieldOffsets(d);
            int at = hints.Length > 0 && _random.Next(4) != 0 ? hints[_random.Next(hints.Length)] : _random.Next(d.Length);
            int width = new[] { 1, 2, 4 }[_random.Next(3)];
            if (at < 0 || at + width > d.Length)
            {
                width = 1;
                at = Math.Clamp(at, 0, d.Length - 1);
            }

            long value = _random.Next(3) switch
            {
                0 => s_interestingInts[_random.Next(s_interestingInts.Length)],
                1 => d.Length - at + _random.Next(-2, 3),
                _ => ReadBig(d, at, width) + _random.Next(-2, 3),
            };
            WriteBig(d, at, width, value);
            return d;
        }

        private static long ReadBig(byte[] d, int at, int width) => width switch
        {
            1 => d[at],
            2 => BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(at)),
            _ => BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(at)),
        };

        private static void WriteBig(byte[] d, int at, int width, long value)
        {
            switch (width)
            {
                case 1:
                    d[at] = (byte)value;
                    break;
                case 2:
                    BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(at), (ushort)value);
                    break;
                default:
                    BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(at), (uint)value);
                    break;
            }
        }
    }
}
