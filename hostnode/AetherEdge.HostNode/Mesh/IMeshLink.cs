namespace AetherEdge.HostNode.Mesh
{
    /// <summary>Transport names used as the <c>transport</c> label of the mesh metrics.</summary>
    public static class MeshLinkKind
    {
        /// <summary>A TLS connection to a peer hub on a LAN (wired or Wi-Fi infrastructure).</summary>
        public const string Lan = "lan";

        /// <summary>A TLS connection over a Wi-Fi Direct group.</summary>
        public const string WifiDirect = "wifi-direct";

        /// <summary>A BLE GATT connection (beacon, phone).</summary>
        public const string Ble = "ble";

        /// <summary>In-process links (tests, simulation).</summary>
        public const string Simulated = "simulated";
    }

    /// <summary>
    /// One point-to-point link from this node to one neighbour, as the hub's mesh router sees it: whole
    /// routed packets (20-byte header + payload, at most <see cref="Core.Routing.RoutingLimits.MaxPacketBytes"/>)
    /// go out through <see cref="TrySend"/>; packets that arrive are handed to the
    /// <see cref="MeshAttachment"/> that <see cref="MeshLinks.Attach"/> returned. A link only ever
    /// carries packets from an authenticated neighbour (a trusted TLS peer, a BLE device that passed the
    /// BLE layer's checks): the router trusts nothing else about it.
    /// Implementations are thread-safe: the router thread calls <see cref="TrySend"/> while the
    /// link's own reader delivers.
    /// </summary>
    public interface IMeshLink
    {
        /// <summary>Transport: one of <see cref="MeshLinkKind"/>.</summary>
        string Kind { get; }

        /// <summary>The neighbour's router node id (<see cref="MeshAddress"/>); never 0 or broadcast.</summary>
        uint Neighbour { get; }

        /// <summary>Link quality 0..255 (higher = better): RSSI for BLE, 255 for a wired or Wi-Fi link.</summary>
        int Quality { get; }

        /// <summary>For logs: the remote end (address, device ID).</summary>
        string Description { get; }

        /// <summary>
        /// Queues one packet for the neighbour, copying the bytes before it returns. False when the link's
        /// queue is full (the router keeps the packet and tries again later); a closed link returns true and
        /// drops it (the router learns of the closure through <see cref="MeshAttachment.Detach"/>).
        /// </summary>
        bool TrySend(byte[] packet, int offset, int length);
    }
}
