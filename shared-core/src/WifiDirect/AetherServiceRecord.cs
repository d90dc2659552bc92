using AetherEdge.Core.Dns;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.WifiDirect
{
    /// <summary>
    /// What a kit device tells P2P service discovery before any group exists: the same <c>_aetherlight._tcp</c>
    /// PTR and TXT data it advertises by mDNS (node_id, device_type, storage_bytes, version). Nothing here is
    /// authenticated: it only decides whom we try to reach; TLS over the group decides whom we trust.
    /// </summary>
    public sealed class AetherServiceRecord
    {
        /// <summary>The DNS-SD service type without the trailing dot.</summary>
        public const string ServiceType = "_aetherlight._tcp.local";

        /// <summary>Creates a record.</summary>
        public AetherServiceRecord(string instanceLabel, string nodeId, string deviceType, long storageBytes, string version)
        {
            InstanceLabel = instanceLabel;
            NodeId = nodeId;
            DeviceType = deviceType;
            StorageBytes = storageBytes;
            Version = version;
        }

        /// <summary>The DNS-SD instance label.</summary>
        public string InstanceLabel { get; }

        /// <summary>The device ID (TXT node_id).</summary>
        public string NodeId { get; }

        /// <summary>TXT device_type.</summary>
        public string DeviceType { get; }

        /// <summary>TXT storage_bytes (0 when absent or not a number).</summary>
        public long StorageBytes { get; }

        /// <summary>TXT version.</summary>
        public string Version { get; }

        /// <summary>The PTR entry (<c>_aetherlight._tcp.local</c> → instance).</summary>
        public BonjourRecord Ptr()
        {
            return new BonjourRecord(ServiceType, BonjourRecord.TypePtr, ServiceDiscoveryTlv.EncodePtrRdata(InstanceLabel));
        }

        /// <summary>The TXT entry (instance → node_id, device_type, storage_bytes, version).</summary>
        public BonjourRecord Txt()
        {
            TxtProperties txt = new TxtProperties();
            txt.Add("node_id", NodeId);
            txt.Add("device_type", DeviceType);
            txt.Add("storage_bytes", StorageBytes.ToString());
            txt.Add("version", Version);
            byte[][] strings = txt.ToStrings();
            int n = 0;
            for (int i = 0; i < strings.Length; i++)
            {
                n += 1 + strings[i].Length;
            }

            byte[] rdata = new byte[n];
            int at = 0;
            for (int i = 0; i < strings.Length; i++)
            {
                rdata[at++] = (byte)strings[i].Length;
                for (int j = 0; j < strings[i].Length; j++)
                {
                    rdata[at++] = strings[i][j];
                }
            }

            return new BonjourRecord(InstanceLabel + "." + ServiceType, BonjourRecord.TypeTxt, rdata);
        }

        /// <summary>
        /// Our service in a P2P-SERV-DISC-RESP; null when the entries carry no <c>_aetherlight._tcp</c> TXT with a
        /// node_id. Other services in the same response are ignored; a malformed TXT RDATA throws
        /// <see cref="ProtocolViolationException"/>.
        /// </summary>
        public static AetherServiceRecord? Find(BonjourRecord[] records)
        {
            string suffix = "." + ServiceType;
            for (int i = 0; i < records.Length; i++)
            {
                BonjourRecord r = records[i];
                if (r.Type != BonjourRecord.TypeTxt || r.Name.Length <= suffix.Length
                    || DnsName.FoldAscii(r.Name.Substring(r.Name.Length - suffix.Length)) != suffix)
                {
                    continue;
                }

                TxtProperties txt = TxtProperties.Parse(SplitTxt(r.Rdata));
                string? node = txt.GetString("node_id");
                if (node == null || node.Length == 0)
                {
                    continue;
                }

                string instance = r.Name.Substring(0, r.Name.Length - suffix.Length);
                return new AetherServiceRecord(instance, node, Text(txt.GetString("device_type")), Number(txt.GetString("storage_bytes")), Text(txt.GetString("version")));
            }

            return null;
        }

        /// <summary>Splits TXT RDATA into its character-strings.</summary>
        public static byte[][] SplitTxt(byte[] rdata)
        {
            int count = 0;
            int pos = 0;
            while (pos < rdata.Length)
            {
                int len = rdata[pos];
                if (pos + 1 + len > rdata.Length)
                {
                    throw new ProtocolViolationException("TXT string runs past the RDATA");
                }

                pos += 1 + len;
                count++;
            }

            byte[][] strings = new byte[count][];
            pos = 0;
            for (int i = 0; i < count; i++)
            {
                int len = rdata[pos];
                strings[i] = new byte[len];
                for (int j = 0; j < len; j++)
                {
                    strings[i][j] = rdata[pos + 1 + j];
                }

                pos += 1 + len;
            }

            return strings;
        }

        private static string Text(string? s)
        {
            return s == null ? string.Empty : s;
        }

        private static long Number(string? s)
        {
            if (s == null || s.Length == 0 || s.Length > 18)
            {
                return 0;
            }

            long v = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    return 0;
                }

                v = (v * 10) + (s[i] - '0');
            }

            return v;
        }
    }
}
