using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Dns
{
    /// <summary>
    /// One resource record. The class is stored with the cache-flush bit masked off
    /// (<see cref="CacheFlush"/> carries it). Which data fields are set depends on <see cref="Type"/>;
    /// unknown types keep their rdata in <see cref="RawData"/>.
    /// </summary>
    public sealed class DnsRecord
    {
        /// <summary>Creates a record; use the Create* helpers for the common types.</summary>
        public DnsRecord(DnsName name, int type, int recordClass, bool cacheFlush, long ttl)
        {
            Name = name;
            Type = type;
            Class = recordClass & DnsClass.Mask;
            CacheFlush = cacheFlush;
            Ttl = ttl;
        }

        /// <summary>Owner name.</summary>
        public DnsName Name { get; }

        /// <summary>Record type (<see cref="DnsType"/>).</summary>
        public int Type { get; }

        /// <summary>Class with the top bit masked off.</summary>
        public int Class { get; }

        /// <summary>The mDNS cache-flush bit (RFC 6762 §10.2).</summary>
        public bool CacheFlush { get; set; }

        /// <summary>Time to live in seconds (0 = goodbye).</summary>
        public long Ttl { get; set; }

        /// <summary>A/AAAA: 4 or 16 address bytes.</summary>
        public byte[]? Address { get; set; }

        /// <summary>PTR/SRV target, NSEC next domain name.</summary>
        public DnsName? Target { get; set; }

        /// <summary>SRV priority.</summary>
        public int Priority { get; set; }

        /// <summary>SRV weight.</summary>
        public int Weight { get; set; }

        /// <summary>SRV port.</summary>
        public int Port { get; set; }

        /// <summary>TXT character-strings.</summary>
        public byte[][]? TxtStrings { get; set; }

        /// <summary>NSEC: the types present, ascending.</summary>
        public int[]? NsecTypes { get; set; }

        /// <summary>Rdata of a type this codec does not interpret; for NSEC, a bitmap that did not parse.</summary>
        public byte[]? RawData { get; set; }

        /// <summary>An A or AAAA record (chosen by address length).</summary>
        public static DnsRecord CreateAddress(DnsName name, byte[] address, long ttl, bool cacheFlush)
        {
            if (address.Length != 4 && address.Length != 16)
            {
                throw new ProtocolViolationException("address is " + address.Length + " bytes; need 4 (A) or 16 (AAAA)");
            }

            DnsRecord r = new DnsRecord(name, address.Length == 4 ? DnsType.A : DnsType.Aaaa, DnsClass.In, cacheFlush, ttl);
            r.Address = address;
            return r;
        }

        /// <summary>A PTR record.</summary>
        public static DnsRecord CreatePtr(DnsName name, DnsName target, long ttl)
        {
            DnsRecord r = new DnsRecord(name, DnsType.Ptr, DnsClass.In, false, ttl);
            r.Target = target;
            return r;
        }

        /// <summary>An SRV record (priority and weight 0).</summary>
        public static DnsRecord CreateSrv(DnsName name, DnsName target, int port, long ttl, bool cacheFlush)
        {
            DnsRecord r = new DnsRecord(name, DnsType.Srv, DnsClass.In, cacheFlush, ttl);
            r.Target = target;
            r.Port = port;
            return r;
        }

        /// <summary>A TXT record; an empty list is written as one empty string (RFC 6763 §6.1).</summary>
        public static DnsRecord CreateTxt(DnsName name, byte[][] strings, long ttl, bool cacheFlush)
        {
            DnsRecord r = new DnsRecord(name, DnsType.Txt, DnsClass.In, cacheFlush, ttl);
            r.TxtStrings = strings;
            return r;
        }

        /// <summary>An NSEC record listing the types that exist for <paramref name="name"/>.</summary>
        public static DnsRecord CreateNsec(DnsName name, int[] types, long ttl, bool cacheFlush)
        {
            DnsRecord r = new DnsRecord(name, DnsType.Nsec, DnsClass.In, cacheFlush, ttl);
            r.Target = name;
            r.NsecTypes = types;
            return r;
        }

        /// <summary>A copy (data arrays are shared; they are treated as immutable).</summary>
        public DnsRecord Clone()
        {
            DnsRecord r = new DnsRecord(Name, Type, Class, CacheFlush, Ttl);
            r.Address = Address;
            r.Target = Target;
            r.Priority = Priority;
            r.Weight = Weight;
            r.Port = Port;
            r.TxtStrings = TxtStrings;
            r.NsecTypes = NsecTypes;
            r.RawData = RawData;
            return r;
        }

        /// <summary>The uncompressed rdata bytes, as used by the probe tie-break (RFC 6762 §8.2).</summary>
        public byte[] CanonicalRdata()
        {
            byte[] buffer = new byte[DnsLimits.MaxMessageLength];
            DnsWriter w = new DnsWriter(buffer, 0, buffer.Length, false);
            w.WriteRdata(this);
            byte[] result = new byte[w.Position];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = buffer[i];
            }

            return result;
        }

        /// <summary>Same name, type, class and data (names case-insensitive); TTL and flush ignored.</summary>
        public bool SameRecord(DnsRecord other)
        {
            if (Type != other.Type || Class != other.Class || !Name.NameEquals(other.Name))
            {
                return false;
            }

            if (Type == DnsType.Ptr)
            {
                return Target != null && Target.NameEquals(other.Target);
            }

            if (Type == DnsType.Srv)
            {
                return Port == other.Port && Priority == other.Priority && Weight == other.Weight
                    && Target != null && Target.NameEquals(other.Target);
            }

            return CompareBytes(CanonicalRdata(), other.CanonicalRdata()) == 0;
        }

        /// <summary>Unsigned lexicographic comparison; a longer array that shares the prefix is greater.</summary>
        public static int CompareBytes(byte[] a, byte[] b)
        {
            int n = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < n; i++)
            {
                if (a[i] != b[i])
                {
                    return a[i] < b[i] ? -1 : 1;
                }
            }

            return a.Length == b.Length ? 0 : (a.Length < b.Length ? -1 : 1);
        }

        /// <summary>A short description for logs.</summary>
        public override string ToString()
        {
            return Name + " type " + Type + " ttl " + Ttl;
        }
    }

    /// <summary>One question: name, type, class (masked) and the QU bit.</summary>
    public sealed class DnsQuestion
    {
        /// <summary>Creates a question of class IN.</summary>
        public DnsQuestion(DnsName name, int type, bool unicastResponse)
        {
            Name = name;
            Type = type;
            Class = DnsClass.In;
            UnicastResponse = unicastResponse;
        }

        /// <summary>Creates a question with an explicit class (top bit masked off).</summary>
        public DnsQuestion(DnsName name, int type, int questionClass, bool unicastResponse)
        {
            Name = name;
            Type = type;
            Class = questionClass & DnsClass.Mask;
            UnicastResponse = unicastResponse;
        }

        /// <summary>Queried name.</summary>
        public DnsName Name { get; }

        /// <summary>Queried type (<see cref="DnsType.Any"/> for all).</summary>
        public int Type { get; }

        /// <summary>Class with the QU bit masked off.</summary>
        public int Class { get; }

        /// <summary>The QU bit: the querier prefers a unicast reply (RFC 6762 §5.4).</summary>
        public bool UnicastResponse { get; set; }

        /// <summary>True when <paramref name="record"/> answers this question.</summary>
        public bool Matches(DnsRecord record)
        {
            return (Type == DnsType.Any || Type == record.Type)
                && (Class == DnsClass.Any || Class == record.Class)
                && Name.NameEquals(record.Name);
        }
    }
}
