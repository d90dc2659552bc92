using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Sync;
using AetherEdge.TestSupport.Mesh;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// A restarted hub must be heard at once: its neighbours drop packet ids behind the newest they saw from it, so
    /// it starts ahead of every id it used before (a high-water mark in its home), not from 1 again.
    /// </summary>
    public sealed class MeshPacketIdsTests : IDisposable
    {
        private const uint A = 0x0A0A0A0A;
        private const uint B = 0x0B0B0B0B;
        private readonly string _home = Path.Combine(Path.GetTempPath(), "aether-packetids-" + Guid.NewGuid().ToString("N"));

        public MeshPacketIdsTests() => Directory.CreateDirectory(_home);

        [Fact]
        public void RestartedNode_IsHeardAtOnce_ItsIdsStartAheadOfEveryIdItUsedBefore()
        {
            var probes = new Probes();
            var b = new Node(B, new MeshNodeOptions(B), probes);
            var a = new Node(A, new MeshNodeOptions(A) { FirstPacketId = new MeshPacketIds(_home).First }, null);
            var link = SimulatedMeshLink.Connect(A, a.Links, B, b.Links);
            Run(a, b);
            for (int i = 0; i < 200; i++)
            {
                a.Send(B);
            }

            Run(a, b);
            Assert.Equal(200, probes.Count);

            // A restarts (new objects on the same home) and sends once more: B hears it.
            link.AtoB.Far!.Detach();
            link.BtoA.Far!.Detach();
            var ids = new MeshPacketIds(_home);
            Assert.True(ids.First - 1u - a.NextPacketId < int.MaxValue, "the new first id is ahead of every id used before");
            var restarted = new Node(A, new MeshNodeOptions(A) { FirstPacketId = ids.First }, null);
            SimulatedMeshLink.Connect(A, restarted.Links, B, b.Links);
            Run(restarted, b);
            restarted.Send(B);
            Run(restarted, b);
            Assert.Equal(201, probes.Count);
        }

        /// <summary>What the routers did before: a restart counting from 1 again goes unheard (the reason for the mark).</summary>
        [Fact]
        public void RestartCountingFromOne_IsDroppedAsStaleByItsNeighbour()
        {
            var probes = new Probes();
            var b = new Node(B, new MeshNodeOptions(B), probes);
            var a = new Node(A, new MeshNodeOptions(A), null);
            var link = SimulatedMeshLink.Connect(A, a.Links, B, b.Links);
            for (int i = 0; i < 200; i++)
            {
                a.Send(B);
            }

            Run(a, b);
            link.AtoB.Far!.Detach();
            link.BtoA.Far!.Detach();
            var restarted = new Node(A, new MeshNodeOptions(A), null);
            SimulatedMeshLink.Connect(A, restarted.Links, B, b.Links);
            Run(restarted, b);
            restarted.Send(B);
            Run(restarted, b);
            Assert.Equal(200, probes.Count);
        }

        [Fact]
        public void Mark_MovesOnWithTheRouter_AndAFreshHomeStartsAtOne()
        {
            var first = new MeshPacketIds(_home);
            Assert.Equal(1u, first.First);
            first.Observe(MeshPacketIds.Block); // far on: written
            Assert.Equal(MeshPacketIds.Block + MeshPacketIds.Block, new MeshPacketIds(_home).First);
        }

        public void Dispose() => Directory.Delete(_home, true);

        private static void Run(params Node[] nodes)
        {
            for (int t = 0; t < 200; t++)
            {
                foreach (var n in nodes)
                {
                    n.Step();
                }
            }
        }

        private sealed class Node : IMeshSender
        {
            private readonly MeshNode _node;
            private readonly Queue<uint> _sends = new();
            private long _now = 1_000;

            public Node(uint id, MeshNodeOptions options, Probes? probes)
            {
                _node = new MeshNode(options, CryptoRandom.Instance, probes is null ? Array.Empty<IMeshPayloadHandler>() : new IMeshPayloadHandler[] { probes }, new IMeshSender[] { this });
            }

            public MeshLinks Links { get; } = new();

            public uint NextPacketId => _node.Router.NextPacketId;

            public void Send(uint to) => _sends.Enqueue(to);

            public void Step()
            {
                _now += 5;
                _node.Pump(Links, _now);
                _node.Step(_now);
            }

            public void OnStep(IMeshOutbox outbox)
            {
                while (_sends.Count > 0 && outbox.Send(_sends.Peek(), new byte[] { MeshPayloadKind.Probe, 1 }, 0, 2, reliable: false))
                {
                    _sends.Dequeue();
                }
            }

            public void OnConfirmed(uint packetId)
            {
            }

            public void OnFailed(uint packetId)
            {
            }
        }

        private sealed class Probes : IMeshPayloadHandler
        {
            public int Count { get; private set; }

            public byte Kind => MeshPayloadKind.Probe;

            public void OnDelivered(in MeshDelivery delivery, IMeshOutbox outbox) => Count++;

            public void OnNeighbourUp(uint neighbour, IMeshOutbox outbox)
            {
            }

            public void OnStep(IMeshOutbox outbox)
            {
            }
        }
    }
}
