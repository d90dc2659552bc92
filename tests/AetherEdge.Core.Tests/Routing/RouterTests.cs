using AetherEdge.Core.Routing;

namespace AetherEdge.Core.Tests.Routing
{
    public class RouterTests
    {
        private static readonly byte[] s_payload = { 1, 2, 3, 4, 5 };

        private static uint Send(ReliableRouter from, uint to, long now, bool wantAck = false, bool bulk = false)
        {
            Assert.True(from.TrySend(to, s_payload, 0, s_payload.Length, wantAck, bulk, now, out uint id));
            return id;
        }

        [Fact]
        public void Broadcast_Chain_HopLimitThreeReachesFourLinks()
        {
            var mesh = new TestMesh();
            mesh.Chain(1, 2, 3, 4, 5, 6);
            Send(mesh.Nodes[1], RoutingLimits.Broadcast, 0);
            mesh.Run(1000);
            Assert.Single(mesh.Listeners[5].Delivered); // 1 → 2 → 3 → 4 → 5: three relays
            Assert.Empty(mesh.Listeners[6].Delivered);
            Assert.Equal(1, mesh.Nodes[5].HopLimitReached);
            Assert.Equal(s_payload, mesh.Listeners[5].Delivered[0].Payload);
        }

        [Fact]
        public void Broadcast_HopLimitSevenConfigured_ReachesFurther()
        {
            var mesh = new TestMesh();
            mesh.Chain(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            var config = new RouterConfig(1) { HopLimit = 12 }; // clamped to 7
            var far = new ReliableRouter(config, new NullRadio(), new RecordingRoutingListener(), new SeededRandom(1));
            Assert.True(far.TrySend(RoutingLimits.Broadcast, s_payload, 0, 5, false, false, 0, out _));
            mesh.Nodes[1] = mesh.Add(1, c => c.HopLimit = 12);
            mesh.Link(1, 2);
            Send(mesh.Nodes[1], RoutingLimits.Broadcast, 0);
            mesh.Run(2000);
            Assert.Single(mesh.Listeners[9].Delivered); // 8 links = 7 relays
            Assert.Empty(mesh.Listeners[10].Delivered);
        }

        [Fact]
        public void Duplicates_DeliveredOnce()
        {
            var mesh = new TestMesh();
            foreach (uint id in new uint[] { 1, 2, 3, 4 })
            {
                mesh.Add(id);
            }

            // diamond: 1 reaches 4 through 2 and through 3
            mesh.Link(1, 2);
            mesh.Link(1, 3);
            mesh.Link(2, 4);
            mesh.Link(3, 4);
            Send(mesh.Nodes[1], RoutingLimits.Broadcast, 0);
            mesh.Run(1000);
            Assert.Single(mesh.Listeners[4].Delivered);
            Assert.True(mesh.Nodes[4].Duplicates + mesh.Nodes[1].Duplicates > 0);
        }

        [Fact]
        public void Flood_NeighbourRelaysFirst_OwnRebroadcastSuppressed()
        {
            var mesh = new TestMesh();
            foreach (uint id in new uint[] { 1, 2, 3 })
            {
                mesh.Add(id);
            }

            // 2 and 4 hear 1 weakly (relay early); 3 hears 1 strongly (waits) and then both relays.
            mesh.Add(4);
            mesh.Link(1, 2, quality: 0);
            mesh.Link(1, 4, quality: 0);
            mesh.Link(1, 3, quality: 255);
            mesh.Link(2, 3, quality: 128);
            mesh.Link(4, 3, quality: 128);
            Send(mesh.Nodes[1], RoutingLimits.Broadcast, 0);
            mesh.Run(1000);
            Assert.Equal(1, mesh.Nodes[3].Suppressed);
            Assert.Equal(3, mesh.Transmissions); // original + relays of 2 and 4; 3 stays quiet
        }

        [Fact]
        public void NextHop_LearnedFromReply_DirectsTraffic()
        {
            var mesh = new TestMesh();
            foreach (uint id in new uint[] { 1, 2, 3, 4, 5 })
            {
                mesh.Add(id);
            }

            // 1 - 2 - 3 - 4 chain, 5 is a bystander next to 2 and 3.
            mesh.Link(1, 2);
            mesh.Link(2, 3);
            mesh.Link(3, 4);
            mesh.Link(2, 5);
            mesh.Link(3, 5);
            Send(mesh.Nodes[4], 1, 0); // unknown route: floods, everyone learns the way back to 4
            mesh.Run(1000);
            Assert.Equal(2u, mesh.Nodes[1].RouteTo(4, mesh.Now));
            int before = mesh.Transmissions;
            Send(mesh.Nodes[1], 4, mesh.Now);
            mesh.Run(1000);
            Assert.Single(mesh.Listeners[4].Delivered);
            Assert.Equal(3, mesh.Transmissions - before); // 1 → 2 → 3 → 4, directed
            Assert.True(mesh.Nodes[5].NotMyHop > 0);
        }

        [Fact]
        public void Reliable_LossyFirstAttempts_RetransmitsAndConfirms()
        {
            var mesh = new TestMesh();
            mesh.Chain(1, 2, 3);
            int dropped = 0;
            mesh.Drop = (from, to) => from == 2 && to == 3 && dropped++ < 2;
            uint id = Send(mesh.Nodes[1], 3, 0, wantAck: true);
            mesh.Run(10000);
            Assert.Equal(new[] { id }, mesh.Listeners[1].Confirmed);
            Assert.True(mesh.Nodes[1].Retransmissions >= 1);
            Assert.Equal(0, mesh.Nodes[1].PendingCount);
            Assert.NotEmpty(mesh.Listeners[3].Delivered);
        }

        [Fact]
        public void Reliable_DeadLink_FailsAfterMaxRetransmissions()
        {
            var mesh = new TestMesh();
            mesh.Chain(1, 2);
            mesh.Drop = (_, _) => true;
            uint id = Send(mesh.Nodes[1], 2, 0, wantAck: true);
            mesh.Run(60000);
            Assert.Equal(new[] { id }, mesh.Listeners[1].Failed);
            Assert.Equal(RoutingLimits.MaxRetransmissions, mesh.Nodes[1].Retransmissions);
            Assert.Equal(1 + RoutingLimits.MaxRetransmissions, mesh.Transmissions);
        }

        [Fact]
        public void Reliable_BroadcastRelayOverheard_ImplicitAck()
        {
            var mesh = new TestMesh();
            mesh.Chain(1, 2, 3);
            uint id = Send(mesh.Nodes[1], RoutingLimits.Broadcast, 0, wantAck: true);
            mesh.Run(200);
            Assert.Equal(new[] { id }, mesh.Listeners[1].Confirmed);
            Assert.Equal(0, mesh.Nodes[1].Retransmissions);
            Assert.Equal(0, mesh.Nodes[3].AcksSent);
        }

        [Fact]
        public void Reliable_PointToPointLinks_WaitsForEndToEndAck()
        {
            var mesh = new TestMesh { PointToPoint = true };
            mesh.Add(1, c => c.OverhearsNeighbours = false);
            mesh.Add(2, c => c.OverhearsNeighbours = false);
            mesh.Add(3, c => c.OverhearsNeighbours = false);
            mesh.Link(1, 2);
            mesh.Link(2, 3);
            uint id = Send(mesh.Nodes[1], 3, 0, wantAck: true);
            mesh.Run(5000);
            Assert.Equal(new[] { id }, mesh.Listeners[1].Confirmed);
            Assert.Equal(0, mesh.Nodes[1].Retransmissions);
            Assert.Single(mesh.Listeners[3].Delivered);
        }

        [Fact]
        public void RelayPolicy_VetoesBulk_KeepsControl()
        {
            var mesh = new TestMesh();
            mesh.Add(1);
            mesh.Add(2, c => c.RelayPolicy = new NoBulk());
            mesh.Add(3);
            mesh.Link(1, 2);
            mesh.Link(2, 3);
            Send(mesh.Nodes[1], RoutingLimits.Broadcast, 0, bulk: true);
            Send(mesh.Nodes[1], RoutingLimits.Broadcast, 0, bulk: false);
            mesh.Run(1000);
            Assert.Single(mesh.Listeners[3].Delivered);
            Assert.Equal(1, mesh.Nodes[2].PolicyDrops);
            Assert.Equal(2, mesh.Listeners[2].Delivered.Count);
        }

        [Fact]
        public void Replay_OldFrameResent_Dropped()
        {
            var mesh = new TestMesh();
            mesh.Chain(1, 2);
            var radio = new CapturingRadio();
            var attacker = new ReliableRouter(new RouterConfig(9), radio, new RecordingRoutingListener(), new SeededRandom(9));
            for (int i = 0; i < RoutingLimits.ReplayWindow + 2; i++)
            {
                attacker.TrySend(2, s_payload, 0, 5, false, false, i, out _);
                attacker.Step(i);
            }

            mesh.Nodes[2].OnReceive(9, 100, radio.Frames[0], 0, radio.Frames[0].Length, 1);
            mesh.Nodes[2].OnReceive(9, 100, radio.Frames[^1], 0, radio.Frames[^1].Length, 2);
            mesh.Nodes[2].OnReceive(9, 100, radio.Frames[0], 0, radio.Frames[0].Length, 3);
            Assert.Equal(2, mesh.Listeners[2].Delivered.Count);
            Assert.Equal(1, mesh.Nodes[2].Replays);
        }

        [Fact]
        public void Malformed_CountedAndDropped()
        {
            var mesh = new TestMesh();
            mesh.Chain(1, 2);
            mesh.Nodes[2].OnReceive(1, 100, new byte[] { 0x10, 0x00 }, 0, 2, 0);
            Assert.Equal(1, mesh.Nodes[2].Malformed);
            Assert.Contains("20", mesh.Nodes[2].LastError);
        }

        private sealed class NoBulk : IRelayPolicy
        {
            public bool MayRelay(PacketHeader header) => !header.Bulk;
        }

        private sealed class NullRadio : IMeshRadio
        {
            public bool TrySend(uint neighbour, uint exceptNeighbour, byte[] buffer, int offset, int length) => true;
        }

        private sealed class CapturingRadio : IMeshRadio
        {
            public readonly List<byte[]> Frames = new();

            public bool TrySend(uint neighbour, uint exceptNeighbour, byte[] buffer, int offset, int length)
            {
                Frames.Add(buffer.AsSpan(offset, length).ToArray());
                return true;
            }
        }
    }
}
