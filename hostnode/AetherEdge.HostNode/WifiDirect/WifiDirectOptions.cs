using System.Net;

namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>
    /// What <c>aether hub --wifi-direct</c> / hub.json <c>wifiDirect</c> chose: "auto" (default: the Pi's
    /// <c>/run/wpa_supplicant/p2p-dev-wlan0</c>, else the first <c>p2p-dev-*</c> socket there, else nothing), "off",
    /// an interface name (its socket in /run/wpa_supplicant) or a socket path.
    /// </summary>
    public sealed record WifiDirectOptions
    {
        public const string Auto = "auto";
        public const string Off = "off";
        public const string RunDirectory = "/run/wpa_supplicant";

        /// <summary>The sync listener port on group interfaces (the seed's Wi-Fi Direct port).</summary>
        public const int DefaultGroupPort = 43217;

        public WifiDirectOptions(string setting, string nodeId, string nodeName, string deviceType, long storageBytes)
        {
            Setting = setting;
            NodeId = nodeId;
            NodeName = nodeName;
            DeviceType = deviceType;
            StorageBytes = storageBytes;
        }

        public string Setting { get; }

        public string NodeId { get; }

        public string NodeName { get; }

        public string DeviceType { get; }

        public long StorageBytes { get; }

        public int GroupPort { get; init; } = DefaultGroupPort;

        /// <summary>
        /// Our address on a group we own: wpa_supplicant hands clients addresses in EAPOL from the same subnet
        /// (<c>ip_addr_go</c> in its config, written by flash-scripts/install-hub.sh); the GO itself sets this one.
        /// </summary>
        public IPAddress GroupOwnerAddress { get; init; } = IPAddress.Parse("192.168.42.1");

        public int GroupPrefixLength { get; init; } = 24;

        public P2pOptions Manager { get; init; } = new();

        public WpaLinkOptions Link { get; init; } = WpaLinkOptions.Default;

        /// <summary>True when <paramref name="text"/> is "auto", "off", an interface name or an absolute socket path.</summary>
        public static bool IsValidSetting(string text) =>
            text == Auto || text == Off || (text.StartsWith('/') && text.Length > 1) || AetherEdge.Core.WifiDirect.P2pEventParser.IsInterfaceName(text);

        /// <summary>The control socket to use, or null (off, or auto with no P2P socket on this machine).</summary>
        public string? ResolveSocket()
        {
            if (Setting == Off)
            {
                return null;
            }

            if (Setting == Auto)
            {
                string pi = Path.Combine(RunDirectory, "p2p-dev-wlan0");
                if (File.Exists(pi))
                {
                    return pi;
                }

                return Directory.Exists(RunDirectory)
                    ? Directory.EnumerateFileSystemEntries(RunDirectory, "p2p-dev-*").Order(StringComparer.Ordinal).FirstOrDefault()
                    : null;
            }

            return ResolveSocketFor(Setting);
        }

        /// <summary>An interface name's socket in /run/wpa_supplicant; a path stays as it is.</summary>
        public string ResolveSocketFor(string setting) => setting.StartsWith('/') ? setting : Path.Combine(RunDirectory, setting);
    }
}
