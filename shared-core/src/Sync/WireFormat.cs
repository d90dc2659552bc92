using System;
using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Sync
{
    /// <summary>Length-prefixed strings for the frame writers and reader; integers delegate to <see cref="NetworkOrder"/>.</summary>
    internal static class WireFormat
    {
        public static void WriteUInt16(byte[] b, int o, int v)
        {
            NetworkOrder.WriteUInt16(b, o, v);
        }

        public static void WriteUInt32(byte[] b, int o, int v)
        {
            NetworkOrder.WriteUInt32(b, o, (uint)v);
        }

        public static void WriteInt64(byte[] b, int o, long v)
        {
            NetworkOrder.WriteUInt64(b, o, (ulong)v);
        }

        public static void WriteUInt64(byte[] b, int o, ulong v)
        {
            NetworkOrder.WriteUInt64(b, o, v);
        }

        public static int WriteAscii8(byte[] b, int o, string s)
        {
            b[o++] = (byte)s.Length;
            for (int i = 0; i < s.Length; i++)
            {
                b[o++] = (byte)s[i];
            }

            return o;
        }

        public static void WriteBytes8(byte[] b, int o, byte[] data)
        {
            b[o] = (byte)data.Length;
            Array.Copy(data, 0, b, o + 1, data.Length);
        }

        public static int ReadUInt16(byte[] b, int o)
        {
            return NetworkOrder.ReadUInt16(b, o);
        }

        public static long ReadUInt32(byte[] b, int o)
        {
            return NetworkOrder.ReadUInt32(b, o);
        }

        public static ulong ReadUInt64(byte[] b, int o)
        {
            return NetworkOrder.ReadUInt64(b, o);
        }

        public static byte[] Utf8(string s, int maxBytes)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(s == null ? string.Empty : s);
            if (bytes.Length > maxBytes)
            {
                throw new ArgumentException("text over " + maxBytes + " UTF-8 bytes");
            }

            return bytes;
        }

        public static byte[] Utf8Truncated(string s, int maxBytes)
        {
            string text = s == null ? string.Empty : s;
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            while (bytes.Length > maxBytes && text.Length > 0)
            {
                text = text.Substring(0, text.Length - 1);
                bytes = Encoding.UTF8.GetBytes(text);
            }

            return bytes;
        }

        public static string DecodeUtf8(byte[] b, int o, int n)
        {
            if (n == 0)
            {
                return string.Empty;
            }

            byte[] copy = new byte[n];
            Array.Copy(b, o, copy, 0, n);
            return new string(Encoding.UTF8.GetChars(copy));
        }
    }

    /// <summary>A bounds-checked cursor over one payload; running off the end is a protocol violation.</summary>
    internal sealed class PayloadReader
    {
        private readonly byte[] _b;
        private readonly int _end;
        private readonly string _frame;
        private int _pos;

        public PayloadReader(byte[] buffer, int offset, int length, string frameName)
        {
            _b = buffer;
            _pos = offset;
            _end = offset + length;
            _frame = frameName;
        }

        public int Remaining
        {
            get { return _end - _pos; }
        }

        private void Need(int n, string what)
        {
            if (_end - _pos < n)
            {
                throw new ProtocolViolationException(_frame + " frame truncated in " + what);
            }
        }

        public int Byte(string what)
        {
            Need(1, what);
            return _b[_pos++];
        }

        public int UInt16(string what)
        {
            Need(2, what);
            int v = WireFormat.ReadUInt16(_b, _pos);
            _pos += 2;
            return v;
        }

        public long UInt32(string what)
        {
            Need(4, what);
            long v = WireFormat.ReadUInt32(_b, _pos);
            _pos += 4;
            return v;
        }

        public long NonNegativeInt64(string what)
        {
            Need(8, what);
            ulong v = WireFormat.ReadUInt64(_b, _pos);
            _pos += 8;
            if (v > long.MaxValue)
            {
                throw new ProtocolViolationException(_frame + " frame has a negative " + what);
            }

            return (long)v;
        }

        public string ItemId(string what)
        {
            int n = Byte(what + " length");
            Need(n, what);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                chars[i] = (char)_b[_pos + i];
            }

            _pos += n;
            string id = new string(chars);
            if (!SyncFrame.IsValidItemId(id))
            {
                throw new ProtocolViolationException(_frame + " frame has an invalid " + what);
            }

            return id;
        }

        public string Utf8(int maxBytes, string what)
        {
            int n = Byte(what + " length");
            if (n > maxBytes)
            {
                throw new ProtocolViolationException(_frame + " frame " + what + " is over " + maxBytes + " bytes");
            }

            Need(n, what);
            string s;
            try
            {
                s = WireFormat.DecodeUtf8(_b, _pos, n);
            }
            catch (Exception)
            {
                throw new ProtocolViolationException(_frame + " frame " + what + " is not UTF-8");
            }

            // Decoders substitute U+FFFD for bad sequences; a round trip catches that on every platform.
            byte[] again = Encoding.UTF8.GetBytes(s);
            bool same = again.Length == n;
            for (int i = 0; same && i < n; i++)
            {
                same = again[i] == _b[_pos + i];
            }

            if (!same)
            {
                throw new ProtocolViolationException(_frame + " frame " + what + " is not valid UTF-8");
            }

            _pos += n;
            return s;
        }

        public byte[] Bytes(int n, string what)
        {
            Need(n, what);
            byte[] copy = new byte[n];
            Array.Copy(_b, _pos, copy, 0, n);
            _pos += n;
            return copy;
        }

        public byte[] Buffer
        {
            get { return _b; }
        }

        public int Skip(int n, string what)
        {
            Need(n, what);
            int at = _pos;
            _pos += n;
            return at;
        }

        public void End()
        {
            if (_pos != _end)
            {
                throw new ProtocolViolationException(_frame + " frame has " + (_end - _pos) + " trailing bytes");
            }
        }
    }
}
