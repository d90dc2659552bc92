using System.Buffers.Binary;
using AetherEdge.Core.Protocol;

namespace AetherEdge.HostNode.DBus
{
    public enum DBusMessageType : byte
    {
        MethodCall = 1,
        MethodReturn = 2,
        Error = 3,
        Signal = 4,
    }

    /// <summary>One D-Bus message: fixed header, header fields and a decoded body.</summary>
    public sealed class DBusMessage
    {
        public const byte FlagNoReplyExpected = 0x1;
        public const byte FlagNoAutoStart = 0x2;

        private const byte FieldPath = 1;
        private const byte FieldInterface = 2;
        private const byte FieldMember = 3;
        private const byte FieldErrorName = 4;
        private const byte FieldReplySerial = 5;
        private const byte FieldDestination = 6;
        private const byte FieldSender = 7;
        private const byte FieldSignature = 8;
        private const byte FieldUnixFds = 9;

        public DBusMessageType Type { get; set; }

        public byte Flags { get; set; }

        public uint Serial { get; set; }

        public string? Path { get; set; }

        public string? Interface { get; set; }

        public string? Member { get; set; }

        public string? ErrorName { get; set; }

        public uint? ReplySerial { get; set; }

        public string? Destination { get; set; }

        public string? Sender { get; set; }

        public string Signature { get; set; } = "";

        public object[] Body { get; set; } = Array.Empty<object>();

        /// <summary>Descriptors received with this message (owned by whoever takes them).</summary>
        public IReadOnlyList<int> UnixFds { get; set; } = Array.Empty<int>();

        public bool NoReplyExpected => (Flags & FlagNoReplyExpected) != 0;

        /// <summary>Encodes the message; the fds referenced by 'h' values are returned for SCM_RIGHTS.</summary>
        public byte[] Encode(out List<int> fds)
        {
            var body = new DBusWriter();
            body.WriteAll(Signature, Body);
            fds = body.UnixFds;

            // Body alignment is relative to the message start, and the body starts 8-aligned, so a
            // separately marshalled body has the same padding.
            var w = new DBusWriter();
            w.WriteByte((byte)'l');
            w.WriteByte((byte)Type);
            w.WriteByte(Flags);
            w.WriteByte(1);
            w.WriteUInt32((uint)body.Length);
            w.WriteUInt32(Serial);
            var fields = new List<object>();
            void Add(byte code, string sig, object? value)
            {
                if (value != null)
                {
                    fields.Add(new object[] { code, new DBusVariant(sig, value) });
                }
            }

            Add(FieldPath, "o", Path == null ? null : new DBusObjectPath(Path));
            Add(FieldInterface, "s", Interface);
            Add(FieldMember, "s", Member);
            Add(FieldErrorName, "s", ErrorName);
            Add(FieldReplySerial, "u", ReplySerial);
            Add(FieldDestination, "s", Destination);
            Add(FieldSender, "s", Sender);
            Add(FieldSignature, "g", Signature.Length == 0 ? null : new DBusSignature(Signature));
            Add(FieldUnixFds, "u", fds.Count == 0 ? null : (uint)fds.Count);
            w.Write("a(yv)", fields);
            w.Pad(8);
            int headerLength = w.Length;
            if ((long)headerLength + body.Length > DBusLimits.MaxMessageLength)
            {
                throw new ProtocolViolationException("message of " + (headerLength + body.Length) + " bytes is over the limit");
            }

            byte[] result = new byte[headerLength + body.Length];
            Buffer.BlockCopy(w.ToArray(), 0, result, 0, headerLength);
            Buffer.BlockCopy(body.ToArray(), 0, result, headerLength, body.Length);
            return result;
        }

        /// <summary>
        /// Total message length from the first 16 bytes, or throws if the header is malformed or over the limit.
        /// </summary>
        public static int MessageLength(ReadOnlySpan<byte> fixedHeader)
        {
            bool big = EndianFlag(fixedHeader[0]);
            uint bodyLength = big ? BinaryPrimitives.ReadUInt32BigEndian(fixedHeader.Slice(4)) : BinaryPrimitives.ReadUInt32LittleEndian(fixedHeader.Slice(4));
            uint fieldsLength = big ? BinaryPrimitives.ReadUInt32BigEndian(fixedHeader.Slice(12)) : BinaryPrimitives.ReadUInt32LittleEndian(fixedHeader.Slice(12));
            if (fixedHeader[3] != 1)
            {
                throw new ProtocolViolationException("protocol version " + fixedHeader[3] + " is not 1");
            }

            if (fieldsLength > DBusLimits.MaxArrayLength || bodyLength > DBusLimits.MaxMessageLength)
            {
                throw new ProtocolViolationException("message lengths (fields " + fieldsLength + ", body " + bodyLength + ") are over the limits");
            }

            long headerEnd = (DBusLimits.FixedHeaderLength + (long)fieldsLength + 7) & ~7L;
            long total = headerEnd + bodyLength;
            if (total > DBusLimits.MaxMessageLength)
            {
                throw new ProtocolViolationException("message of " + total + " bytes is over the limit of " + DBusLimits.MaxMessageLength);
            }

            return (int)total;
        }

