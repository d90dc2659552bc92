using AetherEdge.Core.Gatt;

namespace AetherEdge.Core.Tests.Gatt
{
    /// <summary>
    /// The beacon path A → B → C: B reassembles each transfer in a pooled slot and re-sends it from a
    /// pooled slot. After warm-up, relaying must not allocate on the managed heap.
    /// </summary>
    /// <summary>
    /// Runs a workload until the runtime's tiered JIT has recompiled its hot methods: a method re-jitted
    /// (or entered by on-stack replacement) inside a counted run allocates on the test's thread, which is
    /// the runtime's cost, not the code under test's.
    /// </summary>
    internal static class AllocationWarmUp
    {
        public static void Run(Action workload)
        {
            for (int i = 0; i < 5; i++)
            {
                workload();
                Thread.Sleep(150);
            }
        }
    }

    public class GattRelayAllocationTests
    {
        private sealed class Relay : IGattReceiveListener, IGattSendListener
        {
            public GattTransferSender? Next;
            public long Now;
            public int Forwarded;
            public int Refused;
            public int Delivered;
            public int Failed;

            public void OnReceiveProgress(int transferId, int receivedBytes, int totalBytes)
            {
            }

            public void OnReceived(int transferId, byte[] buffer, int offset, int length)
            {
                if (Next != null)
                {
                    if (Next.TryStart(buffer, offset, length, Now) >= 0)
                    {
                        Forwarded++;
                    }
                    else
                    {
                        Refused++;
                    }
                }
                else
                {
                    Delivered++;
                }
            }

            public void OnReceiveFailed(int transferId, GattFailReason reason) => Failed++;

            public void OnSendProgress(int transferId, int ackedBytes, int totalBytes)
            {
            }

            public void OnSendCompleted(int transferId)
            {
            }

            public void OnSendFailed(int transferId, GattFailReason reason) => Failed++;
        }

        [Fact]
        public void Relay_TenThousandFragments_AllocatesNothing()
        {
            const int Mtu = 247;
            const int TransferBytes = 24000; // 100 fragments at MTU 247
            var aToB = new FramePipe(Mtu, 128);
            var bToA = new FramePipe(Mtu, 128);
            var bToC = new FramePipe(Mtu, 128);
            var cToB = new FramePipe(Mtu, 128);
            aToB.Drop = i => i % 97 == 40; // some loss so retransmission runs too
            var source = new Relay();
            var relay = new Relay();
            var sink = new Relay();
            var a = new GattEndpoint(aToB, source, source, 2, TransferBytes);
            var bIn = new GattEndpoint(bToA, relay, relay, 2, TransferBytes);
            var bOut = new GattEndpoint(bToC, relay, relay, 2, TransferBytes);
            var c = new GattEndpoint(cToB, sink, sink, 2, TransferBytes);
            relay.Next = bOut.Sender;
            var payload = new byte[TransferBytes];
            new Random(1).NextBytes(payload);
            long now = 0;

            void Pump(int transfers)
            {
                int started = 0;
                while (started < transfers || a.Sender.ActiveTransfers > 0 || bOut.Sender.ActiveTransfers > 0)
                {
                    if (started < transfers && a.Sender.ActiveTransfers == 0 && bOut.Sender.ActiveTransfers == 0)
                    {
                        a.Sender.TryStart(payload, 0, payload.Length, now);
                        started++;
                    }

                    relay.Now = now;
                    a.Step(now);
                    bIn.Step(now);
                    bOut.Step(now);
                    c.Step(now);
                    aToB.DeliverTo(bIn, now);
                    bToA.DeliverTo(a, now);
                    bToC.DeliverTo(c, now);
                    cToB.DeliverTo(bOut, now);
                    now += 10;
                }
            }

            AllocationWarmUp.Run(() => Pump(20)); // JIT tiers and static tables settle before counting
            long fragmentsBefore = bOut.Sender.FragmentsSent;
            int deliveredBefore = sink.Delivered;
            long before = GC.GetAllocatedBytesForCurrentThread();
            Pump(100);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            long relayed = bOut.Sender.FragmentsSent - fragmentsBefore;

            Assert.True(relayed >= 10000, "relayed " + relayed + " fragments");
            Assert.Equal(100, sink.Delivered - deliveredBefore);
            Assert.Equal(0, relay.Failed + relay.Refused + sink.Failed);
            Assert.True(aToB.Written > 0 && a.Sender.FragmentsRetransmitted > 0);
            Assert.Equal(0, allocated);
        }
    }
}

