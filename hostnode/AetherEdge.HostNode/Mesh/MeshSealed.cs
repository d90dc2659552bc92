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
    /// (<c>mesh_sealed_frames_total{result}</c>). Sending: <see cref="TrySend(IMeshOutbox, uint, byte[], int, int, bool)"/> seals for one destination.
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
        private long _sourceMismatch;
        private long _unknownKind;

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

        /// <summary>Frames by verdict (accepted, malformed, not_for_us, stale, stranger, replay).</summary>
        public long Count(SealVerdict verdict) => _guard.Count(verdict);

        /// <summary>Authentic frames whose routed source was not their sealer (a relay re-sending someone's frame as its own).</summary>
        public long SourceMismatch => Interlocked.Read(ref _sourceMismatch);

        /// <summary>Accepted frames whose body kind has no handler here.</summary>
        public long UnknownKind => Interlocked.Read(ref _unknownKind);

        /// <summary>Refused for being recorded and played again (stale or a nonce seen before): the replay metric.</summary>
        public long ReplaysRefused => _guard.Count(SealVerdict.Stale) + _guard.Count(SealVerdict.Replay);

        public void OnDelivered(in MeshDelivery delivery, IMeshOutbox outbox)
        {
            SealVerdict verdict = _guard.Open(delivery.Buffer, delivery.Offset, delivery.Length, _clock.GetUtcNow().ToUnixTimeMilliseconds(), _header);
            if (verdict != SealVerdict.Accepted)
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

            handler.OnOpened(new MeshDelivery(delivery.Source, delivery.Hops, delivery.Buffer, _header.BodyOffset, _header.BodyLength, delivery.ArrivedOn), outbox);
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

        public void OnNeighbourUp(uint neighbour, IMeshOutbox outbox)
        {
        }

        public void OnStep(IMeshOutbox outbox)
        {
        }
    }
}
