namespace AetherEdge.HostNode.DBus
{
    /// <summary>Wire limits from the D-Bus specification, enforced on everything we read and write.</summary>
    public static class DBusLimits
    {
        public const int MaxMessageLength = 128 * 1024 * 1024;
        public const int MaxArrayLength = 64 * 1024 * 1024;
        public const int MaxSignatureLength = 255;
        public const int MaxArrayDepth = 32;
        public const int MaxStructDepth = 32;
        /// <summary>Total container depth; variants count too, so a hostile peer cannot recurse forever.</summary>
        public const int MaxTotalDepth = 64;
        public const int MaxUnixFdsPerMessage = 253;
        public const int MaxAuthLineLength = 16 * 1024;
        public const int FixedHeaderLength = 16;
    }
}
