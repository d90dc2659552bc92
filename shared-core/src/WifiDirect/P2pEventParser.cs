using System.Collections;
using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.WifiDirect
{
    /// <summary>
    /// Parses wpa_supplicant control-interface event lines: <c>[IFNAME=if ]&lt;N&gt;NAME tok tok key=value key='quoted value'</c>.
    /// Tokens split at spaces; values may be single- or double-quoted (a quote closes only when a space or the
    /// end follows, so device names with a stray quote survive; <c>\\</c>, <c>\"</c>, <c>\'</c> unescape).
    /// Unknown event names and keys are accepted and ignored by the manager. A line that breaks the syntax, or
    /// an event we act on without the fields we need, is refused with <see cref="ProtocolViolationException"/>
    /// (the caller counts it and goes on).
    /// </summary>
    public static class P2pEventParser
    {
        private const string IfnamePrefix = "IFNAME=";

        /// <summary>Parses one event line; throws <see cref="ProtocolViolationException"/> when it is malformed.</summary>
        public static P2pEvent Parse(string line)
        {
            if (line.Length == 0 || line.Length > WifiDirectLimits.MaxEventLength)
            {
                throw new ProtocolViolationException("event length " + line.Length + " is outside 1.." + WifiDirectLimits.MaxEventLength);
            }

            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] < 0x20 || line[i] > 0x7E)
                {
                    throw new ProtocolViolationException("event has a non-printable character at " + i);
                }
            }

            int pos = 0;
            string? ifname = null;
            if (line.Length >= IfnamePrefix.Length && line.Substring(0, IfnamePrefix.Length) == IfnamePrefix)
            {
                int space = line.IndexOf(' ');
                if (space < 0)
                {
                    throw new ProtocolViolationException("IFNAME= prefix without an event");
                }

                ifname = line.Substring(IfnamePrefix.Length, space - IfnamePrefix.Length);
                if (!IsInterfaceName(ifname))
                {
                    throw new ProtocolViolationException("IFNAME= names no valid interface");
                }

                pos = space + 1;
            }

            int level = -1;
            if (pos < line.Length && line[pos] == '<')
            {
                int close = line.IndexOf('>', pos);
                if (close < 0 || close == pos + 1 || close > pos + 3)
                {
                    throw new ProtocolViolationException("bad <N> level prefix");
                }

                level = 0;
                for (int i = pos + 1; i < close; i++)
                {
                    if (line[i] < '0' || line[i] > '9')
                    {
                        throw new ProtocolViolationException("bad <N> level prefix");
                    }

                    level = (level * 10) + (line[i] - '0');
                }

                pos = close + 1;
            }

            int nameEnd = line.IndexOf(' ', pos);
            if (nameEnd < 0)
            {
                nameEnd = line.Length;
            }

            string name = line.Substring(pos, nameEnd - pos);
            if (name.Length == 0 || name.IndexOf('=') >= 0)
            {
                throw new ProtocolViolationException("event has no name");
            }

            ArrayList positional = new ArrayList();
            Hashtable values = new Hashtable();
            ArrayList keys = new ArrayList();
            Tokenize(line, nameEnd, positional, values, keys);
            P2pEventKind kind = KindOf(name);
            P2pEvent e = new P2pEvent(ifname, level, name, kind, positional, values, keys);
            Validate(e);
            return e;
        }

        /// <summary>Parses, or returns null for a malformed line.</summary>
        public static P2pEvent? TryParse(string line)
        {
            try
            {
                return Parse(line);
            }
            catch (ProtocolViolationException)
            {
                return null;
            }
        }

        /// <summary>The kind for an event name; names we do not act on are <see cref="P2pEventKind.Other"/>.</summary>
        public static P2pEventKind KindOf(string name)
        {
            switch (name)
            {
                case "P2P-DEVICE-FOUND": return P2pEventKind.DeviceFound;
                case "P2P-DEVICE-LOST": return P2pEventKind.DeviceLost;
                case "P2P-GO-NEG-REQUEST": return P2pEventKind.GoNegRequest;
                case "P2P-GO-NEG-SUCCESS": return P2pEventKind.GoNegSuccess;
                case "P2P-GO-NEG-FAILURE": return P2pEventKind.GoNegFailure;
                case "P2P-GROUP-FORMATION-SUCCESS": return P2pEventKind.GroupFormationSuccess;
                case "P2P-GROUP-FORMATION-FAILURE": return P2pEventKind.GroupFormationFailure;
                case "P2P-GROUP-STARTED": return P2pEventKind.GroupStarted;
                case "P2P-GROUP-REMOVED": return P2pEventKind.GroupRemoved;
                case "P2P-SERV-DISC-RESP": return P2pEventKind.ServDiscResp;
                case "AP-STA-CONNECTED": return P2pEventKind.ApStaConnected;
                case "AP-STA-DISCONNECTED": return P2pEventKind.ApStaDisconnected;
                case "P2P-PROV-DISC-PBC-REQ": return P2pEventKind.ProvDiscPbcReq;
                case "P2P-INVITATION-RECEIVED": return P2pEventKind.InvitationReceived;
                case "P2P-INVITATION-RESULT": return P2pEventKind.InvitationResult;
                default: return P2pEventKind.Other;
            }
        }

        /// <summary>True for a Linux interface name: 1..15 characters, no '/', ':' or quote.</summary>
        public static bool IsInterfaceName(string? name)
        {
            if (name == null || name.Length == 0 || name.Length > WifiDirectLimits.MaxInterfaceName || name == "." || name == "..")
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c <= ' ' || c > '~' || c == '/' || c == ':' || c == '"' || c == '\'' || c == '=' || c == '\\')
                {
                    return false;
                }
            }

            return true;
        }

        private static void Tokenize(string line, int pos, ArrayList positional, Hashtable values, ArrayList keys)
        {
            int count = 0;
            while (pos < line.Length)
            {
                if (line[pos] == ' ')
                {
                    pos++;
                    continue;
                }

                if (++count > WifiDirectLimits.MaxTokens)
                {
                    throw new ProtocolViolationException("event has more than " + WifiDirectLimits.MaxTokens + " tokens");
                }

                int start = pos;
                while (pos < line.Length && line[pos] != ' ' && line[pos] != '=')
                {
                    pos++;
                }

                if (pos >= line.Length || line[pos] == ' ')
                {
                    positional.Add(line.Substring(start, pos - start));
                    continue;
                }

                if (pos == start)
                {
                    throw new ProtocolViolationException("token at " + start + " has an empty key");
                }

                string key = line.Substring(start, pos - start);
                pos++;
                string value;
                if (pos < line.Length && (line[pos] == '"' || line[pos] == '\''))
                {
                    pos = ReadQuoted(line, pos, out value);
                }
                else
                {
                    int vs = pos;
                    while (pos < line.Length && line[pos] != ' ')
                    {
                        pos++;
                    }

                    value = line.Substring(vs, pos - vs);
                }

                if (!values.Contains(key))
                {
                    values.Add(key, value);
                    keys.Add(key);
                }
            }
        }

        // From the opening quote at pos; returns the position after the closing quote.
        private static int ReadQuoted(string line, int pos, out string value)
        {
            char quote = line[pos];
            StringBuilder sb = new StringBuilder();
            int i = pos + 1;
            while (i < line.Length)
            {
                char c = line[i];
                if (c == '\\' && i + 1 < line.Length)
                {
                    char n = line[i + 1];
                    if (n != '\\' && n != '"' && n != '\'')
                    {
                        sb.Append('\\');
                    }

                    sb.Append(n);
                    i += 2;
                    continue;
                }

                if (c == quote && (i + 1 == line.Length || line[i + 1] == ' '))
                {
                    value = sb.ToString();
                    return i + 1;
                }

                sb.Append(c);
                i++;
            }

            throw new ProtocolViolationException("unterminated quoted value at " + pos);
        }

        private static void Validate(P2pEvent e)
        {
            switch (e.Kind)
            {
                case P2pEventKind.DeviceFound:
                case P2pEventKind.GoNegRequest:
                case P2pEventKind.ApStaConnected:
                case P2pEventKind.ApStaDisconnected:
                case P2pEventKind.ProvDiscPbcReq:
                    RequireAddress(e.Positional(0), e.Name + " address");
                    OptionalAddress(e.Get("p2p_dev_addr"), "p2p_dev_addr");
                    OptionalIpv4(e.Get("ip_addr"), "ip_addr");
                    break;
                case P2pEventKind.DeviceLost:
                    RequireAddress(e.Get("p2p_dev_addr"), "p2p_dev_addr");
                    break;
                case P2pEventKind.GoNegSuccess:
                    RequireRole(e.Get("role"));
                    RequireAddress(e.Get("peer_dev"), "peer_dev");
                    break;
                case P2pEventKind.GoNegFailure:
                case P2pEventKind.InvitationResult:
                    RequireNumber(e.Get("status"), "status");
                    break;
                case P2pEventKind.GroupStarted:
                    RequireInterface(e.Positional(0));
                    RequireRole(e.Positional(1));
                    OptionalAddress(e.Get("go_dev_addr"), "go_dev_addr");
                    OptionalIpv4(e.Get("ip_addr"), "ip_addr");
                    OptionalIpv4(e.Get("ip_mask"), "ip_mask");
                    OptionalIpv4(e.Get("go_ip_addr"), "go_ip_addr");
                    break;
                case P2pEventKind.GroupRemoved:
                    RequireInterface(e.Positional(0));
                    RequireRole(e.Positional(1));
                    break;
                case P2pEventKind.ServDiscResp:
                    RequireAddress(e.Positional(0), "P2P-SERV-DISC-RESP address");
                    RequireNumber(e.Positional(1), "update indicator");
                    string? hex = e.Positional(2);
                    if (hex == null || hex.Length % 2 != 0)
                    {
                        throw new ProtocolViolationException("P2P-SERV-DISC-RESP has no even-length TLV hex");
                    }

                    for (int i = 0; i < hex.Length; i++)
                    {
                        if (Hex.Value(hex[i]) < 0)
                        {
                            throw new ProtocolViolationException("P2P-SERV-DISC-RESP TLV is not hex");
                        }
                    }

                    break;
                case P2pEventKind.InvitationReceived:
                    RequireAddress(e.Get("sa"), "sa");
                    break;
            }
        }

        private static void RequireAddress(string? a, string what)
        {
            if (!P2pAddress.IsValid(a))
            {
                throw new ProtocolViolationException(what + " is not a MAC address");
            }
        }

        private static void OptionalAddress(string? a, string what)
        {
            if (a != null)
            {
                RequireAddress(a, what);
            }
        }

        private static void RequireRole(string? role)
        {
            if (role != "GO" && role != "client")
            {
                throw new ProtocolViolationException("role is neither GO nor client");
            }
        }

        private static void RequireInterface(string? name)
        {
            if (!IsInterfaceName(name))
            {
                throw new ProtocolViolationException("group interface name is not valid");
            }
        }

        private static void RequireNumber(string? text, string what)
        {
            if (ParseNumber(text) < 0)
            {
                throw new ProtocolViolationException(what + " is not a number");
            }
        }

        /// <summary>A decimal 0..99999999, or -1.</summary>
        public static int ParseNumber(string? text)
        {
            if (text == null || text.Length == 0 || text.Length > 8)
            {
                return -1;
            }

            int v = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    return -1;
                }

                v = (v * 10) + (text[i] - '0');
            }

            return v;
        }

        private static void OptionalIpv4(string? text, string what)
        {
            if (text != null && !IsIpv4(text))
            {
                throw new ProtocolViolationException(what + " is not an IPv4 address");
            }
        }

        /// <summary>True for dotted-quad IPv4 text (four decimal octets 0..255).</summary>
        public static bool IsIpv4(string text)
        {
            int parts = 0;
            int i = 0;
            while (parts < 4)
            {
                int start = i;
                int v = 0;
                while (i < text.Length && text[i] >= '0' && text[i] <= '9' && i - start < 3)
                {
                    v = (v * 10) + (text[i] - '0');
                    i++;
                }

                if (i == start || v > 255)
                {
                    return false;
                }

                parts++;
                if (parts < 4)
                {
                    if (i >= text.Length || text[i] != '.')
                    {
                        return false;
                    }

                    i++;
                }
            }

            return i == text.Length;
        }
    }
}
