namespace AetherEdge.Core.Routing
{
    /// <summary>
    /// What the router transmits through: on BLE, the set of GATT connections (a packet to one
    /// neighbour or to all); in tests, the simulated radio.
    /// </summary>
    public interface IMeshRadio
    {
        /// <summary>
        /// Queues one packet for <paramref name="neighbour"/> or, with <see cref="RoutingLimits.Broadcast"/>,
        /// for every neighbour except <paramref name="exceptNeighbour"/> (the one a relayed flood came from;
        /// <see cref="RoutingLimits.NoNode"/> for none). A shared medium ignores the exception: everyone in
        /// range hears it anyway. Copies the bytes before returning; false when the radio is busy (retried later).
        /// </summary>
        bool TrySend(uint neighbour, uint exceptNeighbour, byte[] buffer, int offset, int length);
    }
}
