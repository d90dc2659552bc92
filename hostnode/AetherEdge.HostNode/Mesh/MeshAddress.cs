using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// A device's router node id: the first 4 bytes (big-endian) of SHA-256 over its device ID text,
    /// with the two reserved values (0 = no node, 0xFFFFFFFF = broadcast) moved aside. Every node derives
    /// the same id for a device without asking it. 32 bits over a kit of at most a few hundred devices
    /// collide with probability below 10^-5; a collision is seen (two verified knowledge records with one
    /// node id) and logged, and the router then treats the two as one destination.
    /// </summary>
    public static class MeshAddress
    {
        public static uint Of(DeviceId id)
        {
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(Encoding.ASCII.GetBytes(id.Text), hash);
            uint node = BinaryPrimitives.ReadUInt32BigEndian(hash);
            return node switch
            {
                RoutingLimits.NoNode => 1,
                RoutingLimits.Broadcast => RoutingLimits.Broadcast - 1,
                _ => node,
            };
        }

        /// <summary>For logs: 8 hex digits.</summary>
        public static string Format(uint node) => node.ToString("x8");
    }
}
