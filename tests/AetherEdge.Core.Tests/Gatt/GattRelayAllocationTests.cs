using AetherEdge.Core.Gatt;

namespace AetherEdge.Core.Tests.Gatt
{
    /// <summary>
    /// The beacon path A → B → C: B reassembles each transfer in a pooled slot and re-sends it from a
    /// pooled slot. After warm-up, relaying must not allocate on the managed heap.
    /// </summary>
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

            Pump(2); // warm-up: JIT, static tables
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
