using AetherEdge.Core.Gatt;

namespace AetherEdge.Core.Tests.Gatt
{
    /// <summary>
    /// In-memory one-way link for transfer tests: a fixed ring of frame buffers (no allocation per
    /// frame), an optional drop rule on the frame index and an optional in-flight mutation.
    /// </summary>
    internal sealed class FramePipe : IGattLink
    {
        private readonly byte[][] _ring;
        private readonly int[] _lengths;
        private int _head;
        private int _count;

        public FramePipe(int mtu, int capacity = 64)
        {
            MaxWriteLength = GattLimits.AttPayloadForMtu(mtu);
            _ring = new byte[capacity][];
            _lengths = new int[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _ring[i] = new byte[MaxWriteLength];
            }
        }

        public int MaxWriteLength { get; }

        public Func<long, bool>? Drop { get; set; }

        public Action<long, byte[], int>? Mutate { get; set; }

        public long Written { get; private set; }

        public long BytesWritten { get; private set; }

        public bool TryWrite(byte[] buffer, int offset, int length)
        {
            if (length > MaxWriteLength)
            {
                throw new InvalidOperationException("frame over the link's write length");
            }

            if (_count == _ring.Length)
            {
                return false;
            }

            long index = Written++;
            BytesWritten += length + GattLimits.AttHeaderBytes;
            if (Drop != null && Drop(index))
            {
                return true;
            }

            int slot = (_head + _count) % _ring.Length;
            Array.Copy(buffer, offset, _ring[slot], 0, length);
            _lengths[slot] = length;
            Mutate?.Invoke(index, _ring[slot], length);
            _count++;
            return true;
        }

        /// <summary>Delivers every queued frame to a node's links as coming from <paramref name="from"/>.</summary>
        public int DeliverTo(AetherEdge.Core.Routing.GattMeshLinks target, uint from, long nowMs)
        {
            int n = 0;
            while (_count > 0)
            {
                byte[] frame = _ring[_head];
                int length = _lengths[_head];
                _head = (_head + 1) % _ring.Length;
                _count--;
                target.OnValue(from, frame, 0, length, nowMs);
                n++;
            }

            return n;
        }

        /// <summary>Delivers every queued frame to <paramref name="target"/>.</summary>
        public int DeliverTo(GattEndpoint target, long nowMs)
        {
            int n = 0;
            while (_count > 0)
            {
                byte[] frame = _ring[_head];
                int length = _lengths[_head];
                _head = (_head + 1) % _ring.Length;
                _count--;
                target.OnValue(frame, 0, length, nowMs);
                n++;
            }

            return n;
        }
    }

    /// <summary>Records listener calls.</summary>
    internal sealed class RecordingListener : IGattSendListener, IGattReceiveListener
    {
        public readonly List<byte[]> Received = new List<byte[]>();
        public readonly List<GattFailReason> SendFailures = new List<GattFailReason>();
        public readonly List<GattFailReason> ReceiveFailures = new List<GattFailReason>();
        public readonly List<int> SendProgress = new List<int>();
        public readonly List<int> ReceiveProgress = new List<int>();
        public int Completed;

        public void OnSendProgress(int transferId, int ackedBytes, int totalBytes) => SendProgress.Add(ackedBytes);

        public void OnSendCompleted(int transferId) => Completed++;

        public void OnSendFailed(int transferId, GattFailReason reason) => SendFailures.Add(reason);

        public void OnReceiveProgress(int transferId, int receivedBytes, int totalBytes) => ReceiveProgress.Add(receivedBytes);

        public void OnReceived(int transferId, byte[] buffer, int offset, int length) => Received.Add(buffer.AsSpan(offset, length).ToArray());

        public void OnReceiveFailed(int transferId, GattFailReason reason) => ReceiveFailures.Add(reason);
    }

    /// <summary>Two endpoints joined by two pipes, stepped on a fake millisecond clock.</summary>
    internal sealed class LinkedPair
    {
        public LinkedPair(int mtu, int senderSlots = 2, int senderMax = 65536, int receiverSlots = 2, int receiverMax = 65536)
        {
            AtoB = new FramePipe(mtu);
            BtoA = new FramePipe(mtu);
            A = new GattEndpoint(AtoB, ListenerA, ListenerA, senderSlots, senderMax);
            B = new GattEndpoint(BtoA, ListenerB, ListenerB, receiverSlots, receiverMax);
        }

        public FramePipe AtoB { get; }

        public FramePipe BtoA { get; }

        public RecordingListener ListenerA { get; } = new RecordingListener();

        public RecordingListener ListenerB { get; } = new RecordingListener();

        public GattEndpoint A { get; }

        public GattEndpoint B { get; }

        public long Now { get; private set; }

        /// <summary>Steps both sides every 10 ms until nothing is active or the time budget runs out.</summary>
        public void Run(long budgetMs = 60000)
        {
            long end = Now + budgetMs;
            while (Now < end)
            {
                A.Step(Now);
                B.Step(Now);
                int moved = AtoB.DeliverTo(B, Now) + BtoA.DeliverTo(A, Now);
                if (moved == 0 && A.Sender.ActiveTransfers == 0 && B.Receiver.ActiveTransfers == 0)
                {
                    return;
                }

                Now += 10;
            }
        }
    }
}
