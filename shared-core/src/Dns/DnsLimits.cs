namespace AetherEdge.Core.Dns
{
    /// <summary>Every size and hop limit of the DNS/mDNS codec, in one place.</summary>
    public static class DnsLimits
    {
        /// <summary>Bytes of the fixed DNS header.</summary>
        public const int HeaderLength = 12;

        /// <summary>Longest label in bytes (RFC 1035 §2.3.4).</summary>
        public const int MaxLabelLength = 63;

        /// <summary>Longest name on the wire, length bytes and root included (RFC 1035 §2.3.4).</summary>
        public const int MaxNameLength = 255;

        /// <summary>Largest mDNS message we accept or build (RFC 6762 §17).</summary>
        public const int MaxMessageLength = 9000;

        /// <summary>Payload that fits one Ethernet frame over IPv4 (1500 - 20 - 8).</summary>
        public const int Ipv4MulticastPayload = 1472;

        /// <summary>Payload that fits one Ethernet frame over IPv6 (1500 - 40 - 8).</summary>
        public const int Ipv6MulticastPayload = 1452;

        /// <summary>Longest TXT character-string (one length byte).</summary>
        public const int MaxTxtStringLength = 255;

        /// <summary>Most questions plus records one message may declare.</summary>
        public const int MaxRecords = 512;

        /// <summary>Most compression pointers followed while reading one name.</summary>
        public const int MaxPointerHops = 32;

        /// <summary>Highest offset a compression pointer can hold (14 bits).</summary>
        public const int MaxPointerOffset = 0x3FFF;

        /// <summary>Highest resource record type an NSEC bitmap may name.</summary>
        public const int MaxNsecType = 65535;
    }

    /// <summary>Resource record types used by mDNS/DNS-SD.</summary>
    public static class DnsType
    {
        /// <summary>IPv4 address.</summary>
        public const int A = 1;

        /// <summary>Domain name pointer (DNS-SD browse).</summary>
        public const int Ptr = 12;

        /// <summary>Text strings (DNS-SD metadata).</summary>
        public const int Txt = 16;

        /// <summary>IPv6 address.</summary>
        public const int Aaaa = 28;

        /// <summary>Service location (host and port).</summary>
        public const int Srv = 33;

        /// <summary>Next secure record; mDNS uses it for negative answers.</summary>
        public const int Nsec = 47;

        /// <summary>Query type "all records" (also used by probes).</summary>
        public const int Any = 255;
    }

    /// <summary>DNS classes and the mDNS top-bit flags carried in the class field.</summary>
    public static class DnsClass
    {
        /// <summary>The Internet class.</summary>
        public const int In = 1;

        /// <summary>Class "any" in questions.</summary>
        public const int Any = 255;

        /// <summary>Top bit: QU in questions (RFC 6762 §5.4), cache-flush in records (§10.2).</summary>
        public const int TopBit = 0x8000;

        /// <summary>Mask that strips the top bit.</summary>
        public const int Mask = 0x7FFF;
    }
}
