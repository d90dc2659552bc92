using System.Security.Cryptography;
using System.Text;

namespace AetherEdge.HostNode.Identity
{
    /// <summary>
    /// A node's device ID: SHA-256 of its certificate's SubjectPublicKeyInfo, first 20 bytes,
    /// base32 (RFC 4648 alphabet, no padding) = 32 characters, written as 8 groups of 4 characters
    /// each followed by one Luhn mod 32 check character: <c>ABCD2-EFGH7-...</c> (8×5 chars, 7 dashes).
    /// Luhn mod N catches every single-character substitution and most adjacent swaps within a
    /// group, so a mistyped ID is rejected instead of trusting a stranger.
    /// </summary>
    public readonly struct DeviceId : IEquatable<DeviceId>
    {
        public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        public const int HashBytes = 20;
        public const int DataChars = 32;
        public const int GroupChars = 4;
        public const int Groups = DataChars / GroupChars;
        public const int TextLength = Groups * (GroupChars + 1) + Groups - 1;

        private readonly string? _text;

        private DeviceId(string text)
        {
            _text = text;
        }

        /// <summary>The canonical text form (upper case, dashes).</summary>
        public string Text => _text ?? string.Empty;

        /// <summary>The first group, for space-starved displays (not for trust decisions).</summary>
        public string Short => Text.Length >= GroupChars ? Text.Substring(0, GroupChars) : Text;

        public static DeviceId FromPublicKeyInfo(byte[] subjectPublicKeyInfo)
        {
            byte[] hash = SHA256.HashData(subjectPublicKeyInfo);
            string data = Base32(hash, HashBytes);
            var sb = new StringBuilder(TextLength);
            for (int g = 0; g < Groups; g++)
            {
                if (g > 0)
                {
                    sb.Append('-');
                }

                string group = data.Substring(g * GroupChars, GroupChars);
                sb.Append(group).Append(LuhnCheck(group));
            }

            return new DeviceId(sb.ToString());
        }

        /// <summary>
        /// Parses user input: case-insensitive, dashes and spaces optional. Returns false with a
        /// reason naming the problem (length, character, or which group's check failed).
        /// </summary>
        public static bool TryParse(string? input, out DeviceId id, out string error)
        {
            id = default;
            if (string.IsNullOrWhiteSpace(input))
            {
                error = "device ID is empty";
                return false;
            }

            var raw = new StringBuilder(Groups * (GroupChars + 1));
            foreach (char c0 in input)
            {
                if (c0 == '-' || c0 == ' ')
                {
                    continue;
                }

                char c = char.ToUpperInvariant(c0);
                if (Alphabet.IndexOf(c) < 0)
                {
                    error = "device ID contains '" + c0 + "', which is not in A-Z, 2-7";
                    return false;
                }

                raw.Append(c);
            }

            if (raw.Length != Groups * (GroupChars + 1))
            {
                error = "device ID must have " + (Groups * (GroupChars + 1)) + " characters (dashes aside), got " + raw.Length;
                return false;
            }

            var sb = new StringBuilder(TextLength);
            for (int g = 0; g < Groups; g++)
            {
                string group = raw.ToString(g * (GroupChars + 1), GroupChars);
                char check = raw[g * (GroupChars + 1) + GroupChars];
                if (LuhnCheck(group) != check)
                {
                    error = "device ID has a typo in group " + (g + 1) + " ('" + group + check + "' fails its check character)";
                    return false;
                }

                if (g > 0)
                {
                    sb.Append('-');
                }

                sb.Append(group).Append(check);
            }

            id = new DeviceId(sb.ToString());
            error = string.Empty;
            return true;
        }

        public static DeviceId Parse(string input) =>
            TryParse(input, out var id, out string error) ? id : throw new FormatException(error);

        /// <summary>Luhn mod 32 check character over base32 characters.</summary>
        internal static char LuhnCheck(string group)
        {
            const int n = 32;
            int factor = 2;
            int sum = 0;
            for (int i = group.Length - 1; i >= 0; i--)
            {
                int addend = factor * Alphabet.IndexOf(group[i]);
                factor = factor == 2 ? 1 : 2;
                sum += (addend / n) + (addend % n);
            }

            return Alphabet[(n - (sum % n)) % n];
        }

        private static string Base32(byte[] data, int count)
        {
            var sb = new StringBuilder((count * 8 + 4) / 5);
            int buffer = 0;
            int bits = 0;
            for (int i = 0; i < count; i++)
            {
                buffer = (buffer << 8) | data[i];
                bits += 8;
                while (bits >= 5)
                {
                    sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                    bits -= 5;
                }
            }

            if (bits > 0)
            {
                sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
            }

            return sb.ToString();
        }

        public bool Equals(DeviceId other) => string.Equals(Text, other.Text, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is DeviceId d && Equals(d);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

        public override string ToString() => Text;

        public static bool operator ==(DeviceId a, DeviceId b) => a.Equals(b);

        public static bool operator !=(DeviceId a, DeviceId b) => !a.Equals(b);
    }
}
