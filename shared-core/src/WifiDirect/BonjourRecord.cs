namespace AetherEdge.Core.WifiDirect
{
    /// <summary>
    /// One Bonjour entry of P2P service discovery: the query part (owner name, DNS type, version 1) and the
    /// RDATA wpa_supplicant answers with (<c>P2P_SERVICE_ADD bonjour &lt;query hex&gt; &lt;rdata hex&gt;</c>).
    /// </summary>
    public sealed class BonjourRecord
    {
        /// <summary>DNS type PTR.</summary>
        public const int TypePtr = 12;

        /// <summary>DNS type TXT.</summary>
        public const int TypeTxt = 16;

        /// <summary>The Bonjour-over-P2P version byte.</summary>
        public const int Version1 = 1;

        /// <summary>Creates an entry.</summary>
        public BonjourRecord(string name, int type, byte[] rdata)
        {
            Name = name;
            Type = type;
            Rdata = rdata;
        }

        /// <summary>Owner name, dotted, without the trailing dot (e.g. <c>_aetherlight._tcp.local</c>).</summary>
        public string Name { get; }

        /// <summary>DNS type (12 PTR, 16 TXT, ...).</summary>
        public int Type { get; }

        /// <summary>The answer's RDATA as sent (names inside may use the P2P dictionary pointers).</summary>
        public byte[] Rdata { get; }
    }
}