namespace AetherEdge.Core.Tests.Gatt
{
    using AetherEdge.Core.Routing;
    using AetherEdge.Core.Tests.Routing;

    /// <summary>
    /// The whole relay path of a beacon: GATT reassembly → router (parse, dedup, next hop, queue) →
    /// GATT send, plus the end-to-end acks coming back. After warm-up: no managed allocation.
    /// </summary>
    public class RoutedRelayAllocationTests
    {
        private sealed class Counter : IRoutingListener
        {
            public int Delivered;
            public int Confirmed;
            public int Failed;

            public void OnDelivered(PacketHeader header, byte[] buffer, int payloadOffset, int payloadLength) => Delivered++;

            public void OnDeliveryConfirmed(uint packetId) => Confirmed++;

            public void OnDeliveryFailed(uint packetId) => Failed++;
        }

        [Fact]
        public void RouterRelay_TenThousandFragments_AllocatesNothing()
        {
            const int Mtu = 247;
            const int PacketBytes = 2400;
            var ab = new FramePipe(Mtu, 128);
            var ba = new FramePipe(Mtu, 128);
            var bc = new FramePipe(Mtu, 128);
            var cb = new FramePipe(Mtu, 128);
            var links = new GattMeshLinks[3];
            var routers = new ReliableRouter[3];
            var counters = new Counter[3];
            for (int i = 0; i < 3; i++)
            {
                links[i] = new GattMeshLinks(2, 2, PacketBytes);
                counters[i] = new Counter();
                var config = new RouterConfig((uint)(i + 1)) { MaxPacketBytes = PacketBytes, OverhearsNeighbours = false, QueueSlots = 4 };
                routers[i] = new ReliableRouter(config, links[i], counters[i], new SeededRandom(i));
                links[i].Attach(routers[i]);
            }

            links[0].AddNeighbour(2, ab, 100);
            links[1].AddNeighbour(1, ba, 100);
            links[1].AddNeighbour(3, bc, 100);
            links[2].AddNeighbour(2, cb, 100);
            var payload = new byte[PacketBytes - RoutingLimits.HeaderBytes];
            long now = 0;

            void Pump(int packets)
            {
                int sent = 0;
                int target = counters[0].Confirmed + packets;
                while (counters[0].Confirmed < target && now < 10_000_000)
                {
                    if (sent < packets && routers[0].PendingCount == 0
                        && routers[0].TrySend(3, payload, 0, payload.Length, true, true, now, out _))
                    {
                        sent++;
                    }

                    for (int i = 0; i < 3; i++)
                    {
                        links[i].Step(now);
                        routers[i].Step(now);
                    }

                    ab.DeliverTo(links[1], 1, now);
                    ba.DeliverTo(links[0], 2, now);
                    bc.DeliverTo(links[2], 2, now);
                    cb.DeliverTo(links[1], 3, now);
                    now += 5;
                }
            }

            AllocationWarmUp.Run(() => Pump(30)); // routes learned, JIT tiers settled
            int deliveredBefore = counters[2].Delivered;
            long fragmentsBefore = links[1].EndpointOf(3)!.Sender.FragmentsSent;
            long before = GC.GetAllocatedBytesForCurrentThread();
            Pump(1000);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            long relayed = links[1].EndpointOf(3)!.Sender.FragmentsSent - fragmentsBefore;

            Assert.True(relayed >= 10000, "relayed " + relayed + " fragments");
            Assert.Equal(1000, counters[2].Delivered - deliveredBefore);
            Assert.Equal(0, counters[0].Failed);
            Assert.Equal(0, allocated);
        }
    }
}
