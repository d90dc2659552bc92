using System.Buffers.Binary;
using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.HostNode.DBus
{
    /// <summary>
    /// Signature-driven D-Bus unmarshaller over a byte[] holding a whole message (offset 0 = message start).
    /// Values come back as: ay → byte[], a{..} → Dictionary&lt;object, object&gt;, other arrays → List&lt;object&gt;,
    /// struct → object[], v → <see cref="DBusVariant"/>, o/g/h → their record structs.
    /// Any malformed input throws <see cref="ProtocolViolationException"/>.
    /// </summary>
    public sealed class DBusReader
    {
        private readonly byte[] _data;
        private readonly int _end;
        private readonly bool _bigEndian;
        private readonly IReadOnlyList<int> _fds;
        private int _pos;

        public DBusReader(byte[] data, int position, int end, bool bigEndian, IReadOnlyList<int>? fds = null)
        {
            _data = data;
            _pos = position;
            _end = end;
            _bigEndian = bigEndian;
            _fds = fds ?? Array.Empty<int>();
        }

        public int Position => _pos;

        /// <summary>Reads values for a whole signature.</summary>
        public object[] ReadAll(string signature)
        {
            List<string> types = DBusSignatures.Split(signature);
            var values = new object[types.Count];
            for (int i = 0; i < types.Count; i++)
            {
                values[i] = Read(types[i]);
            }

            return values;
        }

        public object Read(string type)
        {
            int p = 0;
            return ReadValue(type, ref p, 0);
        }

        public void Align(int alignment)
        {
            int padded = (_pos + alignment - 1) & ~(alignment - 1);
            Need(padded - _pos, "padding");
            for (int i = _pos; i < padded; i++)
            {
                if (_data[i] != 0)
                {
                    throw new ProtocolViolationException("non-zero padding byte at offset " + i);
                }
            }

            _pos = padded;
        }

        public byte ReadByte()
        {
            Need(1, "byte");
            return _data[_pos++];
        }

        public uint ReadUInt32()
        {
            ReadOnlySpan<byte> s = Fixed(4, "uint32");
            return _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
        }

        private object ReadValue(string sig, ref int pos, int depth)
        {
            if (depth > DBusLimits.MaxTotalDepth)
            {
                throw new ProtocolViolationException("value nests deeper than " + DBusLimits.MaxTotalDepth);
            }

            char c = sig[pos++];
            switch (c)
            {
                case 'y': return ReadByte();
                case 'b':
                    uint b = ReadUInt32();
                    if (b > 1)
                    {
                        throw new ProtocolViolationException("boolean value " + b + " is neither 0 nor 1");
                    }

                    return b == 1;
                case 'n':
                    {
                        ReadOnlySpan<byte> s = Fixed(2, "int16");
                        return _bigEndian ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s);
                    }

                case 'q':
                    {
                        ReadOnlySpan<byte> s = Fixed(2, "uint16");
                        return _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
                    }

                case 'i': return unchecked((int)ReadUInt32());
                case 'u': return ReadUInt32();
                case 'x':
                    {
                        ReadOnlySpan<byte> s = Fixed(8, "int64");
                        return _bigEndian ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s);
                    }

                case 't':
                    {
                        ReadOnlySpan<byte> s = Fixed(8, "uint64");
                        return _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
                    }

                case 'd':
                    {
                        ReadOnlySpan<byte> s = Fixed(8, "double");
                        return _bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s);
                    }

                case 'h':
                    uint index = ReadUInt32();
                    if (index >= _fds.Count)
                    {
                        throw new ProtocolViolationException("unix fd index " + index + " but the message carries " + _fds.Count + " fds");
                    }

                    return new DBusUnixFd(_fds[(int)index]);
                case 's': return ReadString();
                case 'o':
                    string path = ReadString();
                    if (!DBusNames.IsValidObjectPath(path))
                    {
                        throw new ProtocolViolationException("'" + path + "' is not a valid object path");
                    }

                    return new DBusObjectPath(path);
                case 'g': return new DBusSignature(ReadSignature());
                case 'v':
                    string vsig = ReadSignature();
                    DBusSignatures.ValidateSingle(vsig);
                    int vp = 0;
                    return new DBusVariant(vsig, ReadValue(vsig, ref vp, depth + 1));
                case 'a': return ReadArray(sig, ref pos, depth);
                case '(':
                    Align(8);
                    var fields = new List<object>();
                    while (sig[pos] != ')')
                    {
                        fields.Add(ReadValue(sig, ref pos, depth + 1));
                    }

                    pos++;
                    return fields.ToArray();
                default:
                    throw new ProtocolViolationException("cannot read type code '" + c + "'");
            }
        }

        private object ReadArray(string sig, ref int pos, int depth)
        {
            uint length = ReadUInt32();
            if (length > DBusLimits.MaxArrayLength)
            {
                throw new ProtocolViolationException("array length " + length + " is over the limit of " + DBusLimits.MaxArrayLength);
            }

            int elementStart = pos;
            int elementEnd = DBusWriter.SkipType(sig, elementStart);
            bool isDict = sig[elementStart] == '{';
            Align(isDict ? 8 : DBusSignatures.Alignment(sig[elementStart]));
            Need((int)length, "array body");
            int arrayEnd = _pos + (int)length;
            pos = elementEnd;

            if (sig[elementStart] == 'y')
            {
                byte[] bytes = _data.AsSpan(_pos, (int)length).ToArray();
                _pos = arrayEnd;
                return bytes;
            }

            if (isDict)
            {
                var dict = new Dictionary<object, object>();
                while (_pos < arrayEnd)
                {
                    Align(8);
                    int p = elementStart + 1;
                    object key = ReadValue(sig, ref p, depth + 1);
                    object value = ReadValue(sig, ref p, depth + 1);
                    dict[key] = value;
                }

                CheckArrayEnd(arrayEnd);
                return dict;
            }

            var list = new List<object>();
            while (_pos < arrayEnd)
            {
                int p = elementStart;
                list.Add(ReadValue(sig, ref p, depth + 1));
            }

            CheckArrayEnd(arrayEnd);
            return list;
        }

        private void CheckArrayEnd(int arrayEnd)
        {
            if (_pos != arrayEnd)
            {
                throw new ProtocolViolationException("array elements overrun the array length by " + (_pos - arrayEnd) + " bytes");
            }
        }

        private string ReadString()
        {
            uint length = ReadUInt32();
            if (length > DBusLimits.MaxMessageLength)
            {
                throw new ProtocolViolationException("string length " + length + " is over the message limit");
            }

            Need((int)length + 1, "string");
            if (_data[_pos + (int)length] != 0)
            {
                throw new ProtocolViolationException("string at offset " + _pos + " is not NUL-terminated");
            }

            ReadOnlySpan<byte> bytes = _data.AsSpan(_pos, (int)length);
            if (bytes.IndexOf((byte)0) >= 0)
            {
                throw new ProtocolViolationException("string at offset " + _pos + " contains NUL");
            }

            string s;
            try
            {
                s = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new ProtocolViolationException("string at offset " + _pos + " is not valid UTF-8");
            }

            _pos += (int)length + 1;
            return s;
        }

        private string ReadSignature()
        {
            int length = ReadByte();
            Need(length + 1, "signature");
            if (_data[_pos + length] != 0)
            {
                throw new ProtocolViolationException("signature at offset " + _pos + " is not NUL-terminated");
            }

            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)_data[_pos + i];
            }

            _pos += length + 1;
            string sig = new string(chars);
            DBusSignatures.Validate(sig);
            return sig;
        }

        private ReadOnlySpan<byte> Fixed(int size, string what)
        {
            Align(size);
            Need(size, what);
            ReadOnlySpan<byte> s = _data.AsSpan(_pos, size);
            _pos += size;
            return s;
        }

        private void Need(int count, string what)
        {
            if (count < 0 || _pos + count > _end)
            {
                throw new ProtocolViolationException("truncated " + what + " at offset " + _pos + " (need " + count + " bytes, have " + (_end - _pos) + ")");
            }
        }
    }
}
