using System.Buffers.Binary;
using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.HostNode.DBus
{
    /// <summary>
    /// Little-endian D-Bus marshaller driven by a signature. Offsets (and so padding) count from the
    /// start of the message, which is offset 0 of this writer.
    /// </summary>
    public sealed class DBusWriter
    {
        private byte[] _buffer = new byte[256];
        private int _length;

        public int Length => _length;

        /// <summary>File descriptors referenced by 'h' values, in index order.</summary>
        public List<int> UnixFds { get; } = new();

        public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        public void Pad(int alignment)
        {
            int padded = (_length + alignment - 1) & ~(alignment - 1);
            Ensure(padded - _length);
            Array.Clear(_buffer, _length, padded - _length);
            _length = padded;
        }

        public void WriteByte(byte b)
        {
            Ensure(1);
            _buffer[_length++] = b;
        }

        public void WriteUInt32(uint v)
        {
            Pad(4);
            Ensure(4);
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), v);
            _length += 4;
        }

        /// <summary>Overwrites a u32 written earlier (array and body lengths are known only afterwards).</summary>
        public void PatchUInt32(int offset, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(offset), v);

        /// <summary>Writes values for a whole signature (a sequence of complete types).</summary>
        public void WriteAll(string signature, IReadOnlyList<object> values)
        {
            List<string> types = DBusSignatures.Split(signature);
            if (types.Count != values.Count)
            {
                throw new ArgumentException("signature '" + signature + "' has " + types.Count + " types but " + values.Count + " values were given");
            }

            for (int i = 0; i < types.Count; i++)
            {
                Write(types[i], values[i]);
            }
        }

        /// <summary>Writes one value of a single complete type.</summary>
        public void Write(string type, object value)
        {
            int pos = 0;
            WriteValue(type, ref pos, value, 0);
            if (pos != type.Length)
            {
                throw new ArgumentException("'" + type + "' is not a single complete type");
            }
        }

        private void WriteValue(string sig, ref int pos, object value, int depth)
        {
            if (depth > DBusLimits.MaxTotalDepth)
            {
                throw new ProtocolViolationException("value nests deeper than " + DBusLimits.MaxTotalDepth);
            }

            char c = sig[pos++];
            switch (c)
            {
                case 'y': WriteByte(Convert.ToByte(value)); break;
                case 'b': WriteUInt32((bool)value ? 1u : 0u); break;
                case 'n': WriteFixed(2, s => BinaryPrimitives.WriteInt16LittleEndian(s, Convert.ToInt16(value))); break;
                case 'q': WriteFixed(2, s => BinaryPrimitives.WriteUInt16LittleEndian(s, Convert.ToUInt16(value))); break;
                case 'i': WriteFixed(4, s => BinaryPrimitives.WriteInt32LittleEndian(s, Convert.ToInt32(value))); break;
                case 'u': WriteUInt32(Convert.ToUInt32(value)); break;
                case 'x': WriteFixed(8, s => BinaryPrimitives.WriteInt64LittleEndian(s, Convert.ToInt64(value))); break;
                case 't': WriteFixed(8, s => BinaryPrimitives.WriteUInt64LittleEndian(s, Convert.ToUInt64(value))); break;
                case 'd': WriteFixed(8, s => BinaryPrimitives.WriteDoubleLittleEndian(s, Convert.ToDouble(value))); break;
                case 'h':
                    UnixFds.Add(((DBusUnixFd)value).Fd);
                    WriteUInt32((uint)(UnixFds.Count - 1));
                    break;
                case 's': WriteString(value is string str ? str : value.ToString()!); break;
                case 'o':
                    string path = value is DBusObjectPath op ? op.Value : (string)value;
                    if (!DBusNames.IsValidObjectPath(path))
                    {
                        throw new ArgumentException("'" + path + "' is not a valid object path");
                    }

                    WriteString(path);
                    break;
                case 'g': WriteSignature(value is DBusSignature g ? g.Value : (string)value); break;
                case 'v':
                    var variant = (DBusVariant)value;
                    DBusSignatures.ValidateSingle(variant.Signature);
                    WriteSignature(variant.Signature);
                    int vpos = 0;
                    WriteValue(variant.Signature, ref vpos, variant.Value, depth + 1);
                    break;
                case 'a': WriteArray(sig, ref pos, value, depth); break;
                case '(':
                    Pad(8);
                    IReadOnlyList<object> fields = StructFields(value);
                    int index = 0;
                    while (sig[pos] != ')')
                    {
                        WriteValue(sig, ref pos, fields[index++], depth + 1);
                    }

                    pos++;
                    break;
                default:
                    throw new ArgumentException("cannot write type code '" + c + "'");
            }
        }

        private static IReadOnlyList<object> StructFields(object value)
        {
            if (value is object[] arr)
            {
                return arr;
            }

            if (value is ITuple tuple)
            {
                var list = new object[tuple.Length];
                for (int i = 0; i < tuple.Length; i++)
                {
                    list[i] = tuple[i]!;
                }

                return list;
            }

            throw new ArgumentException("a struct value must be object[] or a tuple");
        }

        private void WriteArray(string sig, ref int pos, object value, int depth)
        {
            WriteUInt32(0);
            int lengthOffset = _length - 4;
            int elementStart = pos;
            bool isDict = sig[pos] == '{';
            Pad(isDict ? 8 : DBusSignatures.Alignment(sig[pos]));
            int dataStart = _length;
            int elementEnd = SkipType(sig, elementStart);

            if (isDict)
            {
                foreach (object entry in DictEntries(value))
                {
                    var kv = (KeyValuePair<object, object>)entry;
                    Pad(8);
                    int p = elementStart + 1;
                    WriteValue(sig, ref p, kv.Key, depth + 1);
                    WriteValue(sig, ref p, kv.Value, depth + 1);
                }
            }
            else if (sig[elementStart] == 'y' && value is byte[] bytes)
            {
                Ensure(bytes.Length);
                Buffer.BlockCopy(bytes, 0, _buffer, _length, bytes.Length);
                _length += bytes.Length;
            }
            else
            {
                foreach (object item in (IEnumerable)value)
                {
                    int p = elementStart;
                    WriteValue(sig, ref p, item, depth + 1);
                }
            }

            int arrayLength = _length - dataStart;
            if (arrayLength > DBusLimits.MaxArrayLength)
            {
                throw new ProtocolViolationException("array of " + arrayLength + " bytes is over the limit of " + DBusLimits.MaxArrayLength);
            }

            PatchUInt32(lengthOffset, (uint)arrayLength);
            pos = elementEnd;
        }

        private static IEnumerable<object> DictEntries(object value)
        {
            if (value is IDictionary dict)
            {
                foreach (DictionaryEntry e in dict)
                {
                    yield return new KeyValuePair<object, object>(e.Key, e.Value!);
                }

                yield break;
            }

            foreach (object item in (IEnumerable)value)
            {
                if (item is KeyValuePair<object, object> kv)
                {
                    yield return kv;
                }
                else if (item is ITuple t && t.Length == 2)
                {
                    yield return new KeyValuePair<object, object>(t[0]!, t[1]!);
                }
                else
                {
                    throw new ArgumentException("a dict value must be an IDictionary or pairs");
                }
            }
        }

        /// <summary>Index just after the single complete type starting at <paramref name="start"/>.</summary>
        internal static int SkipType(string sig, int start)
        {
            char c = sig[start];
            if (c == 'a')
            {
                return SkipType(sig, start + 1);
            }

            if (c == '(' || c == '{')
            {
                int p = start + 1;
                while (sig[p] != ')' && sig[p] != '}')
                {
                    p = SkipType(sig, p);
                }

                return p + 1;
            }

            return start + 1;
        }

        private void WriteString(string s)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(s);
            if (Array.IndexOf(bytes, (byte)0) >= 0)
            {
                throw new ArgumentException("D-Bus strings cannot contain NUL");
            }

            WriteUInt32((uint)bytes.Length);
            Ensure(bytes.Length + 1);
            Buffer.BlockCopy(bytes, 0, _buffer, _length, bytes.Length);
            _length += bytes.Length;
            _buffer[_length++] = 0;
        }

        private void WriteSignature(string s)
        {
            DBusSignatures.Validate(s);
            WriteByte((byte)s.Length);
            Ensure(s.Length + 1);
            for (int i = 0; i < s.Length; i++)
            {
                _buffer[_length++] = (byte)s[i];
            }

            _buffer[_length++] = 0;
        }

        private delegate void SpanWriter(Span<byte> span);

        private void WriteFixed(int size, SpanWriter write)
        {
            Pad(size);
            Ensure(size);
            write(_buffer.AsSpan(_length, size));
            _length += size;
        }

        private void Ensure(int extra)
        {
            if (_length + extra > DBusLimits.MaxMessageLength)
            {
                throw new ProtocolViolationException("message would exceed " + DBusLimits.MaxMessageLength + " bytes");
            }

            if (_length + extra > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
            }
        }
    }
}
