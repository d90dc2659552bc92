using System.Collections;
using System.Text;

namespace AetherEdge.Core.Dns
{
    /// <summary>
    /// Appends DNS wire data to a caller's buffer. Running out of room sets <see cref="Overflow"/>
    /// instead of throwing, so TryWrite callers can return false. Owner names and PTR targets are
    /// compressed when enabled; SRV targets, NSEC names and TXT never are (RFC 2782, RFC 6762 §18.14).
    /// </summary>
    internal sealed class DnsWriter
    {
        private readonly byte[] _buffer;
        private readonly int _start;
        private readonly int _end;
        private readonly bool _compress;
        private readonly Hashtable _offsets = new Hashtable();
        private int _pos;

        public DnsWriter(byte[] buffer, int offset, int length, bool compress)
        {
            _buffer = buffer;
            _start = offset;
            _end = offset + length;
            _pos = offset;
            _compress = compress;
        }

        public bool Overflow { get; private set; }

        /// <summary>Bytes written so far.</summary>
        public int Position
        {
            get { return _pos - _start; }
        }

        public void WriteByte(int value)
        {
            if (_pos >= _end)
            {
                Overflow = true;
                return;
            }

            _buffer[_pos++] = (byte)value;
        }

        public void WriteUInt16(int value)
        {
            WriteByte(value >> 8);
            WriteByte(value);
        }

        public void WriteUInt32(long value)
        {
            WriteUInt16((int)((value >> 16) & 0xFFFF));
            WriteUInt16((int)(value & 0xFFFF));
        }

        public void WriteBytes(byte[] data)
        {
            if (_pos + data.Length > _end)
            {
                Overflow = true;
                _pos = _end;
                return;
            }

            for (int i = 0; i < data.Length; i++)
            {
                _buffer[_pos++] = data[i];
            }
        }

        public void WriteName(DnsName name, bool compress)
        {
            for (int i = 0; i < name.LabelCount; i++)
            {
                string key = SuffixKey(name, i);
                if (compress && _compress)
                {
                    object? found = _offsets[key];
                    if (found != null)
                    {
                        WriteUInt16(0xC000 | (int)found);
                        return;
                    }
                }

                int here = _pos - _start;
                if (_compress && here <= DnsLimits.MaxPointerOffset && _offsets[key] == null)
                {
                    _offsets[key] = here;
                }

                byte[] label = Encoding.UTF8.GetBytes(name.Label(i));
                WriteByte(label.Length);
                WriteBytes(label);
            }

            WriteByte(0);
        }

        public void WriteQuestion(DnsQuestion q)
        {
            WriteName(q.Name, true);
            WriteUInt16(q.Type);
            WriteUInt16(q.Class | (q.UnicastResponse ? DnsClass.TopBit : 0));
        }

        public void WriteRecord(DnsRecord r)
        {
            WriteName(r.Name, true);
            WriteUInt16(r.Type);
            WriteUInt16(r.Class | (r.CacheFlush ? DnsClass.TopBit : 0));
            WriteUInt32(r.Ttl);
            int lengthAt = _pos;
            WriteUInt16(0);
            int dataStart = _pos;
            WriteRdata(r);
            if (!Overflow)
            {
                int n = _pos - dataStart;
                _buffer[lengthAt] = (byte)(n >> 8);
                _buffer[lengthAt + 1] = (byte)n;
            }
        }

        public void WriteRdata(DnsRecord r)
        {
            switch (r.Type)
            {
                case DnsType.A:
                case DnsType.Aaaa:
                    WriteBytes(r.Address ?? new byte[0]);
                    break;
                case DnsType.Ptr:
                    WriteName(Required(r.Target), true);
                    break;
                case DnsType.Srv:
                    WriteUInt16(r.Priority);
                    WriteUInt16(r.Weight);
                    WriteUInt16(r.Port);
                    WriteName(Required(r.Target), false);
                    break;
                case DnsType.Txt:
                    WriteTxt(r.TxtStrings);
                    break;
                case DnsType.Nsec:
                    WriteName(Required(r.Target), false);
                    if (r.NsecTypes == null && r.RawData != null)
                    {
                        WriteBytes(r.RawData);
                    }
                    else
                    {
                        WriteNsecBitmap(r.NsecTypes ?? new int[0]);
                    }

                    break;
                default:
                    WriteBytes(r.RawData ?? new byte[0]);
                    break;
            }
        }

        private void WriteTxt(byte[][]? strings)
        {
            if (strings == null || strings.Length == 0)
            {
                WriteByte(0);
                return;
            }

            for (int i = 0; i < strings.Length; i++)
            {
                byte[] s = strings[i];
                int n = s.Length > DnsLimits.MaxTxtStringLength ? DnsLimits.MaxTxtStringLength : s.Length;
                WriteByte(n);
                for (int j = 0; j < n; j++)
                {
                    WriteByte(s[j]);
                }
            }
        }

        private void WriteNsecBitmap(int[] types)
        {
            // One window block per 256-type window that has any type set (RFC 4034 §4.1.2).
            for (int window = 0; window < 256; window++)
            {
                byte[] bits = new byte[32];
                int used = 0;
                for (int i = 0; i < types.Length; i++)
                {
                    int t = types[i];
                    if ((t >> 8) == window)
                    {
                        int low = t & 0xFF;
                        bits[low >> 3] |= (byte)(0x80 >> (low & 7));
                        if ((low >> 3) + 1 > used)
                        {
                            used = (low >> 3) + 1;
                        }
                    }
                }

                if (used > 0)
                {
                    WriteByte(window);
                    WriteByte(used);
                    for (int i = 0; i < used; i++)
                    {
                        WriteByte(bits[i]);
                    }
                }
            }
        }

        private static DnsName Required(DnsName? name)
        {
            return name ?? new DnsName(new string[0]);
        }

        private static string SuffixKey(DnsName name, int from)
        {
            StringBuilder sb = new StringBuilder();
            for (int i = from; i < name.LabelCount; i++)
            {
                // Exact labels, not case-folded: a pointer to "_C..." written for "_c..." would change the name's
                // case on the wire (names compare case-insensitively, but case is preserved: RFC 4343 §4).
                string l = name.Label(i);
                sb.Append((char)l.Length);
                sb.Append(l);
            }

            return sb.ToString();
        }
    }
}
