using AetherEdge.Core.Routing;

namespace AetherEdge.Simulation
{
    /// <summary>A phone or hub in the simulator: a reliable router over BLE connections.</summary>
    public sealed class GattRouterNode : IRoutingListener
    {
        public GattRouterNode(uint id, int maxPacketBytes, int seed)
        {
            Id = id;
            Links = new GattMeshLinks(maxNeighbours: 4, slotsPerLink: 2, maxTransferBytes: maxPacketBytes);
            var config = new RouterConfig(id) { MaxPacketBytes = maxPacketBytes, QueueSlots = 8, OverhearsNeighbours = false };
            Router = new ReliableRouter(config, Links, this, new SimRandom(seed));
            Links.Attach(Router);
        }

        public uint Id { get; }

        public GattMeshLinks Links { get; }

        public ReliableRouter Router { get; }

        public List<byte[]> Delivered { get; } = new();

        public List<uint> Confirmed { get; } = new();

        public List<uint> Failed { get; } = new();

        public void Step(long nowMs)
        {
            Links.Step(nowMs);
            Router.Step(nowMs);
        }

        public void OnDelivered(PacketHeader header, byte[] buffer, int payloadOffset, int payloadLength) =>
            Delivered.Add(buffer.AsSpan(payloadOffset, payloadLength).ToArray());

        public void OnDeliveryConfirmed(uint packetId) => Confirmed.Add(packetId);

        public void OnDeliveryFailed(uint packetId) => Failed.Add(packetId);
    }

    /// <summary>Wires two nodes' <see cref="GattMeshLinks"/> with a pair of simulated BLE link directions.</summary>
    public static class BleConnection
    {
        public static (SimGattLink AtoB, SimGattLink BtoA) Connect(
            EventScheduler clock, int seed, uint a, GattMeshLinks linksA, uint b, GattMeshLinks linksB,
            int mtu, double loss, long latencyMicroseconds, long bitRate, int quality = 128)
        {
            var aToB = new SimGattLink(clock, seed, mtu, loss, latencyMicroseconds, bitRate);
            var bToA = new SimGattLink(clock, seed + 1, mtu, loss, latencyMicroseconds, bitRate);
            aToB.Deliver = (bytes, nowMs) => linksB.OnValue(a, bytes, 0, bytes.Length, nowMs);
            bToA.Deliver = (bytes, nowMs) => linksA.OnValue(b, bytes, 0, bytes.Length, nowMs);
            linksA.AddNeighbour(b, aToB, quality);
            linksB.AddNeighbour(a, bToA, quality);
            return (aToB, bToA);
        }
    }
}
