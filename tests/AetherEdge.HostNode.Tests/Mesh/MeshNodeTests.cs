using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Sync;
using AetherEdge.TestSupport.Mesh;

namespace AetherEdge.HostNode.Tests.Mesh
{
    public class MeshNodeTests
    {
        [Fact]
        public void Chain_ReliableProbe_CrossesTheMiddleNodeAndIsConfirmed()
        {
            var net = new Chain(3);
            var probe = new byte[] { MeshPayloadKind.Probe, 42 };
            net.Run(10);
            Assert.True(net.Nodes[0].Send(net.Ids[2], probe, 0, probe.Length, reliable: true));
            net.Run(50);

            var got = Assert.Single(net.Probes[2].Received);
            Assert.Equal(net.Ids[0], got.Source);
            Assert.Equal(2, got.Hops);
            Assert.Equal(42, got.Body[1]);
            Assert.Empty(net.Probes[1].Received);
            Assert.Equal(1, net.Nodes[0].Confirmed);
            Assert.True(net.Nodes[1].Router.RelaysQueued >= 1);
        }

        [Fact]
        public void Broadcast_BeyondTheHopLimit_IsNotDelivered()
        {
            var net = new Chain(5, hopLimit: 2);
            var probe = new byte[] { MeshPayloadKind.Probe, 7 };
            net.Run(10);
            Assert.True(net.Nodes[0].Send(RoutingLimits.Broadcast, probe, 0, probe.Length, reliable: false));
            net.Run(200);

            // Hop limit 2: the originator plus two relays, three links.
            Assert.Single(net.Probes[1].Received);
            Assert.Single(net.Probes[2].Received);
            Assert.Single(net.Probes[3].Received);
            Assert.Empty(net.Probes[4].Received);
        }

        [Fact]
        public void LinkDown_ThenReliableSend_FailsAfterTheRetries()
        {
            var net = new Chain(2);
            net.Run(10);
            net.Attachments[1][0].Detach(); // node 1 loses its link to node 0
            net.Attachments[0][0].Detach();
            var probe = new byte[] { MeshPayloadKind.Probe, 1 };
            Assert.True(net.Nodes[0].Send(net.Ids[1], probe, 0, probe.Length, reliable: true));
            net.Run(20_000);
            Assert.Empty(net.Probes[1].Received);
            Assert.Equal(1, net.Nodes[0].Failed);
        }

        [Fact]
        public void Flood_FromANeighbour_FillsOnlyItsOwnShareOfTheRouterQueue()
        {
            var links = new MeshLinks();
            var a = links.Attach(new SimulatedMeshLink(7, 255, (_, _) => { }))!;
            var b = links.Attach(new SimulatedMeshLink(8, 255, (_, _) => { }))!;
            var packet = new byte[100];
            int accepted = 0;
            for (int i = 0; i < MeshLinks.MaxQueuedPerLink * 2; i++)
            {
                accepted += a.Receive(packet, 0, packet.Length) ? 1 : 0;
            }

            Assert.Equal(MeshLinks.MaxQueuedPerLink, accepted);
            Assert.True(b.Receive(packet, 0, packet.Length));
            Assert.Equal(MeshLinks.MaxQueuedPerLink, links.Counters(MeshLinkKind.Simulated).DroppedIn);
        }

        /// <summary>Nodes 0-1-2-... in a line, links delivering at once, one pump per millisecond.</summary>
        private sealed class Chain
        {
            public Chain(int n, int hopLimit = RoutingLimits.DefaultHopLimit)
            {
                for (int i = 0; i < n; i++)
                {
                    Ids.Add((uint)(0x100 + i));
                    Links.Add(new MeshLinks());
                    Probes.Add(new ProbeHandler());
                    Attachments.Add(new List<MeshAttachment>());
                    Nodes.Add(new MeshNode(new MeshNodeOptions(Ids[i]) { HopLimit = hopLimit, MaxPacketBytes = 512, QueueSlots = 16 }, CryptoRandom.Instance, new[] { Probes[i] }));
                }

                for (int i = 0; i + 1 < n; i++)
                {
                    var (ab, ba) = SimulatedMeshLink.Connect(Ids[i], Links[i], Ids[i + 1], Links[i + 1]);
                    Attachments[i].Add(ba.Far!);
                    Attachments[i + 1].Add(ab.Far!);
                }
            }

            public List<uint> Ids { get; } = new();

            public List<MeshLinks> Links { get; } = new();

            public List<MeshNode> Nodes { get; } = new();

            public List<ProbeHandler> Probes { get; } = new();

            public List<List<MeshAttachment>> Attachments { get; } = new();

            public long Now { get; private set; }

            public void Run(long ms)
            {
                for (long end = Now + ms; Now < end; Now++)
                {
                    for (int i = 0; i < Nodes.Count; i++)
                    {
                        Nodes[i].Pump(Links[i], Now);
                        Nodes[i].Step(Now);
                    }
                }
            }
        }

        private sealed class ProbeHandler : IMeshPayloadHandler
        {
            public List<(uint Source, int Hops, byte[] Body)> Received { get; } = new();

            public byte Kind => MeshPayloadKind.Probe;

            public void OnDelivered(in MeshDelivery delivery, IMeshOutbox outbox) =>
                Received.Add((delivery.Source, delivery.Hops, delivery.Buffer.AsSpan(delivery.Offset, delivery.Length).ToArray()));

            public void OnNeighbourUp(uint neighbour, IMeshOutbox outbox)
            {
            }

            public void OnStep(IMeshOutbox outbox)
            {
            }
        }
    }
}
