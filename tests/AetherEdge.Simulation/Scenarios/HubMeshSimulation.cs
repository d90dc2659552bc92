using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Mesh;
using AetherEdge.TestSupport.Mesh;

namespace AetherEdge.Simulation.Scenarios
{
    /// <summary>Delivery and cost of one run: the hub's mesh service, and naive flooding over the same links.</summary>
    public sealed record HubMeshStats(int Nodes, int Links, int Messages, int Delivered, long Transmissions, int NaiveDelivered, long NaiveTransmissions, long Retransmissions, long AnnounceTransmissions)
    {
        public double DeliveryRatio => (double)Delivered / Messages;

        public double TransmissionsPerDelivery => Delivered == 0 ? double.PositiveInfinity : (double)Transmissions / Delivered;

        public double NaiveDeliveryRatio => (double)NaiveDelivered / Messages;

        public double NaiveTransmissionsPerDelivery => NaiveDelivered == 0 ? double.PositiveInfinity : (double)NaiveTransmissions / NaiveDelivered;

        public override string ToString() =>
            $"hub mesh service: delivered {Delivered}/{Messages} ({DeliveryRatio:P1}), {TransmissionsPerDelivery:F1} transmissions per delivery ({Retransmissions} retransmissions); " +
            $"naive flood: {NaiveDelivered}/{Messages} ({NaiveDeliveryRatio:P1}), {NaiveTransmissionsPerDelivery:F1} per delivery; {Nodes} nodes, {Links} links; " +
            $"announcements before the traffic (one broadcast per node, as knowledge records teach routes): {AnnounceTransmissions} transmissions";
    }

    /// <summary>
    /// The hub's mesh service code in the loop: N nodes, each a <see cref="MeshNode"/> with its
    /// <see cref="MeshLinks"/> registry exactly as <c>aether hub</c> composes them, on a random geometric graph
    /// (unit square, radius) whose edges are point-to-point links (as the hub's TLS and GATT links are) that lose
    /// each packet independently with probability <c>loss</c>. Random reliable unicast messages between distinct
    /// nodes; every packet a link carries is one transmission (acks and retransmissions included). Before the
    /// traffic each node broadcasts one announcement, as the hub's knowledge records do every 30 s, so routes are
    /// learnt (<paramref name="announce"/> false skips that: every first message to a node then floods); the
    /// announcements' transmissions are reported apart. The same
    /// messages are then flooded naively over the same links and loss (every node passes the first copy it hears
    /// to all other neighbours) for comparison.
    /// </summary>
    public static class HubMeshSimulation
    {
        public const long LatencyMicroseconds = 1000;
        public const long BitRate = 1_000_000;

        public static HubMeshStats Run(int seed, int nodes = 100, double radius = 0.25, double loss = 0.10, int messages = 100, long spacingMs = 250, int hopLimit = RoutingLimits.MaxHopLimit, bool announce = true)
        {
            var clock = new EventScheduler();
            var geometry = Build(clock, seed, nodes, radius);
            var ids = geometry.NodeIds.ToList();
            var lossRandom = new SimRandom(seed + 11);
            var links = ids.ToDictionary(id => id, _ => new MeshLinks());
            var delivered = new HashSet<int>();
            var mesh = ids.ToDictionary(id => id, id => new MeshNode(
                new MeshNodeOptions(id) { HopLimit = hopLimit, MaxPacketBytes = 128, QueueSlots = 32 },
                new SimRandom((seed * 1000) + (int)id),
                new[] { new ProbeCounter(id, delivered) }));
            long transmissions = 0;
            int edges = 0;
            foreach (uint a in ids)
            {
                foreach (uint b in geometry.NeighboursOf(a).Where(b => b > a))
                {
                    edges++;
                    SimulatedMeshLink.Connect(a, links[a], b, links[b], geometry.Quality(a, b), (link, packet) =>
                    {
                        transmissions++;
                        if (lossRandom.NextDouble() >= loss)
                        {
                            long airtime = packet.Length * 8L * 1_000_000L / BitRate;
                            clock.At(clock.NowMicroseconds + LatencyMicroseconds + airtime, () => link.Deliver(packet));
                        }
                    });
                }
            }

            var traffic = new SimRandom(seed + 7);
            var pairs = new List<(uint From, uint To)>();
            var payload = new byte[9];
            int sent = 0;
            long nextSend = 1000; // after the links' greetings
            if (announce)
            {
                var hello = new[] { MeshPayloadKind.Probe };
                clock.RunUntil(100_000, nowMs =>
                {
                    foreach (uint id in ids)
                    {
                        mesh[id].Pump(links[id], nowMs);
                        mesh[id].Step(nowMs);
                    }
                });
                foreach (uint id in ids)
                {
                    mesh[id].Send(RoutingLimits.Broadcast, hello, 0, hello.Length, reliable: false);
                    clock.RunUntil(clock.NowMicroseconds + 50_000, nowMs =>
                    {
                        foreach (uint n in ids)
                        {
                            mesh[n].Pump(links[n], nowMs);
                            mesh[n].Step(nowMs);
                        }
                    });
                }

                nextSend = (clock.NowMicroseconds / 1000) + 1000;
            }

            long announced = transmissions;
            transmissions = 0;
            clock.RunUntil((nextSend + (messages * spacingMs) + 20000) * 1000L, nowMs =>
            {
                if (sent < messages && nowMs >= nextSend)
                {
                    uint from = ids[traffic.Next(ids.Count)];
                    uint to;
                    do
                    {
                        to = ids[traffic.Next(ids.Count)];
                    }
                    while (to == from);
                    payload[0] = MeshPayloadKind.Probe;
                    BitConverter.TryWriteBytes(payload.AsSpan(1), sent);
                    BitConverter.TryWriteBytes(payload.AsSpan(5), to);
                    mesh[from].Pump(links[from], nowMs);
                    mesh[from].Send(to, payload, 0, payload.Length, reliable: true);
                    pairs.Add((from, to));
                    sent++;
                    nextSend += spacingMs;
                }

                foreach (uint id in ids)
                {
                    mesh[id].Pump(links[id], nowMs);
                    mesh[id].Step(nowMs);
                }
            });

            var (naiveDelivered, naiveTransmissions) = NaiveFlood(geometry, pairs, loss, new SimRandom(seed + 13), hopLimit);
            return new HubMeshStats(nodes, edges, messages, delivered.Count, transmissions, naiveDelivered, naiveTransmissions, mesh.Values.Sum(m => m.Router.Retransmissions), announced);
        }

