using System.Collections;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Dns
{
    /// <summary>
    /// A DNS message: header flags and four sections. <see cref="Parse"/> throws
    /// <see cref="ProtocolViolationException"/> for malformed input; <see cref="TryWrite"/> returns false
    /// when the buffer is too small.
    /// </summary>
    public sealed class DnsMessage
    {
        /// <summary>QR: this is a response.</summary>
        public const int FlagResponse = 0x8000;

        /// <summary>AA: authoritative answer (set on all mDNS responses).</summary>
        public const int FlagAuthoritative = 0x0400;

        /// <summary>TC: truncated; in mDNS queries, more known answers follow (RFC 6762 §7.2).</summary>
        public const int FlagTruncated = 0x0200;

        /// <summary>Creates an empty message.</summary>
        public DnsMessage()
        {
            Questions = new ArrayList();
            Answers = new ArrayList();
            Authorities = new ArrayList();
            Additionals = new ArrayList();
        }

        /// <summary>Message ID (0 in multicast mDNS; echoed in legacy unicast replies).</summary>
        public int Id { get; set; }

        /// <summary>The 16-bit flags word.</summary>
        public int Flags { get; set; }

        /// <summary>Questions (<see cref="DnsQuestion"/>).</summary>
        public ArrayList Questions { get; }

        /// <summary>Answer records (<see cref="DnsRecord"/>).</summary>
        public ArrayList Answers { get; }

        /// <summary>Authority records (<see cref="DnsRecord"/>); probes put their proposed records here.</summary>
        public ArrayList Authorities { get; }

        /// <summary>Additional records (<see cref="DnsRecord"/>).</summary>
        public ArrayList Additionals { get; }

        /// <summary>QR bit.</summary>
        public bool IsResponse
        {
            get { return (Flags & FlagResponse) != 0; }
        }

        /// <summary>TC bit.</summary>
        public bool IsTruncated
        {
            get { return (Flags & FlagTruncated) != 0; }
        }

        /// <summary>OPCODE field (mDNS accepts only 0).</summary>
        public int Opcode
        {
            get { return (Flags >> 11) & 0xF; }
        }

        /// <summary>RCODE field (mDNS accepts only 0).</summary>
        public int Rcode
        {
            get { return Flags & 0xF; }
        }

        /// <summary>Parses <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
        public static DnsMessage Parse(byte[] buffer, int offset, int length)
        {
            if (offset < 0 || length < 0 || offset + length > buffer.Length)
            {
                throw new ProtocolViolationException("message range " + offset + "+" + length + " is outside the buffer");
            }

            if (length > DnsLimits.MaxMessageLength)
            {
                throw new ProtocolViolationException("message is " + length + " bytes; the limit is " + DnsLimits.MaxMessageLength);
            }

            if (length < DnsLimits.HeaderLength)
            {
                throw new ProtocolViolationException("message is " + length + " bytes, shorter than the 12-byte header");
            }

            DnsReader r = new DnsReader(buffer, offset, length);
            DnsMessage m = new DnsMessage();
            m.Id = r.ReadUInt16("header");
            m.Flags = r.ReadUInt16("header");
            int qd = r.ReadUInt16("header");
            int an = r.ReadUInt16("header");
            int ns = r.ReadUInt16("header");
            int ar = r.ReadUInt16("header");
            int total = qd + an + ns + ar;
            if (total > DnsLimits.MaxRecords)
            {
                throw new ProtocolViolationException("header declares " + total + " entries; the limit is " + DnsLimits.MaxRecords);
            }

            for (int i = 0; i < qd; i++)
            {
                DnsName name = r.ReadName("question " + i + " name");
                int type = r.ReadUInt16("question " + i);
                int cls = r.ReadUInt16("question " + i);
                m.Questions.Add(new DnsQuestion(name, type, cls, (cls & DnsClass.TopBit) != 0));
            }

            ReadSection(r, an, m.Answers, "answer");
            ReadSection(r, ns, m.Authorities, "authority");
            ReadSection(r, ar, m.Additionals, "additional");
            return m;
        }

        /// <summary>
        /// Writes the message with name compression. Returns false (and <paramref name="written"/> 0)
        /// when it does not fit in <paramref name="length"/> bytes.
        /// </summary>
        public bool TryWrite(byte[] buffer, int offset, int length, out int written)
        {
            written = 0;
            if (length > DnsLimits.MaxMessageLength)
            {
                length = DnsLimits.MaxMessageLength;
            }

            DnsWriter w = new DnsWriter(buffer, offset, length, true);
            w.WriteUInt16(Id);
            w.WriteUInt16(Flags);
            w.WriteUInt16(Questions.Count);
            w.WriteUInt16(Answers.Count);
            w.WriteUInt16(Authorities.Count);
            w.WriteUInt16(Additionals.Count);
            for (int i = 0; i < Questions.Count && !w.Overflow; i++)
            {
                w.WriteQuestion((DnsQuestion)Questions[i]!);
            }

            WriteSection(w, Answers);
            WriteSection(w, Authorities);
            WriteSection(w, Additionals);
            if (w.Overflow)
            {
                return false;
            }

            written = w.Position;
            return true;
        }

        private static void WriteSection(DnsWriter w, ArrayList records)
        {
            for (int i = 0; i < records.Count && !w.Overflow; i++)
            {
                w.WriteRecord((DnsRecord)records[i]!);
            }
        }

        private static void ReadSection(DnsReader r, int count, ArrayList into, string section)
        {
            for (int i = 0; i < count; i++)
            {
                into.Add(ReadRecord(r, section + " record " + i));
            }
        }

        private static DnsRecord ReadRecord(DnsReader r, string what)
        {
            DnsName name = r.ReadName(what + " name");
            int type = r.ReadUInt16(what);
            int cls = r.ReadUInt16(what);
            long ttl = r.ReadUInt32(what);
            int rdLength = r.ReadUInt16(what);
            int dataEnd = r.Position + rdLength;
            if (dataEnd > r.End)
            {
                throw new ProtocolViolationException(what + ": rdata of " + rdLength + " bytes runs past the end of the message");
            }

            DnsRecord rec = new DnsRecord(name, type, cls, (cls & DnsClass.TopBit) != 0, ttl);
            switch (type)
            {
                case DnsType.A:
                case DnsType.Aaaa:
                    int want = type == DnsType.A ? 4 : 16;
                    if (rdLength != want)
                    {
                        throw new ProtocolViolationException(what + ": address rdata is " + rdLength + " bytes, expected " + want);
                    }

                    rec.Address = r.ReadBytes(rdLength, what);
                    break;
                case DnsType.Ptr:
                    rec.Target = r.ReadName(what + " PTR target");
                    break;
                case DnsType.Srv:
                    rec.Priority = r.ReadUInt16(what + " SRV");
                    rec.Weight = r.ReadUInt16(what + " SRV");
                    rec.Port = r.ReadUInt16(what + " SRV");
                    rec.Target = r.ReadName(what + " SRV target");
                    break;
                case DnsType.Txt:
                    rec.TxtStrings = ReadTxt(r, dataEnd, what);
                    break;
                case DnsType.Nsec:
                    rec.Target = r.ReadName(what + " NSEC next name");
                    int bitmapStart = r.Position;
                    try
                    {
                        rec.NsecTypes = ReadNsecBitmap(r, dataEnd, what);
                    }
                    catch (ProtocolViolationException)
                    {
                        // python-zeroconf 0.47 writes the window and length as 16-bit fields; keep such a
                        // bitmap opaque instead of dropping the whole packet with its good records.
                        r.Position = bitmapStart;
                        rec.RawData = r.ReadBytes(dataEnd - bitmapStart, what + " NSEC bitmap");
                    }

                    break;
                default:
                    rec.RawData = r.ReadBytes(rdLength, what);
                    break;
            }

            if (r.Position != dataEnd)
            {
                throw new ProtocolViolationException(what + ": rdata length " + rdLength + " does not match its content");
            }

            return rec;
        }

        private static byte[][] ReadTxt(DnsReader r, int dataEnd, string what)
        {
            ArrayList strings = new ArrayList();
            while (r.Position < dataEnd)
            {
                int n = r.ReadByte(what + " TXT");
                if (r.Position + n > dataEnd)
                {
                    throw new ProtocolViolationException(what + ": TXT string of " + n + " bytes runs past its rdata");
                }

                strings.Add(r.ReadBytes(n, what + " TXT"));
            }

            byte[][] result = new byte[strings.Count][];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (byte[])strings[i]!;
            }

            return result;
        }

        private static int[] ReadNsecBitmap(DnsReader r, int dataEnd, string what)
        {
            ArrayList types = new ArrayList();
            int lastWindow = -1;
            while (r.Position < dataEnd)
            {
                int window = r.ReadByte(what + " NSEC bitmap");
                int n = r.ReadByte(what + " NSEC bitmap");
                if (window <= lastWindow || n < 1 || n > 32 || r.Position + n > dataEnd)
                {
                    throw new ProtocolViolationException(what + ": NSEC bitmap window " + window + " with " + n + " bytes is malformed");
                }

                lastWindow = window;
                for (int i = 0; i < n; i++)
                {
                    int bits = r.ReadByte(what + " NSEC bitmap");
                    for (int b = 0; b < 8; b++)
                    {
                        if ((bits & (0x80 >> b)) != 0)
                        {
                            types.Add((window << 8) | (i << 3) | b);
                        }
                    }
                }
            }

            int[] result = new int[types.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (int)types[i]!;
            }

            return result;
        }
    }
}
