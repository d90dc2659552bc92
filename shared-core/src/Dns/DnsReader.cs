using System.Collections;
using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Dns
{
    /// <summary>
    /// Reads DNS wire data from one message. Compression pointers are followed everywhere a name
    /// appears (owner names and PTR/SRV/NSEC rdata); a pointer must point strictly before the
    /// labels that led to it, which rules out loops and forward references, and hops are capped.
    /// </summary>
    internal sealed class DnsReader
    {
        private readonly byte[] _buffer;
        private readonly int _start;
        private readonly int _end;

        public DnsReader(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _start = offset;
            _end = offset + length;
            Position = offset;
        }

        public int Position { get; set; }

        public int End
        {
            get { return _end; }
        }

        public int ReadByte(string what)
        {
            if (Position >= _end)
            {
                throw Truncated(what);
            }

            return _buffer[Position++];
        }

        public int ReadUInt16(string what)
        {
            if (Position + 2 > _end)
            {
                throw Truncated(what);
            }

            int v = (_buffer[Position] << 8) | _buffer[Position + 1];
            Position += 2;
            return v;
        }

        public long ReadUInt32(string what)
        {
            long hi = ReadUInt16(what);
            long lo = ReadUInt16(what);
            return (hi << 16) | lo;
        }

        public byte[] ReadBytes(int count, string what)
        {
            if (count < 0 || Position + count > _end)
            {
                throw Truncated(what);
            }

            byte[] b = new byte[count];
            for (int i = 0; i < count; i++)
            {
                b[i] = _buffer[Position + i];
            }

            Position += count;
            return b;
        }

        public DnsName ReadName(string what)
        {
            ArrayList labels = new ArrayList();
            int p = Position;
            int segmentStart = p;
            bool jumped = false;
            int hops = 0;
            int wire = 1;
            while (true)
            {
                if (p >= _end)
                {
                    throw Truncated(what);
                }

                int len = _buffer[p];
                if ((len & 0xC0) == 0xC0)
                {
                    if (p + 1 >= _end)
                    {
                        throw Truncated(what);
                    }

                    int target = _start + (((len & 0x3F) << 8) | _buffer[p + 1]);
                    if (!jumped)
                    {
                        Position = p + 2;
                        jumped = true;
                    }

                    if (++hops > DnsLimits.MaxPointerHops)
                    {
                        throw new ProtocolViolationException(what + ": more than " + DnsLimits.MaxPointerHops + " compression pointers");
                    }

                    if (target >= segmentStart)
                    {
                        throw new ProtocolViolationException(what + ": compression pointer at offset " + (p - _start) + " points forward or loops (to " + (target - _start) + ")");
                    }

                    p = target;
                    segmentStart = target;
                    continue;
                }

                if ((len & 0xC0) != 0)
                {
                    throw new ProtocolViolationException(what + ": reserved label type 0x" + (len & 0xC0).ToString("X2") + " at offset " + (p - _start));
                }

                if (len == 0)
                {
                    p++;
                    break;
                }

                if (p + 1 + len > _end)
                {
                    throw Truncated(what);
                }

                wire += len + 1;
                if (wire > DnsLimits.MaxNameLength)
                {
                    throw new ProtocolViolationException(what + ": name longer than " + DnsLimits.MaxNameLength + " bytes");
                }

                labels.Add(Encoding.UTF8.GetString(_buffer, p + 1, len));
                p += 1 + len;
            }

            if (!jumped)
            {
                Position = p;
            }

            string[] result = new string[labels.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (string)labels[i]!;
            }

            return new DnsName(result);
        }

        private ProtocolViolationException Truncated(string what)
        {
            return new ProtocolViolationException(what + " runs past the end of the message (" + (_end - _start) + " bytes)");
        }
    }
}
