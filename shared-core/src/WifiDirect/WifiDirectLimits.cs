namespace AetherEdge.Core.WifiDirect
{
    /// <summary>Bounds for everything that arrives from wpa_supplicant or over the air.</summary>
    public static class WifiDirectLimits
    {
        /// <summary>Longest event line accepted (wpa_supplicant's own ctrl buffer is 4096 bytes).</summary>
        public const int MaxEventLength = 4096;

        /// <summary>Most tokens in one event.</summary>
        public const int MaxTokens = 64;

        /// <summary>Longest Linux interface name (IFNAMSIZ - 1).</summary>
        public const int MaxInterfaceName = 15;

        /// <summary>Most TLVs in one service-discovery response.</summary>
        public const int MaxServiceTlvs = 32;

        /// <summary>At most this many devices in one group, group owner included (seed: "max 8 per group").</summary>
        public const int MaxGroupSize = 8;

        /// <summary>Highest group-owner intent (15 forces GO; two 15s fail negotiation, so we never send it).</summary>
        public const int MaxGoIntent = 15;
    }
}
