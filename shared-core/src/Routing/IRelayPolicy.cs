namespace AetherEdge.Core.Routing
{
    /// <summary>A node-local veto on relaying (e.g. a beacon low on battery drops bulk packets).</summary>
    public interface IRelayPolicy
    {
        /// <summary>True when this node may relay the packet described by <paramref name="header"/>.</summary>
        bool MayRelay(PacketHeader header);
    }
}
