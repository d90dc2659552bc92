namespace AetherEdge.Core.Devices
{
    /// <summary>What a node is, which drives its defaults, score and sync rules.</summary>
    public enum DeviceKind
    {
        /// <summary>A desktop computer: usually plugged in, primary storage.</summary>
        Desktop = 0,

        /// <summary>A laptop: intermittent, on battery part of the time.</summary>
        Laptop = 1,

        /// <summary>A phone or tablet: battery- and data-sensitive, tertiary storage.</summary>
        Mobile = 2,

        /// <summary>An always-on Raspberry Pi storage hub (not in the seed; AetherEdge's primary store).</summary>
        Hub = 3,

        /// <summary>An ESP32 relay beacon with a small SD-card cache (not in the seed).</summary>
        Beacon = 4,
    }
}
