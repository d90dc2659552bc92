using System.Collections;
using System.Text;

namespace AetherEdge.Core.WifiDirect
{
    /// <summary>
    /// One wpa_supplicant event: the optional <c>IFNAME=</c> of the global socket, the <c>&lt;N&gt;</c> level,
    /// the event name, the bare tokens in order (addresses, interface, role, <c>[PERSISTENT]</c>) and the
    /// key=value tokens (first occurrence wins). Keys this code does not know are kept but never required.
    /// </summary>
    public sealed class P2pEvent
    {
        private readonly ArrayList _positional;
        private readonly Hashtable _values;
        private readonly ArrayList _keys;

        internal P2pEvent(string? interfaceName, int level, string name, P2pEventKind kind, ArrayList positional, Hashtable values, ArrayList keys)
        {
            Interface = interfaceName;
            Level = level;
            Name = name;
            Kind = kind;
            _positional = positional;
            _values = values;
            _keys = keys;
        }

        /// <summary>The interface named by <c>IFNAME=</c> (global socket), else null.</summary>
        public string? Interface { get; }

        /// <summary>The message level from <c>&lt;N&gt;</c>, or -1 when the line had none.</summary>
        public int Level { get; }

        /// <summary>The event name as sent, e.g. <c>P2P-DEVICE-FOUND</c>.</summary>
        public string Name { get; }

        /// <summary>What the manager makes of the name.</summary>
        public P2pEventKind Kind { get; }

        /// <summary>Number of bare (non key=value) tokens.</summary>
        public int PositionalCount
        {
            get { return _positional.Count; }
        }

        /// <summary>Keys in the order they came.</summary>
        public string[] Keys
        {
            get
            {
                string[] k = new string[_keys.Count];
                for (int i = 0; i < k.Length; i++)
                {
                    k[i] = (string)_keys[i]!;
                }

                return k;
            }
        }

        /// <summary>The bare token at <paramref name="index"/>, null when there are fewer.</summary>
        public string? Positional(int index)
        {
            return index >= 0 && index < _positional.Count ? (string)_positional[index]! : null;
        }

        /// <summary>The value of <paramref name="key"/> (quotes removed), null when absent.</summary>
        public string? Get(string key)
        {
            return (string?)_values[key];
        }

        /// <summary>True when a bare token equals <paramref name="flag"/>, e.g. <c>[PERSISTENT]</c>.</summary>
        public bool HasFlag(string flag)
        {
            for (int i = 0; i < _positional.Count; i++)
            {
                if ((string)_positional[i]! == flag)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The P2P device address of the peer the event is about (lower case): p2p_dev_addr= when present,
        /// else the first bare address, else peer_dev= or sa=; null when the event names none.
        /// </summary>
        public string? PeerAddress
        {
            get
            {
                string? a = P2pAddress.Normalize(Get("p2p_dev_addr"));
                if (a == null && Kind != P2pEventKind.GroupStarted && Kind != P2pEventKind.GroupRemoved)
                {
                    a = P2pAddress.Normalize(Positional(0));
                }

                if (a == null)
                {
                    a = P2pAddress.Normalize(Get("peer_dev"));
                }

                if (a == null)
                {
                    a = P2pAddress.Normalize(Get("sa"));
                }

                return a;
            }
        }

        /// <summary>
        /// The event as one line in the same syntax (values with spaces, quotes or backslashes double-quoted
        /// and escaped); parsing it gives an equal event.
        /// </summary>
        public string ToLine()
        {
            StringBuilder sb = new StringBuilder();
            if (Interface != null)
            {
                sb.Append("IFNAME=");
                sb.Append(Interface);
                sb.Append(' ');
            }

            if (Level >= 0)
            {
                sb.Append('<');
                sb.Append(Level.ToString());
                sb.Append('>');
            }

            sb.Append(Name);
            for (int i = 0; i < _positional.Count; i++)
            {
                sb.Append(' ');
                sb.Append((string)_positional[i]!);
            }

            for (int i = 0; i < _keys.Count; i++)
            {
                string key = (string)_keys[i]!;
                sb.Append(' ');
                sb.Append(key);
                sb.Append('=');
                AppendValue(sb, (string)_values[key]!);
            }

            return sb.ToString();
        }

        private static void AppendValue(StringBuilder sb, string value)
        {
            bool quote = value.Length == 0;
            for (int i = 0; i < value.Length && !quote; i++)
            {
                char c = value[i];
                quote = c == ' ' || c == '"' || c == '\'' || c == '\\';
            }

            if (!quote)
            {
                sb.Append(value);
                return;
            }

            sb.Append('"');
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '"' || c == '\\')
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }

            sb.Append('"');
        }
    }
}
