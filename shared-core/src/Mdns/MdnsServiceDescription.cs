using System.Collections;
using AetherEdge.Core.Dns;

namespace AetherEdge.Core.Mdns
{
    /// <summary>What a responder advertises: one DNS-SD service instance and its host's addresses.</summary>
    public sealed class MdnsServiceDescription
    {
        /// <summary>The DNS-SD service enumeration name (RFC 6763 §9).</summary>
        public static readonly DnsName ServicesEnumeration = DnsName.Parse("_services._dns-sd._udp.local");

        /// <summary>Describes a service; <paramref name="addresses"/> are this interface's 4- or 16-byte addresses.</summary>
        public MdnsServiceDescription(string instanceLabel, DnsName serviceType, string hostLabel, int port, TxtProperties txt, byte[][] addresses)
        {
            InstanceLabel = instanceLabel;
            ServiceType = serviceType;
            HostLabel = hostLabel;
            Port = port;
            Txt = txt;
            Addresses = addresses;
        }

        /// <summary>The instance label, e.g. "Kitchen Hub" (may contain dots and spaces).</summary>
        public string InstanceLabel { get; }

        /// <summary>The service type, e.g. _aetherlight._tcp.local.</summary>
        public DnsName ServiceType { get; }

        /// <summary>The host label under .local, e.g. aether-3fa2.</summary>
        public string HostLabel { get; }

        /// <summary>The service's TCP/UDP port.</summary>
        public int Port { get; }

        /// <summary>TXT metadata.</summary>
        public TxtProperties Txt { get; }

        /// <summary>Addresses of this interface.</summary>
        public byte[][] Addresses { get; }

        /// <summary>The full instance name.</summary>
        public DnsName InstanceName(string instanceLabel)
        {
            return ServiceType.Prepend(instanceLabel);
        }

        /// <summary>The full host name.</summary>
        public static DnsName HostName(string hostLabel)
        {
            return DnsName.Parse("local").Prepend(hostLabel);
        }

        /// <summary>
        /// All records for the given (possibly renamed) labels: shared PTRs first, then the unique
        /// SRV, TXT and address records with the cache-flush bit (§10.2).
        /// </summary>
        public ArrayList BuildRecords(string instanceLabel, string hostLabel)
        {
            DnsName instance = InstanceName(instanceLabel);
            DnsName host = HostName(hostLabel);
            ArrayList list = new ArrayList();
            list.Add(DnsRecord.CreatePtr(ServiceType, instance, MdnsLimits.OtherRecordTtl));
            list.Add(DnsRecord.CreatePtr(ServicesEnumeration, ServiceType, MdnsLimits.OtherRecordTtl));
            list.Add(DnsRecord.CreateSrv(instance, host, Port, MdnsLimits.HostRecordTtl, true));
            list.Add(DnsRecord.CreateTxt(instance, Txt.ToStrings(), MdnsLimits.OtherRecordTtl, true));
            for (int i = 0; i < Addresses.Length; i++)
            {
                list.Add(DnsRecord.CreateAddress(host, Addresses[i], MdnsLimits.HostRecordTtl, true));
            }

            return list;
        }
    }

    /// <summary>Pure rules of probing: tie-break order (§8.2) and renaming after a conflict (§9).</summary>
    public static class MdnsProbeRules
    {
        /// <summary>
        /// Compares two probe record sets for one name: sort each by class, type, then raw rdata,
        /// compare pairwise; if one list is a prefix of the other the longer wins. Positive: ours wins;
        /// negative: theirs wins; 0: identical (no conflict, e.g. our own probe looped back).
        /// </summary>
        public static int CompareSets(ArrayList ours, ArrayList theirs)
        {
            DnsRecord[] a = Sorted(ours);
            DnsRecord[] b = Sorted(theirs);
            int n = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < n; i++)
            {
                int c = CompareRecords(a[i], b[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.Length == b.Length ? 0 : (a.Length > b.Length ? 1 : -1);
        }

        /// <summary>Class, then type, then uncompressed rdata as unsigned bytes (cache-flush masked).</summary>
        public static int CompareRecords(DnsRecord a, DnsRecord b)
        {
            if (a.Class != b.Class)
            {
                return a.Class < b.Class ? -1 : 1;
            }

            if (a.Type != b.Type)
            {
                return a.Type < b.Type ? -1 : 1;
            }

            return DnsRecord.CompareBytes(a.CanonicalRdata(), b.CanonicalRdata());
        }

        /// <summary>"Name" → "Name (2)" → "Name (3)" (RFC 6762 §9), kept within 63 bytes.</summary>
        public static string NextInstanceLabel(string label)
        {
            int n = 2;
            string stem = label;
            if (label.Length > 4 && label[label.Length - 1] == ')')
            {
                int open = label.LastIndexOf(" (");
                if (open > 0)
                {
                    int parsed = ParseNumber(label.Substring(open + 2, label.Length - open - 3));
                    if (parsed >= 2)
                    {
                        n = parsed + 1;
                        stem = label.Substring(0, open);
                    }
                }
            }

            return Fit(stem, " (" + n + ")");
        }

        /// <summary>"host" → "host-2" → "host-3" (host labels stay DNS-friendly).</summary>
        public static string NextHostLabel(string label)
        {
            int n = 2;
            string stem = label;
            int dash = label.LastIndexOf('-');
            if (dash > 0)
            {
                int parsed = ParseNumber(label.Substring(dash + 1));
                if (parsed >= 2)
                {
                    n = parsed + 1;
                    stem = label.Substring(0, dash);
                }
            }

            return Fit(stem, "-" + n);
        }

        private static string Fit(string stem, string suffix)
        {
            while (stem.Length > 0 && System.Text.Encoding.UTF8.GetBytes(stem + suffix).Length > DnsLimits.MaxLabelLength)
            {
                stem = stem.Substring(0, stem.Length - 1);
            }

            return stem + suffix;
        }

        private static int ParseNumber(string s)
        {
            if (s.Length == 0 || s.Length > 6)
            {
                return -1;
            }

            int v = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    return -1;
                }

                v = (v * 10) + (s[i] - '0');
            }

            return v;
        }

        private static DnsRecord[] Sorted(ArrayList records)
        {
            DnsRecord[] a = new DnsRecord[records.Count];
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = (DnsRecord)records[i]!;
            }

            for (int i = 1; i < a.Length; i++)
            {
                DnsRecord x = a[i];
                int j = i - 1;
                while (j >= 0 && CompareRecords(a[j], x) > 0)
                {
                    a[j + 1] = a[j];
                    j--;
                }

                a[j + 1] = x;
            }

            return a;
        }
    }
}
