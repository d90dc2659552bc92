using System.Collections.Concurrent;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Receipts for shards received here (and answers to offers; and, in a queue of its own, offers), waiting to be sealed and sent (<see cref="MeshShardSender"/> owns it):
    /// queued from any thread, at most <c>capacity</c> (the excess is dropped, counted: its sender times out and
    /// retries), sent from the router thread only to devices this hub holds a pair key for (a trusted sealer).
    /// </summary>
    internal sealed class ReceiptQueue
    {
        private readonly ConcurrentQueue<(uint Node, byte[] Body)> _queue = new();
        private readonly MeshFrameKeys _keys;
        private readonly uint _self;
        private readonly TimeProvider _clock;
        private readonly int _capacity;
        private int _count;
        private long _sent;
        private long _dropped;

        public ReceiptQueue(MeshFrameKeys keys, uint self, TimeProvider clock, int capacity)
        {
            _keys = keys;
            _self = self;
            _clock = clock;
            _capacity = capacity;
        }

        public long Sent => Interlocked.Read(ref _sent);

        public long Dropped => Interlocked.Read(ref _dropped);

        /// <summary>False, counted, when the queue is full.</summary>
        public bool Enqueue(uint node, byte[] body)
        {
            if (Interlocked.Increment(ref _count) > _capacity)
            {
                Interlocked.Decrement(ref _count);
                Interlocked.Increment(ref _dropped);
                return false;
            }

            _queue.Enqueue((node, body));
            return true;
        }

        /// <summary>Seals and sends what waits (router thread) until the router's queues are full.</summary>
        public void Flush(IMeshOutbox outbox)
        {
            while (_queue.TryPeek(out var receipt))
            {
                bool known = _keys.Knows(receipt.Node);
                if (known && !MeshSealed.SealAndSend(_keys, _self, _clock, outbox, receipt.Node, receipt.Body, 0, receipt.Body.Length, reliable: true, out _))
                {
                    break; // the router's queues are full: next step
                }

                _queue.TryDequeue(out _);
                Interlocked.Decrement(ref _count);
                Interlocked.Increment(ref known ? ref _sent : ref _dropped);
            }
        }
    }
}
