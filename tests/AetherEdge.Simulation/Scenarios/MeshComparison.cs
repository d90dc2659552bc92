using AetherEdge.Core.Routing;

namespace AetherEdge.Simulation.Scenarios
{
    public enum MeshVariant
    {
        NaiveFlood,
        ManagedFlood,
        NextHop,
        Reliable,
    }

    public sealed record MeshStats(MeshVariant Variant, int Messages, int Delivered, long Transmissions, long BytesOnAir)
    {
        public double DeliveryRatio => (double)Delivered / Messages;

        public double TransmissionsPerDelivery => Delivered == 0 ? double.PositiveInfinity : (double)Transmissions / Delivered;

        public override string ToString() =>
            $"{Variant,-12} delivered {Delivered}/{Messages} ({DeliveryRatio:P1}), {Transmissions} transmissions, {TransmissionsPerDelivery:F1} per delivery";
    }

    /// <summary>
    /// N nodes on a random geometric graph (unit square, radius), a shared medium with independent
    /// loss, random unicast messages between distinct nodes every <c>spacingMs</c>; counts unique
    /// deliveries and every transmission (originals, relays, acks, retransmissions).
    /// </summary>
    public static class MeshComparison
    {
        public const int PayloadBytes = 32;

        public static MeshStats Run(MeshVariant variant, int seed, int nodes = 100, double radius = 0.25, double loss = 0.10, int messages = 100, long spacingMs = 250)
        {
            var clock = new EventScheduler();
            var (medium, radios) = BuildConnected(clock, seed, nodes, radius, loss);
            var routers = new Dictionary<uint, Router>();
            var delivered = new HashSet<int>();
            foreach (uint id in medium.NodeIds)
            {
                var config = new RouterConfig(id) { HopLimit = RoutingLimits.MaxHopLimit, MaxPacketBytes = 128, QueueSlots = 32 };
                var listener = new DeliveryCounter(id, delivered);
                IMeshRadio radio = radios[id];
                Router router = variant switch
                {
                    MeshVariant.NaiveFlood => new NaiveFloodRouter(config, radio, listener, new SimRandom(seed * 1000 + (int)id)),
                    MeshVariant.ManagedFlood => new FloodingRouter(config, radio, listener, new SimRandom(seed * 1000 + (int)id)),
                    MeshVariant.NextHop => new NextHopRouter(config, radio, listener, new SimRandom(seed * 1000 + (int)id)),
                    _ => new ReliableRouter(config, radio, listener, new SimRandom(seed * 1000 + (int)id)),
                };
                routers[id] = router;
                medium.Attach(id, router);
            }

            var traffic = new SimRandom(seed + 7);
            var ids = medium.NodeIds;
            var payload = new byte[PayloadBytes];
            int sent = 0;
            long nextSend = 100;
            clock.RunUntil((100 + (messages * spacingMs) + 15000) * 1000L, nowMs =>
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
                    BitConverter.TryWriteBytes(payload, sent);
                    BitConverter.TryWriteBytes(payload.AsSpan(4), to);
                    routers[from].TrySend(to, payload, 0, payload.Length, variant == MeshVariant.Reliable, false, nowMs, out _);
                    sent++;
                    nextSend += spacingMs;
                }

                foreach (Router r in routers.Values)
                {
                    r.Step(nowMs);
                }
            });

            return new MeshStats(variant, messages, delivered.Count, medium.Transmissions, medium.BytesOnAir);
        }

        private static (SharedMedium, Dictionary<uint, IMeshRadio>) BuildConnected(EventScheduler clock, int seed, int nodes, double radius, double loss)
        {
            for (int attempt = 0; ; attempt++)
            {
                var placement = new SimRandom((seed * 7919) + attempt);
                var medium = new SharedMedium(clock, seed, radius, loss, latencyMicroseconds: 1000, bitRate: 1_000_000, mtu: 255);
                var radios = new Dictionary<uint, IMeshRadio>();
                for (uint id = 1; id <= nodes; id++)
                {
                    radios[id] = medium.AddNode(id, placement.NextDouble(), placement.NextDouble());
                }

                if (medium.IsConnected())
                {
                    return (medium, radios);
                }
            }
        }

        private sealed class DeliveryCounter : IRoutingListener
        {
            private readonly uint _self;
            private readonly HashSet<int> _delivered;

            public DeliveryCounter(uint self, HashSet<int> delivered)
            {
                _self = self;
                _delivered = delivered;
            }

            public void OnDelivered(PacketHeader header, byte[] buffer, int payloadOffset, int payloadLength)
            {
                if (payloadLength == PayloadBytes && BitConverter.ToUInt32(buffer, payloadOffset + 4) == _self && header.Destination == _self)
                {
                    _delivered.Add(BitConverter.ToInt32(buffer, payloadOffset));
                }
            }

            public void OnDeliveryConfirmed(uint packetId)
            {
            }

            public void OnDeliveryFailed(uint packetId)
            {
            }
        }
    }
}
