using System.Globalization;

namespace AetherEdge.HostNode.Cli
{
    /// <summary>Parses and prints byte sizes: 100MB and 1GB are decimal, 100GiB binary (IEC).</summary>
    public static class SizeText
    {
        private static readonly (string Suffix, long Factor)[] s_units =
        {
            ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
            ("KB", 1_000L), ("MB", 1_000_000L), ("GB", 1_000_000_000L), ("TB", 1_000_000_000_000L),
            ("K", 1_000L), ("M", 1_000_000L), ("G", 1_000_000_000L), ("T", 1_000_000_000_000L),
            ("B", 1L),
        };

        public static bool TryParse(string text, out long bytes)
        {
            bytes = 0;
            string s = text.Trim();
            long factor = 1;
            foreach (var (suffix, f) in s_units)
            {
                if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    s = s.Substring(0, s.Length - suffix.Length).Trim();
                    factor = f;
                    break;
                }
            }

            if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
            {
                return false;
            }

            decimal total = number * factor;
            if (total < 0 || total > long.MaxValue || total != decimal.Truncate(total))
            {
                return false;
            }

            bytes = (long)total;
            return true;
        }

        /// <summary>Decimal units, as storage vendors and the seed's examples write them (shared-core's <see cref="Core.Allocation.ByteCount"/>).</summary>
        public static string Format(long bytes) => Core.Allocation.ByteCount.Format(bytes);
    }
}
