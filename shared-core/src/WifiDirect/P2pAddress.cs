namespace AetherEdge.Core.WifiDirect
{
    /// <summary>P2P device and interface addresses: six hex octets separated by colons, kept in lower case.</summary>
    public static class P2pAddress
    {
        /// <summary>The broadcast address service-discovery requests go to.</summary>
        public const string Any = "00:00:00:00:00:00";

        /// <summary>True when <paramref name="text"/> is xx:xx:xx:xx:xx:xx (either case).</summary>
        public static bool IsValid(string? text)
        {
            if (text == null || text.Length != 17)
            {
                return false;
            }

            for (int i = 0; i < 17; i++)
            {
                char c = text[i];
                if (i % 3 == 2)
                {
                    if (c != ':')
                    {
                        return false;
                    }
                }
                else if (Hex.Value(c) < 0)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The address in lower case; null when it is not a valid address.</summary>
        public static string? Normalize(string? text)
        {
            return IsValid(text) ? text!.ToLower() : null;
        }
    }
}
