namespace AetherEdge.Core.Routing
{
    /// <summary>Sees every whole packet a node receives before the router does (a beacon caches relayed shards).</summary>
    public interface IPacketObserver
    {
        /// <summary>A packet arrived from <paramref name="fromNeighbour"/>; the bytes are lent for the call.</summary>
        void OnPacket(uint fromNeighbour, byte[] buffer, int offset, int length, long nowMs);
    }
}
