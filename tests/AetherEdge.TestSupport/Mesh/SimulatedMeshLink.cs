using AetherEdge.HostNode.Mesh;

namespace AetherEdge.TestSupport.Mesh
{
    /// <summary>
    /// One direction of an in-process point-to-point mesh link (stands in for a TLS or GATT connection in
    /// tests and the simulation): what the near node sends is handed to the far node's attachment, through
    /// <see cref="Deliver"/> (at once, or by a scheduler that adds latency and loss).
    /// </summary>
    public sealed class SimulatedMeshLink : IMeshLink
    {
        private readonly Action<SimulatedMeshLink, byte[]> _deliver;

        /// <param name="kind">The transport it stands in for (a simulated BLE link says "ble"); default "simulated".</param>
        public SimulatedMeshLink(uint neighbour, int quality, Action<SimulatedMeshLink, byte[]> deliver, string kind = MeshLinkKind.Simulated)
        {
            Neighbour = neighbour;
            Quality = quality;
            _deliver = deliver;
            Kind = kind;
        }

        public string Kind { get; }

        public uint Neighbour { get; }

        public int Quality { get; }

        public string Description => "simulated link to " + MeshAddress.Format(Neighbour);

        /// <summary>The far side's attachment of the reverse link: where sent packets arrive.</summary>
        public MeshAttachment? Far { get; set; }

        /// <summary>False: the next sends are refused as if the link's queue were full.</summary>
        public bool Accepting { get; set; } = true;

        public long Sent { get; private set; }

        public bool TrySend(byte[] packet, int offset, int length)
        {
            if (!Accepting)
            {
                return false;
            }

            Sent++;
            _deliver(this, packet.AsSpan(offset, length).ToArray());
            return true;
        }

        /// <summary>Hands <paramref name="packet"/> to the far node now.</summary>
        public void Deliver(byte[] packet) => Far?.Receive(packet, 0, packet.Length);

        /// <summary>
        /// Connects two nodes' registries with a pair of links; <paramref name="deliver"/> decides when (and
        /// whether) each packet arrives, default at once. Returns (a→b, b→a).
        /// </summary>
        public static (SimulatedMeshLink AtoB, SimulatedMeshLink BtoA) Connect(
            uint a, MeshLinks linksA, uint b, MeshLinks linksB, int quality = 255, Action<SimulatedMeshLink, byte[]>? deliver = null)
        {
            deliver ??= (link, packet) => link.Deliver(packet);
            var ab = new SimulatedMeshLink(b, quality, deliver);
            var ba = new SimulatedMeshLink(a, quality, deliver);
            var atA = linksA.Attach(ab) ?? throw new InvalidOperationException("node A has no room for a link");
            var atB = linksB.Attach(ba) ?? throw new InvalidOperationException("node B has no room for a link");
            ab.Far = atB;
            ba.Far = atA;
            return (ab, ba);
        }
    }
}
