using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Routing;

namespace AetherEdge.Core.Tests.Routing
{
    internal sealed class SeededRandom : IRandomSource
    {
        private readonly Random _random;

        public SeededRandom(int seed) => _random = new Random(seed);

        public int Next(int maxExclusive) => _random.Next(maxExclusive);

        public void NextBytes(byte[] buffer) => _random.NextBytes(buffer);
    }

    internal sealed class RecordingRoutingListener : IRoutingListener
    {
        public readonly List<(uint Source, uint Id, byte[] Payload)> Delivered = new();
        public readonly List<uint> Confirmed = new();
        public readonly List<uint> Failed = new();

        public void OnDelivered(PacketHeader header, byte[] buffer, int payloadOffset, int payloadLength) =>
            Delivered.Add((header.Source, header.PacketId, buffer.AsSpan(payloadOffset, payloadLength).ToArray()));

        public void OnDeliveryConfirmed(uint packetId) => Confirmed.Add(packetId);

        public void OnDeliveryFailed(uint packetId) => Failed.Add(packetId);
    }

    /// <summary>
    /// Tiny synchronous mesh for router unit tests: explicit links with a quality, 1 ms per step,
    /// every transmission heard by all neighbours (shared medium) unless <see cref="PointToPoint"/>.
    /// </summary>
    internal sealed class TestMesh
    {
        private readonly Dictionary<uint, List<(uint Peer, int Quality)>> _links = new();
        private List<(uint From, uint To, uint Except, byte[] Frame)> _inFlight = new();

        public Dictionary<uint, ReliableRouter> Nodes { get; } = new();

        public Dictionary<uint, RecordingRoutingListener> Listeners { get; } = new();

        public Func<uint, uint, bool>? Drop { get; set; }

        public bool PointToPoint { get; set; }

        public long Now { get; private set; }

        public int Transmissions { get; private set; }

        public ReliableRouter Add(uint id, Action<RouterConfig>? configure = null)
        {
            var config = new RouterConfig(id) { MaxPacketBytes = 512 };
            configure?.Invoke(config);
            var listener = new RecordingRoutingListener();
            var router = new ReliableRouter(config, new Radio(this, id), listener, new SeededRandom((int)id));
            Nodes[id] = router;
            Listeners[id] = listener;
            _links[id] = new();
            return router;
        }

        public void Link(uint a, uint b, int quality = 128)
        {
            _links[a].Add((b, quality));
            _links[b].Add((a, quality));
        }

        public void Chain(params uint[] ids)
        {
            foreach (uint id in ids)
            {
                Add(id);
            }

            for (int i = 1; i < ids.Length; i++)
            {
                Link(ids[i - 1], ids[i]);
            }
        }

        public void Run(long ms)
        {
            long end = Now + ms;
            while (Now < end)
            {
                foreach (var node in Nodes.Values)
                {
                    node.Step(Now);
                }

                var frames = _inFlight;
                _inFlight = new();
                foreach (var (from, to, except, frame) in frames)
                {
                    foreach (var (peer, quality) in _links[from])
                    {
                        if (PointToPoint && ((to != RoutingLimits.Broadcast && to != peer) || (to == RoutingLimits.Broadcast && peer == except)))
                        {
                            continue;
                        }

                        if (Drop != null && Drop(from, peer))
                        {
                            continue;
                        }

                        Nodes[peer].OnReceive(from, quality, frame, 0, frame.Length, Now);
                    }
                }

                Now++;
            }
        }

        private sealed class Radio : IMeshRadio
        {
            private readonly TestMesh _mesh;
            private readonly uint _id;

            public Radio(TestMesh mesh, uint id)
            {
                _mesh = mesh;
                _id = id;
            }

            public bool TrySend(uint neighbour, uint exceptNeighbour, byte[] buffer, int offset, int length)
            {
                _mesh.Transmissions++;
                _mesh._inFlight.Add((_id, neighbour, exceptNeighbour, buffer.AsSpan(offset, length).ToArray()));
                return true;
            }
        }
    }
}