        private static bool EndianFlag(byte b) => b switch
        {
            (byte)'l' => false,
            (byte)'B' => true,
            _ => throw new ProtocolViolationException("endianness byte 0x" + b.ToString("x2") + " is neither 'l' nor 'B'"),
        };

        /// <summary>Decodes one whole message of exactly <paramref name="length"/> bytes.</summary>
        public static DBusMessage Decode(byte[] data, int length, IReadOnlyList<int>? fds = null)
        {
            if (length < DBusLimits.FixedHeaderLength)
            {
                throw new ProtocolViolationException("message of " + length + " bytes is shorter than the fixed header");
            }

            int total = MessageLength(data.AsSpan(0, DBusLimits.FixedHeaderLength));
            if (total != length)
            {
                throw new ProtocolViolationException("message header says " + total + " bytes but " + length + " were given");
            }

            bool big = EndianFlag(data[0]);
            var r = new DBusReader(data, 4, length, big, fds);
            uint bodyLength = r.ReadUInt32();
            var m = new DBusMessage { Flags = data[2], Serial = r.ReadUInt32() };
            if (data[1] < 1 || data[1] > 4)
            {
                throw new ProtocolViolationException("unknown message type " + data[1]);
            }

            m.Type = (DBusMessageType)data[1];
            if (m.Serial == 0)
            {
                throw new ProtocolViolationException("message serial is 0");
            }

            var fields = (List<object>)r.Read("a(yv)");
            uint fdCount = 0;
            foreach (object f in fields)
            {
                var pair = (object[])f;
                var v = (DBusVariant)pair[1];
                switch ((byte)pair[0])
                {
                    case FieldPath: m.Path = Expect<DBusObjectPath>(v, "o", "PATH").Value; break;
                    case FieldInterface: m.Interface = Expect<string>(v, "s", "INTERFACE"); break;
                    case FieldMember: m.Member = Expect<string>(v, "s", "MEMBER"); break;
                    case FieldErrorName: m.ErrorName = Expect<string>(v, "s", "ERROR_NAME"); break;
                    case FieldReplySerial: m.ReplySerial = Expect<uint>(v, "u", "REPLY_SERIAL"); break;
                    case FieldDestination: m.Destination = Expect<string>(v, "s", "DESTINATION"); break;
                    case FieldSender: m.Sender = Expect<string>(v, "s", "SENDER"); break;
                    case FieldSignature: m.Signature = Expect<DBusSignature>(v, "g", "SIGNATURE").Value; break;
                    case FieldUnixFds: fdCount = Expect<uint>(v, "u", "UNIX_FDS"); break;
                    default: break; // unknown fields must be ignored
                }
            }

            if (fds != null && fdCount > fds.Count)
            {
                throw new ProtocolViolationException("message declares " + fdCount + " unix fds but " + fds.Count + " arrived");
            }

            Require(m.Type != DBusMessageType.MethodCall || (m.Path != null && m.Member != null), "method call without PATH or MEMBER");
            Require(m.Type != DBusMessageType.Signal || (m.Path != null && m.Member != null && m.Interface != null), "signal without PATH, INTERFACE or MEMBER");
            Require(m.Type != DBusMessageType.Error || (m.ErrorName != null && m.ReplySerial != null), "error without ERROR_NAME or REPLY_SERIAL");
            Require(m.Type != DBusMessageType.MethodReturn || m.ReplySerial != null, "method return without REPLY_SERIAL");

            r.Align(8);
            int bodyStart = r.Position;
            if (bodyStart + (long)bodyLength != length)
            {
                throw new ProtocolViolationException("body length " + bodyLength + " does not match the message length");
            }

            var bodyReader = new DBusReader(data, bodyStart, length, big, fds);
            m.Body = bodyReader.ReadAll(m.Signature);
            if (bodyReader.Position != length)
            {
                throw new ProtocolViolationException("body has " + (length - bodyReader.Position) + " bytes after signature '" + m.Signature + "'");
            }

            m.UnixFds = fds == null ? Array.Empty<int>() : fds.Take((int)fdCount).ToArray();
            return m;
        }

        private static void Require(bool ok, string problem)
        {
            if (!ok)
            {
                throw new ProtocolViolationException(problem);
            }
        }

        private static T Expect<T>(DBusVariant v, string sig, string field)
        {
            if (v.Signature != sig)
            {
                throw new ProtocolViolationException("header field " + field + " has type '" + v.Signature + "', expected '" + sig + "'");
            }

            return (T)v.Value;
        }

        public override string ToString() =>
            Type + " serial=" + Serial + " path=" + Path + " iface=" + Interface + " member=" + Member + " error=" + ErrorName + " sig=" + Signature;
    }
}
