namespace AetherEdge.Core.Scheduling
{
    /// <summary>The links a shard can travel over.</summary>
    public enum SyncTransport
    {
        /// <summary>TCP/TLS on a LAN found by mDNS (Wi-Fi or Ethernet).</summary>
        Lan = 0,

        /// <summary>BLE GATT, directly or through beacons.</summary>
        Bluetooth = 1,

        /// <summary>Wi-Fi Direct (P2P group).</summary>
        WifiDirect = 2,
    }
}