        /// <summary>Every node passes the first copy of a message to every other neighbour (within the hop limit), each copy lost independently.</summary>
        private static (int Delivered, long Transmissions) NaiveFlood(SharedMedium geometry, List<(uint From, uint To)> pairs, double loss, SimRandom random, int hopLimit)
        {
            int delivered = 0;
            long transmissions = 0;
            foreach (var (from, to) in pairs)
            {
                var seen = new HashSet<uint> { from };
                var frontier = new Queue<(uint Node, uint Came, int HopsLeft)>();
                frontier.Enqueue((from, RoutingLimits.NoNode, hopLimit + 1));
                while (frontier.Count > 0)
                {
                    var (node, came, left) = frontier.Dequeue();
                    if (left == 0)
                    {
                        continue;
                    }

                    foreach (uint n in geometry.NeighboursOf(node).Where(n => n != came))
                    {
                        transmissions++;
                        if (random.NextDouble() >= loss && seen.Add(n))
                        {
                            frontier.Enqueue((n, node, left - 1));
                        }
                    }
                }

                delivered += seen.Contains(to) ? 1 : 0;
            }

            return (delivered, transmissions);
        }

        private static SharedMedium Build(EventScheduler clock, int seed, int nodes, double radius)
        {
            for (int attempt = 0; ; attempt++)
            {
                var placement = new SimRandom((seed * 7919) + attempt);
                var medium = new SharedMedium(clock, seed, radius, 0, LatencyMicroseconds, BitRate, 255);
                for (uint id = 1; id <= nodes; id++)
                {
                    medium.AddNode(id, placement.NextDouble(), placement.NextDouble());
                }

                if (medium.IsConnected())
                {
                    return medium;
                }
            }
        }

        /// <summary>The application on each node: counts probes that reached the node they were addressed to.</summary>
        private sealed class ProbeCounter : IMeshPayloadHandler
        {
            private readonly uint _self;
            private readonly HashSet<int> _delivered;

            public ProbeCounter(uint self, HashSet<int> delivered)
            {
                _self = self;
                _delivered = delivered;
            }

            public byte Kind => MeshPayloadKind.Probe;

            public void OnDelivered(in MeshDelivery delivery, IMeshOutbox outbox)
            {
                if (delivery.Length == 9 && BitConverter.ToUInt32(delivery.Buffer, delivery.Offset + 5) == _self)
                {
                    _delivered.Add(BitConverter.ToInt32(delivery.Buffer, delivery.Offset + 1));
                }
            }

            public void OnNeighbourUp(uint neighbour, IMeshOutbox outbox)
            {
            }

            public void OnStep(IMeshOutbox outbox)
            {
            }
        }
    }
}
