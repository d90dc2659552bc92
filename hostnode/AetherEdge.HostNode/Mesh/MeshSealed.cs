using System.Security.Cryptography;
using AetherEdge.Core.Routing;
using AetherEdge.Core.Sealing;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>An application whose payloads must arrive sealed (shards over BLE): gets the opened body, kind byte first.</summary>
    public interface ISealedPayloadHandler
    {
        /// <summary>The body's kind byte this handler takes.</summary>
        byte Kind { get; }

        /// <summary>
        /// A sealed frame from <see cref="MeshDelivery.Source"/> was authentic, fresh and for this node; the
        /// delivery covers its body. Router thread; must not block.
        /// </summary>
        void OnOpened(in MeshDelivery body, IMeshOutbox outbox);
    }

    /// <summary>
    /// Payload kind 5 on the hub (seed threat 3, BLE replay): opens sealed frames with the pair keys of
    /// <see cref="MeshFrameKeys"/> through the shared-core <see cref="SealedFrameGuard"/> (window, tag, nonce
    /// table), checks that the routed source is the device that sealed it, and hands the body to the
    /// <see cref="ISealedPayloadHandler"/> of its kind. Everything refused is counted by verdict
    /// (<c>mesh_sealed_frames_total{result}</c>). A copy of a frame accepted here less than
    /// <see cref="RetransmissionSpan"/> ago, sent reliably by the device that sealed it, is the router's end-to-end
    /// retransmission (the first copy arrived, its ack was lost): refused like a replay (the body is not handled
    /// twice) but counted as <c>retransmission</c>, not as a replay refused. Sending: <see cref="TrySend(IMeshOutbox, uint, byte[], int, int, bool)"/> seals for one destination.
    /// Router thread only (the guard has one owner); counters may be read anywhere.
    /// </summary>
    public sealed class MeshSealed : IMeshPayloadHandler
    {
        private readonly SealedFrameGuard _guard;
        private readonly MeshFrameKeys _keys;
        private readonly ISealedPayloadHandler?[] _handlers = new ISealedPayloadHandler?[256];
        private readonly TimeProvider _clock;
        private readonly SealedFrameHeader _header = new();
        private readonly uint _self;
        private readonly Dictionary<(uint Sender, ulong Nonce), long> _acceptedAt = new();
        private readonly Queue<(uint Sender, ulong Nonce)> _acceptedOrder = new();
        private long _sourceMismatch;
        private long _unknownKind;
        private long _retransmissions;

        /// <summary>How long after a frame was accepted an identical copy counts as the router's retransmission: its
        /// tries (4 × 3 s end-to-end waits) with room for queueing on slow links.</summary>
        public static readonly TimeSpan RetransmissionSpan = TimeSpan.FromSeconds(30);

        /// <summary>Accepted frames remembered for telling retransmissions from replays (older ones count as replays).</summary>
        public const int RememberedFrames = 4096;

        public MeshSealed(NodeIdentity identity, MeshFrameKeys keys, IEnumerable<ISealedPayloadHandler> handlers, TimeProvider clock)
        {
            _self = MeshAddress.Of(identity.DeviceId);
            _keys = keys;
            _clock = clock;
            _guard = new SealedFrameGuard(_self, keys, SealedFrameGuard.DefaultWindowMilliseconds, SealedFrameGuard.DefaultCapacity);
            foreach (ISealedPayloadHandler h in handlers)
            {
                if (_handlers[h.Kind] != null)
                {
                    throw new ArgumentException("two sealed handlers for body kind " + h.Kind);
                }

                _handlers[h.Kind] = h;
            }
        }

        public byte Kind => MeshPayloadKind.Sealed;

        /// <summary>Frames by verdict (accepted, malformed, not_for_us, stale, stranger, replay: retransmissions left out).</summary>
        public long Count(SealVerdict verdict) => verdict == SealVerdict.Replay ? _guard.Count(verdict) - Retransmissions : _guard.Count(verdict);

        /// <summary>Authentic frames whose routed source was not their sealer (a relay re-sending someone's frame as its own).</summary>
        public long SourceMismatch => Interlocked.Read(ref _sourceMismatch);

        /// <summary>Accepted frames whose body kind has no handler here.</summary>
        public long UnknownKind => Interlocked.Read(ref _unknownKind);

        /// <summary>Copies of an accepted frame within <see cref="RetransmissionSpan"/> from its sealer (router retransmissions).</summary>
        public long Retransmissions => Interlocked.Read(ref _retransmissions);

        /// <summary>Refused for being recorded and played again (stale or a nonce seen before, retransmissions left out): the replay metric.</summary>
        public long ReplaysRefused => Count(SealVerdict.Stale) + Count(SealVerdict.Replay);

        public void OnDelivered(in MeshDelivery delivery, IMeshOutbox outbox)
        {
            long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            SealVerdict verdict = _guard.Open(delivery.Buffer, delivery.Offset, delivery.Length, now, _header);
            if (verdict == SealVerdict.Replay && delivery.Reliable && _header.Sender == delivery.Source
                && _acceptedAt.TryGetValue((_header.Sender, _header.Nonce), out long first) && now - first <= (long)RetransmissionSpan.TotalMilliseconds)
            {
                Interlocked.Increment(ref _retransmissions);
                return;
            }

            if (verdict == SealVerdict.Accepted)
            {
                Remember(_header.Sender, _header.Nonce, now);
            }
            else
            {
                if (verdict == SealVerdict.Stale || verdict == SealVerdict.Replay)
                {
                    delivery.ArrivedOn?.ReplayRefused();
                }

                return;
            }

            if (_header.Sender != delivery.Source)
            {
                Interlocked.Increment(ref _sourceMismatch);
                return;
            }

            ISealedPayloadHandler? handler = _handlers[delivery.Buffer[_header.BodyOffset]];
            if (handler == null)
            {
                Interlocked.Increment(ref _unknownKind);
                return;
            }

            handler.OnOpened(new MeshDelivery(delivery.Source, delivery.Hops, delivery.Buffer, _header.BodyOffset, _header.BodyLength, delivery.ArrivedOn, delivery.Reliable), outbox);
        }

        /// <summary>
        /// Seals <paramref name="body"/> (its first byte is its kind) for <paramref name="destination"/> and originates it.
        /// False when there is no key for the destination (not a trusted device heard through the mesh) or the router refused.
        /// </summary>
        public bool TrySend(IMeshOutbox outbox, uint destination, byte[] body, int offset, int length, bool reliable) =>
            TrySend(outbox, destination, body, offset, length, reliable, out _);

        /// <summary>As above, naming the packet id of a reliable send (its confirmation or failure carries it).</summary>
        public bool TrySend(IMeshOutbox outbox, uint destination, byte[] body, int offset, int length, bool reliable, out uint packetId) =>
            SealAndSend(_keys, _self, _clock, outbox, destination, body, offset, length, reliable, out packetId);

        /// <summary>
        /// Seals <paramref name="body"/> from <paramref name="self"/> for <paramref name="destination"/> with the pair key
        /// and originates it (for senders that cannot depend on this handler). False: no key, or the router refused.
        /// </summary>
        public static bool SealAndSend(MeshFrameKeys keys, uint self, TimeProvider clock, IMeshOutbox outbox, uint destination,
            byte[] body, int offset, int length, bool reliable, out uint packetId)
        {
            packetId = 0;
            var frame = new byte[SealedFrame.OverheadBytes + length];
            ulong nonce = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
            int n = SealedFrame.Seal(keys, self, destination, clock.GetUtcNow().ToUnixTimeMilliseconds(), nonce, body, offset, length, frame, 0);
            return n > 0 && outbox.Send(destination, frame, 0, n, reliable, out packetId);
        }

        private void Remember(uint sender, ulong nonce, long now)
        {
            if (_acceptedOrder.Count >= RememberedFrames)
            {
                _acceptedAt.Remove(_acceptedOrder.Dequeue());
            }

            if (_acceptedAt.TryAdd((sender, nonce), now))
            {
                _acceptedOrder.Enqueue((sender, nonce));
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
