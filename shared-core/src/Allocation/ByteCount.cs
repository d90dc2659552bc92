namespace AetherEdge.Core.Allocation
{
    /// <summary>
    /// Byte counts for people: decimal units as storage vendors and the seed write them ("315 MB",
    /// "1.2 GB"), integer arithmetic only (runs on the beacon too). <see cref="WithBytes"/> adds the
    /// exact count where it matters (quotas, limits).
    /// </summary>
    public static class ByteCount
    {
        private static readonly string[] s_units = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };

        /// <summary>"999 B", "1.2 KB", "315 MB", "20 GB": one decimal below 100 of a unit, none above.</summary>
        public static string Format(long bytes)
        {
            if (bytes < 0)
            {
                return bytes == long.MinValue ? "-9.2 EB" : "-" + Format(-bytes);
            }

            if (bytes < 1000)
            {
                return bytes.ToString() + " B";
            }

            int i = 0;
            long unit = 1;
            while (i < s_units.Length - 1 && bytes / unit >= 1000)
            {
                unit *= 1000;
                i++;
            }

            long whole = bytes / unit;
            long rest = bytes % unit;
            if (whole >= 100)
            {
                // Compare rest with unit / 2 without overflowing rest * 2.
                return (whole + (rest >= unit - rest ? 1 : 0)).ToString() + " " + s_units[i];
            }

            long tenths = (rest / (unit / 10)) + (rest % (unit / 10) >= (unit / 20) ? 1 : 0);
            if (tenths >= 10)
            {
                whole++;
                tenths = 0;
            }

            return whole.ToString() + (tenths > 0 ? "." + tenths.ToString() : string.Empty) + " " + s_units[i];
        }

        /// <summary>"1.2 MB (1234567 bytes)"; plain "999 bytes" below a kilobyte.</summary>
        public static string WithBytes(long bytes) =>
            bytes >= 0 && bytes < 1000 ? bytes.ToString() + " bytes" : Format(bytes) + " (" + bytes.ToString() + " bytes)";
    }
}
