using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Dns
{
    /// <summary>
    /// A domain name as a sequence of labels. Labels are kept apart because DNS-SD instance labels
    /// may contain dots and spaces (RFC 6763 §4.3). Comparison is ASCII case-insensitive (RFC 6762 §16).
    /// </summary>
    public sealed class DnsName
    {
        private readonly string[] _labels;

        /// <summary>Creates a name from labels (the root label is implied).</summary>
        public DnsName(string[] labels)
        {
            int wire = 1;
            for (int i = 0; i < labels.Length; i++)
            {
                int n = Encoding.UTF8.GetBytes(labels[i]).Length;
                if (n == 0 || n > DnsLimits.MaxLabelLength)
                {
                    throw new ProtocolViolationException("label " + i + " is " + n + " bytes; labels must be 1.." + DnsLimits.MaxLabelLength);
                }

                wire += n + 1;
            }

            if (wire > DnsLimits.MaxNameLength)
            {
                throw new ProtocolViolationException("name is " + wire + " bytes on the wire; the limit is " + DnsLimits.MaxNameLength);
            }

            _labels = labels;
        }

        /// <summary>Number of labels.</summary>
        public int LabelCount
        {
            get { return _labels.Length; }
        }

        /// <summary>Returns label <paramref name="index"/> (0 = leftmost).</summary>
        public string Label(int index)
        {
            return _labels[index];
        }

        /// <summary>Parses a dotted name without escapes ("_x._tcp.local"); a trailing dot is allowed.</summary>
        public static DnsName Parse(string dotted)
        {
            if (dotted.Length > 0 && dotted[dotted.Length - 1] == '.')
            {
                dotted = dotted.Substring(0, dotted.Length - 1);
            }

            if (dotted.Length == 0)
            {
                return new DnsName(new string[0]);
            }

            return new DnsName(dotted.Split('.'));
        }

        /// <summary>A new name with <paramref name="label"/> in front of this one.</summary>
        public DnsName Prepend(string label)
        {
            string[] labels = new string[_labels.Length + 1];
            labels[0] = label;
            for (int i = 0; i < _labels.Length; i++)
            {
                labels[i + 1] = _labels[i];
            }

            return new DnsName(labels);
        }

        /// <summary>The name without its first label (the parent domain).</summary>
        public DnsName Parent()
        {
            string[] labels = new string[_labels.Length == 0 ? 0 : _labels.Length - 1];
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = _labels[i + 1];
            }

            return new DnsName(labels);
        }

        /// <summary>ASCII case-insensitive equality (RFC 6762 §16).</summary>
        public bool NameEquals(DnsName? other)
        {
            if (other == null || other._labels.Length != _labels.Length)
            {
                return false;
            }

            for (int i = 0; i < _labels.Length; i++)
            {
                if (!LabelEquals(_labels[i], other._labels[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <inheritdoc />
        public override bool Equals(object? obj)
        {
            return NameEquals(obj as DnsName);
        }

        /// <inheritdoc />
        public override int GetHashCode()
        {
            return Key().GetHashCode();
        }

        /// <summary>A case-folded string that is equal for equal names (for hash tables).</summary>
        public string Key()
        {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < _labels.Length; i++)
            {
                sb.Append((char)_labels[i].Length);
                sb.Append(FoldAscii(_labels[i]));
            }

            return sb.ToString();
        }

        /// <summary>Dotted form; dots and backslashes inside labels are escaped with '\'.</summary>
        public override string ToString()
        {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < _labels.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append('.');
                }

                string l = _labels[i];
                for (int j = 0; j < l.Length; j++)
                {
                    if (l[j] == '.' || l[j] == '\\')
                    {
                        sb.Append('\\');
                    }

                    sb.Append(l[j]);
                }
            }

            return _labels.Length == 0 ? "." : sb.ToString();
        }

        /// <summary>ASCII case-insensitive label comparison.</summary>
        public static bool LabelEquals(string a, string b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (FoldChar(a[i]) != FoldChar(b[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Lower-cases A-Z only (DNS case-insensitivity is ASCII only).</summary>
        public static string FoldAscii(string s)
        {
            char[] c = s.ToCharArray();
            for (int i = 0; i < c.Length; i++)
            {
                c[i] = FoldChar(c[i]);
            }

            return new string(c);
        }

        private static char FoldChar(char c)
        {
            return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
        }
    }
}
