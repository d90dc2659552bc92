using System.Collections;
using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.WifiDirect
{
    /// <summary>
    /// Wi-Fi P2P service-discovery TLVs for Bonjour (README.md in this folder has the layout):
    /// request <c>len(2, LE) proto(1) transaction(1) query</c>, response <c>len(2, LE) proto transaction status(1) data</c>,
    /// Bonjour data = owner name, type (2, BE), version (1), then the RDATA. Names use DNS labels and the
    /// Bonjour-over-P2P dictionary pointers: <c>c00c</c> "_tcp.local", <c>c01c</c> "_udp.local", <c>c011</c> "local",
    /// and, inside RDATA only, <c>c027</c> "the owner name of this entry's query".
    /// </summary>
    public static class ServiceDiscoveryTlv
    {
        /// <summary>Service protocol type Bonjour.</summary>
        public const int ProtocolBonjour = 1;

        /// <summary>Response status: success.</summary>
        public const int StatusSuccess = 0;

        private const string TcpLocal = "_tcp.local";
        private const string UdpLocal = "_udp.local";
        private const string Local = "local";

        /// <summary>The request TLV for every Bonjour service a peer offers (e.g. <c>02000101</c> for transaction 1).</summary>
        public static byte[] AllBonjourRequest(int transaction)
        {
            return new byte[] { 2, 0, ProtocolBonjour, (byte)transaction };
        }

        /// <summary>The query bytes for <c>P2P_SERVICE_ADD bonjour</c>: name, type, version 1.</summary>
        public static byte[] EncodeQuery(string name, int type)
        {
            byte[] n = EncodeName(name);
            byte[] q = new byte[n.Length + 3];
            for (int i = 0; i < n.Length; i++)
            {
                q[i] = n[i];
            }

            q[n.Length] = (byte)(type >> 8);
            q[n.Length + 1] = (byte)type;
            q[n.Length + 2] = BonjourRecord.Version1;
            return q;
        }

        /// <summary>PTR RDATA naming <paramref name="instanceLabel"/> under the query's own name (label + <c>c027</c>).</summary>
        public static byte[] EncodePtrRdata(string instanceLabel)
        {
            byte[] label = Label(instanceLabel);
            byte[] r = new byte[label.Length + 2];
            for (int i = 0; i < label.Length; i++)
            {
                r[i] = label[i];
            }

            r[label.Length] = 0xc0;
            r[label.Length + 1] = 0x27;
            return r;
        }

        /// <summary>A response TLV list (as in P2P-SERV-DISC-RESP) carrying <paramref name="records"/> with status success.</summary>
        public static byte[] EncodeResponse(BonjourRecord[] records, int transaction)
        {
            ArrayList parts = new ArrayList();
            int total = 0;
            for (int r = 0; r < records.Length; r++)
            {
                byte[] q = EncodeQuery(records[r].Name, records[r].Type);
                int dataLength = q.Length + records[r].Rdata.Length;
                int tlvLength = 3 + dataLength;
                if (tlvLength > 0xffff)
                {
                    throw new ProtocolViolationException("service TLV over 65535 bytes");
                }

                byte[] tlv = new byte[2 + tlvLength];
                tlv[0] = (byte)tlvLength;
                tlv[1] = (byte)(tlvLength >> 8);
                tlv[2] = ProtocolBonjour;
                tlv[3] = (byte)transaction;
                tlv[4] = StatusSuccess;
                Copy(q, tlv, 5);
                Copy(records[r].Rdata, tlv, 5 + q.Length);
                parts.Add(tlv);
                total += tlv.Length;
            }

            byte[] all = new byte[total];
            int at = 0;
            for (int i = 0; i < parts.Count; i++)
            {
                byte[] p = (byte[])parts[i]!;
                Copy(p, all, at);
                at += p.Length;
            }

            return all;
        }

        /// <summary>
        /// The Bonjour entries of a response TLV list; TLVs of other protocols or with a failure status are
        /// skipped. Throws <see cref="ProtocolViolationException"/> for truncation, bad names or too many TLVs.
        /// </summary>
        public static BonjourRecord[] DecodeResponse(byte[] tlvs)
        {
            ArrayList found = new ArrayList();
            int pos = 0;
            int count = 0;
            while (pos < tlvs.Length)
            {
                if (++count > WifiDirectLimits.MaxServiceTlvs)
                {
                    throw new ProtocolViolationException("more than " + WifiDirectLimits.MaxServiceTlvs + " service TLVs");
                }

                if (tlvs.Length - pos < 5)
                {
                    throw new ProtocolViolationException("service TLV truncated at " + pos);
                }

                int length = tlvs[pos] | (tlvs[pos + 1] << 8);
                if (length < 3 || length > tlvs.Length - pos - 2)
                {
                    throw new ProtocolViolationException("service TLV length " + length + " does not fit at " + pos);
                }

                int proto = tlvs[pos + 2];
                int status = tlvs[pos + 4];
                int dataStart = pos + 5;
                int dataEnd = pos + 2 + length;
                if (proto == ProtocolBonjour && status == StatusSuccess && dataEnd > dataStart)
                {
                    found.Add(DecodeBonjour(tlvs, dataStart, dataEnd));
                }

                pos = dataEnd;
            }

            BonjourRecord[] result = new BonjourRecord[found.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (BonjourRecord)found[i]!;
            }

            return result;
        }

        /// <summary>Decodes a name inside RDATA (as in a PTR): <c>c027</c> stands for <paramref name="queryName"/>.</summary>
        public static string DecodeRdataName(byte[] rdata, string queryName)
        {
            int pos = 0;
            return ReadName(rdata, ref pos, rdata.Length, queryName);
        }

        /// <summary>Encodes a dotted name with the dictionary pointers for the well-known suffixes.</summary>
        public static byte[] EncodeName(string name)
        {
            string[] labels = name.Split('.');
            ArrayList bytes = new ArrayList();
            for (int i = 0; i < labels.Length; i++)
            {
                string rest = Join(labels, i);
                int pointer = rest == TcpLocal ? 0x0c : rest == UdpLocal ? 0x1c : rest == Local ? 0x11 : -1;
                if (pointer >= 0)
                {
                    bytes.Add((byte)0xc0);
                    bytes.Add((byte)pointer);
                    return ToArray(bytes);
                }

                byte[] l = Label(labels[i]);
                for (int j = 0; j < l.Length; j++)
                {
                    bytes.Add(l[j]);
                }
            }

            bytes.Add((byte)0);
            return ToArray(bytes);
        }

        private static BonjourRecord DecodeBonjour(byte[] b, int start, int end)
        {
            int pos = start;
            string name = ReadName(b, ref pos, end, null);
            if (end - pos < 3)
            {
                throw new ProtocolViolationException("Bonjour entry has no type and version");
            }

            int type = (b[pos] << 8) | b[pos + 1];
            pos += 3;
            byte[] rdata = new byte[end - pos];
            for (int i = 0; i < rdata.Length; i++)
            {
                rdata[i] = b[pos + i];
            }

            return new BonjourRecord(name, type, rdata);
        }

        private static string ReadName(byte[] b, ref int pos, int end, string? queryName)
        {
            StringBuilder sb = new StringBuilder();
            int total = 0;
            while (true)
            {
                if (pos >= end)
                {
                    throw new ProtocolViolationException("name runs past its entry");
                }

                int len = b[pos];
                if (len == 0)
                {
                    pos++;
                    break;
                }

                if ((len & 0xc0) == 0xc0)
                {
                    if (pos + 1 >= end)
                    {
                        throw new ProtocolViolationException("name pointer truncated");
                    }

                    int target = ((len & 0x3f) << 8) | b[pos + 1];
                    pos += 2;
                    string? suffix = target == 0x0c ? TcpLocal : target == 0x1c ? UdpLocal : target == 0x11 ? Local : target == 0x27 ? queryName : null;
                    if (suffix == null)
                    {
                        throw new ProtocolViolationException("name pointer " + target + " is not a Bonjour-over-P2P dictionary name");
                    }

                    if (sb.Length > 0)
                    {
                        sb.Append('.');
                    }

                    sb.Append(suffix);
                    break;
                }

                if (len > 63 || pos + 1 + len > end)
                {
                    throw new ProtocolViolationException("label length " + len + " is bad");
                }

                total += len + 1;
                if (total > 255)
                {
                    throw new ProtocolViolationException("name over 255 bytes");
                }

                string label = Encoding.UTF8.GetString(b, pos + 1, len);
                if (label.IndexOf('.') >= 0 || label.Length == 0)
                {
                    throw new ProtocolViolationException("label contains a dot");
                }

                if (sb.Length > 0)
                {
                    sb.Append('.');
                }

                sb.Append(label);
                pos += 1 + len;
            }

            if (sb.Length == 0)
            {
                throw new ProtocolViolationException("empty name");
            }

            return sb.ToString();
        }

        private static byte[] Label(string label)
        {
            byte[] text = Encoding.UTF8.GetBytes(label);
            if (text.Length == 0 || text.Length > 63 || label.IndexOf('.') >= 0)
            {
                throw new ProtocolViolationException("label '" + label + "' must be 1..63 bytes without dots");
            }

            byte[] l = new byte[text.Length + 1];
            l[0] = (byte)text.Length;
            Copy(text, l, 1);
            return l;
        }

        private static string Join(string[] labels, int from)
        {
            StringBuilder sb = new StringBuilder();
            for (int i = from; i < labels.Length; i++)
            {
                if (i > from)
                {
                    sb.Append('.');
                }

                sb.Append(labels[i]);
            }

            return sb.ToString();
        }

        private static byte[] ToArray(ArrayList list)
        {
            byte[] a = new byte[list.Count];
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = (byte)list[i]!;
            }

            return a;
        }

        private static void Copy(byte[] from, byte[] to, int at)
        {
            for (int i = 0; i < from.Length; i++)
            {
                to[at + i] = from[i];
            }
        }
    }
}
