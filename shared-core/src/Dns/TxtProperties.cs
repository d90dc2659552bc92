using System.Collections;
using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Dns
{
    /// <summary>
    /// DNS-SD TXT key/value pairs (RFC 6763 §6): keys are case-insensitive, the first occurrence wins,
    /// strings that are empty or start with '=' are ignored, "key" alone is a boolean attribute
    /// (present, no value) and "key=" has an empty value.
    /// </summary>
    public sealed class TxtProperties
    {
        private static readonly byte[] s_noValue = new byte[0];
        private readonly Hashtable _values = new Hashtable();
        private readonly ArrayList _keys = new ArrayList();

        /// <summary>Number of distinct keys.</summary>
        public int Count
        {
            get { return _keys.Count; }
        }

        /// <summary>The keys in first-seen order, as they were spelled.</summary>
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

        /// <summary>Parses TXT character-strings, ignoring entries RFC 6763 §6.4 says to ignore.</summary>
        public static TxtProperties Parse(byte[][] strings)
        {
            TxtProperties p = new TxtProperties();
            for (int i = 0; i < strings.Length; i++)
            {
                byte[] s = strings[i];
                if (s.Length == 0 || s[0] == (byte)'=')
                {
                    continue;
                }

                int eq = 0;
                while (eq < s.Length && s[eq] != (byte)'=')
                {
                    eq++;
                }

                bool printable = true;
                for (int j = 0; j < eq; j++)
                {
                    if (s[j] < 0x20 || s[j] > 0x7E)
                    {
                        printable = false;
                    }
                }

                if (!printable)
                {
                    continue;
                }

                string key = Encoding.UTF8.GetString(s, 0, eq);
                byte[] value = s_noValue;
                if (eq < s.Length)
                {
                    value = new byte[s.Length - eq - 1];
                    for (int j = 0; j < value.Length; j++)
                    {
                        value[j] = s[eq + 1 + j];
                    }
                }

                p.AddIfAbsent(key, value);
            }

            return p;
        }

        /// <summary>Adds <paramref name="key"/>=<paramref name="value"/> (null: boolean attribute) unless the key exists.</summary>
        public void Add(string key, string? value)
        {
            ValidateKey(key);
            AddIfAbsent(key, value == null ? s_noValue : Encoding.UTF8.GetBytes(value));
        }

        /// <summary>True when the key is present (with or without a value).</summary>
        public bool Contains(string key)
        {
            return _values.Contains(DnsName.FoldAscii(key));
        }

        /// <summary>True when the key is present with a value (possibly empty).</summary>
        public bool HasValue(string key)
        {
            object? v = _values[DnsName.FoldAscii(key)];
            return v != null && !ReferenceEquals(v, s_noValue);
        }

        /// <summary>The value as UTF-8 text; null when absent or a boolean attribute.</summary>
        public string? GetString(string key)
        {
            object? v = _values[DnsName.FoldAscii(key)];
            if (v == null || ReferenceEquals(v, s_noValue))
            {
                return null;
            }

            byte[] b = (byte[])v;
            return Encoding.UTF8.GetString(b, 0, b.Length);
        }

        /// <summary>Encodes as TXT character-strings; no keys gives one empty string (RFC 6763 §6.1).</summary>
        public byte[][] ToStrings()
        {
            if (_keys.Count == 0)
            {
                return new byte[][] { new byte[0] };
            }

            byte[][] result = new byte[_keys.Count][];
            for (int i = 0; i < result.Length; i++)
            {
                string key = (string)_keys[i]!;
                byte[] k = Encoding.UTF8.GetBytes(key);
                byte[] v = (byte[])_values[DnsName.FoldAscii(key)]!;
                bool boolean = ReferenceEquals(v, s_noValue);
                int n = k.Length + (boolean ? 0 : 1 + v.Length);
                if (n > DnsLimits.MaxTxtStringLength)
                {
                    throw new ProtocolViolationException("TXT entry '" + key + "' is " + n + " bytes; the limit is " + DnsLimits.MaxTxtStringLength);
                }

                byte[] s = new byte[n];
                for (int j = 0; j < k.Length; j++)
                {
                    s[j] = k[j];
                }

                if (!boolean)
                {
                    s[k.Length] = (byte)'=';
                    for (int j = 0; j < v.Length; j++)
                    {
                        s[k.Length + 1 + j] = v[j];
                    }
                }

                result[i] = s;
            }

            return result;
        }

        private void AddIfAbsent(string key, byte[] value)
        {
            string folded = DnsName.FoldAscii(key);
            if (_values.Contains(folded))
            {
                return;
            }

            _values[folded] = value;
            _keys.Add(key);
        }

        private static void ValidateKey(string key)
        {
            if (key.Length == 0)
            {
                throw new ProtocolViolationException("TXT key is empty");
            }

            for (int i = 0; i < key.Length; i++)
            {
                if (key[i] < 0x20 || key[i] > 0x7E || key[i] == '=')
                {
                    throw new ProtocolViolationException("TXT key '" + key + "' has character " + (int)key[i] + "; keys are printable ASCII without '='");
                }
            }
        }
    }
}
