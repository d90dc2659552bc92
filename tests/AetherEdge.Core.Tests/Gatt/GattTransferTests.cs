using AetherEdge.Core.Gatt;

namespace AetherEdge.Core.Tests.Gatt
{
    public class GattTransferTests
    {
        private static byte[] Data(int length, int seed)
        {
            var bytes = new byte[length];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }

        [Theory]
        [InlineData(23, 1)]
        [InlineData(23, 5000)]
        [InlineData(185, 512)]
        [InlineData(247, 10000)]
        [InlineData(515, 65536)]
        [InlineData(517, 4096)]
        public void Transfer_CleanLink_BytesEqual(int mtu, int length)
        {
            var pair = new LinkedPair(mtu);
            byte[] data = Data(length, length);
            Assert.True(pair.A.Sender.TryStart(data, 0, data.Length, 0) >= 0);
            pair.Run();
            Assert.Single(pair.ListenerB.Received);
            Assert.Equal(data, pair.ListenerB.Received[0]);
            Assert.Equal(1, pair.ListenerA.Completed);
            Assert.Equal(0, pair.A.Sender.FragmentsRetransmitted);
            Assert.Equal(length, pair.ListenerA.SendProgress[^1]);
        }

        [Fact]
        public void Transfer_Mtu515_Carries512BytesPerFragment()
        {
            var pair = new LinkedPair(GattLimits.MtuFor512ByteChunks);
            byte[] data = Data(512 * 10, 3);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.Run();
            // 512 − 4 header = 508 data bytes per later fragment, 498 in the first.
            Assert.Equal(GattReassembly.FragmentCount(data.Length, 508), pair.A.Sender.FragmentsSent);
            Assert.Equal(data, pair.ListenerB.Received[0]);
        }

        [Fact]
        public void Transfer_LossyLink_RetransmitsAndCompletes()
        {
            var pair = new LinkedPair(185);
            pair.AtoB.Drop = i => i % 7 == 3;
            pair.BtoA.Drop = i => i % 5 == 2;
            byte[] data = Data(20000, 9);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.Run();
            Assert.Equal(data, Assert.Single(pair.ListenerB.Received));
            Assert.True(pair.A.Sender.FragmentsRetransmitted > 0);
            Assert.Empty(pair.ListenerA.SendFailures);
        }

        [Fact]
        public void Transfer_DeadLink_FailsAfterThreeRetries()
        {
            var pair = new LinkedPair(247);
            pair.AtoB.Drop = i => i > 0; // only the first fragment gets through; its ack is lost too
            pair.BtoA.Drop = _ => true;
            byte[] data = Data(3000, 1);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.Run();
            Assert.Equal(new[] { GattFailReason.RetriesExhausted }, pair.ListenerA.SendFailures);
            // first attempt + 3 retries of fragment 0, then a fail frame
            Assert.Equal(1 + GattLimits.MaxRetriesPerFragment, pair.A.Sender.FragmentsSent);
            Assert.Equal(0, pair.A.Sender.ActiveTransfers);
        }

        [Fact]
        public void Transfer_OverReceiverLimit_FailsTooLarge()
        {
            var pair = new LinkedPair(247, receiverMax: 1000);
            byte[] data = Data(5000, 2);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.Run();
            Assert.Equal(new[] { GattFailReason.TooLarge }, pair.ListenerA.SendFailures);
            Assert.Empty(pair.ListenerB.Received);
        }

        [Fact]
        public void Transfer_MoreThanReceiverSlots_SecondBacksOffThenCompletes()
        {
            var pair = new LinkedPair(247, senderSlots: 2, receiverSlots: 1);
            byte[] data = Data(5000, 2);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.Run();
            Assert.Empty(pair.ListenerA.SendFailures);
            Assert.Equal(2, pair.ListenerB.Received.Count);
        }

        [Fact]
        public void Transfer_ReceiverStaysBusy_FailsNoFreeSlotAfterRetries()
        {
            var pair = new LinkedPair(247, senderSlots: 2, receiverSlots: 1);
            byte[] data = Data(5000, 2);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.AtoB.Mutate = (i, frame, length) =>
            {
                // Transfer 0's later fragments arrive garbled: it stalls, holding the receiver's only slot.
                if (frame[1] == 0 && (frame[0] & 0x07) == 0)
                {
                    frame[0] = 0x03;
                }
            };
            pair.Run(5000);
            Assert.Contains(GattFailReason.NoFreeSlot, pair.ListenerA.SendFailures);
        }

        [Fact]
        public void TryStart_AllSlotsBusy_ReturnsMinusOne()
        {
            var pair = new LinkedPair(247, senderSlots: 1);
            byte[] data = Data(100, 2);
            Assert.True(pair.A.Sender.TryStart(data, 0, data.Length, 0) >= 0);
            Assert.Equal(-1, pair.A.Sender.TryStart(data, 0, data.Length, 0));
        }

        [Fact]
        public void Transfer_CorruptedInFlight_FailsCrcMismatch()
        {
            var pair = new LinkedPair(247);
            pair.AtoB.Mutate = (i, frame, length) =>
            {
                if (i == 2)
                {
                    frame[length - 1] ^= 0x40;
                }
            };
            byte[] data = Data(2000, 4);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.Run();
            Assert.Equal(new[] { GattFailReason.CrcMismatch }, pair.ListenerB.ReceiveFailures);
            Assert.Equal(new[] { GattFailReason.CrcMismatch }, pair.ListenerA.SendFailures);
            Assert.Empty(pair.ListenerB.Received);
        }

        [Fact]
        public void Receiver_SenderVanishes_TimesOutAndFreesSlot()
        {
            var pair = new LinkedPair(247, receiverSlots: 1);
            pair.AtoB.Drop = i => i > 1;
            byte[] data = Data(3000, 5);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.A.Step(0);
            pair.AtoB.DeliverTo(pair.B, 0);
            pair.BtoA.DeliverTo(pair.A, 0);
            pair.A.Step(1);
            pair.AtoB.DeliverTo(pair.B, 1);
            Assert.Equal(1, pair.B.Receiver.ActiveTransfers);
            pair.B.Step(GattLimits.ReceiverIdleTimeoutMilliseconds + 1);
            Assert.Equal(0, pair.B.Receiver.ActiveTransfers);
            Assert.Equal(new[] { GattFailReason.Timeout }, pair.ListenerB.ReceiveFailures);
        }

        [Fact]
        public void Progress_IsMonotonicAndEndsAtTotal()
        {
            var pair = new LinkedPair(185);
            pair.AtoB.Drop = i => i % 9 == 4;
            byte[] data = Data(12000, 6);
            pair.A.Sender.TryStart(data, 0, data.Length, 0);
            pair.Run();
            Assert.Equal(data.Length, pair.ListenerB.ReceiveProgress[^1]);
            for (int i = 1; i < pair.ListenerB.ReceiveProgress.Count; i++)
            {
                Assert.True(pair.ListenerB.ReceiveProgress[i] > pair.ListenerB.ReceiveProgress[i - 1]);
            }

            for (int i = 1; i < pair.ListenerA.SendProgress.Count; i++)
            {
                Assert.True(pair.ListenerA.SendProgress[i] >= pair.ListenerA.SendProgress[i - 1]);
            }
        }

        [Fact]
        public void Endpoint_GarbageValue_CountedNotThrown()
        {
            var pair = new LinkedPair(247);
            pair.B.OnValue(new byte[] { 0x03, 0x00 }, 0, 2, 0);
            Assert.Equal(1, pair.B.MalformedFrames);
            Assert.Contains("unknown type", pair.B.LastError);
        }
    }
}
