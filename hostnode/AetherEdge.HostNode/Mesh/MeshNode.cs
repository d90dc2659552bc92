using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Routing;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>Router settings of a mesh node (the hub's defaults; the simulation shrinks the buffers).</summary>
    public sealed record MeshNodeOptions(uint NodeId)
    {
        /// <summary>Hop limit of originated packets: default 3, at most 7 (clamped by the router).</summary>
        public int HopLimit { get; init; } = RoutingLimits.DefaultHopLimit;

        /// <summary>Largest packet sent or relayed (sizes the preallocated queue).</summary>
        public int MaxPacketBytes { get; init; } = RoutingLimits.MaxPacketBytes;

        /// <summary>Transmit queue slots (each <see cref="MaxPacketBytes"/>).</summary>
        public int QueueSlots { get; init; } = 32;

        /// <summary>Reliable sends outstanding at once.</summary>
        public int PendingSlots { get; init; } = RoutingLimits.MaxPendingReliable;

        /// <summary>Point-to-point links do not overhear relays; only end-to-end acks count.</summary>
        public bool OverhearsNeighbours { get; init; }

        /// <summary>First packet id (the hub: ahead of every id it used before a restart, <see cref="MeshPacketIds"/>).</summary>
        public uint FirstPacketId { get; init; } = 1;
    }

    /// <summary>
    /// The hub's mesh node as a synchronous state machine: the shared-core router over every attached link
    /// (<see cref="IMeshRadio"/> fans packets out to the links), the payload handlers by kind, and the
    /// counters. One owner calls <see cref="Pump"/> and <see cref="Step"/>; in the hub that is
    /// <see cref="MeshRouterService"/>'s thread, in the simulation the event loop. Nothing here locks.
    /// </summary>
    public sealed class MeshNode : IMeshRadio, IRoutingListener, IMeshOutbox
    {
        /// <summary>Handlers run at least this often even when no packet arrives.</summary>
        public const long StepIntervalMilliseconds = 1000;

        private readonly MeshRouter _router;
        private readonly List<MeshAttachment> _links = new();
        private readonly IMeshPayloadHandler?[] _handlers = new IMeshPayloadHandler?[256];
        private readonly IMeshPayloadHandler[] _all;
        private readonly IMeshSender[] _senders;
        private long _now;
        private MeshTransportCounters? _arrivedOn;

        public MeshNode(MeshNodeOptions options, IRandomSource random, IEnumerable<IMeshPayloadHandler> handlers, IEnumerable<IMeshSender>? senders = null)
        {
            _senders = senders?.ToArray() ?? Array.Empty<IMeshSender>();
            var config = new RouterConfig(options.NodeId)
            {
                HopLimit = options.HopLimit,
                MaxPacketBytes = options.MaxPacketBytes,
                QueueSlots = options.QueueSlots,
                PendingSlots = options.PendingSlots,
                OverhearsNeighbours = options.OverhearsNeighbours,
                FirstPacketId = options.FirstPacketId,
            };
            Options = options;
            _router = new MeshRouter(config, this, this, random, IsNeighbour);
            _all = handlers.ToArray();
            foreach (var h in _all)
            {
                if (_handlers[h.Kind] != null)
                {
                    throw new ArgumentException("two mesh handlers for payload kind " + h.Kind);
                }

                _handlers[h.Kind] = h;
            }
        }

        public uint NodeId => _router.NodeId;

        public MeshNodeOptions Options { get; }

        public long NowMilliseconds => _now;

        /// <summary>The router (its counters: relays, duplicates, retransmissions ...). Router-thread use only.</summary>
        public MeshRouter Router => _router;

        public IReadOnlyList<uint> Neighbours => _links.Select(l => l.Link.Neighbour).Distinct().ToList();

        /// <summary>Payloads delivered to a handler.</summary>
        public long Delivered { get; private set; }

        /// <summary>Payloads of a kind no handler takes (or empty ones other than greetings).</summary>
        public long UnknownKind { get; private set; }

        /// <summary>Originated packets the router refused (too big, queues full).</summary>
        public long SendRefused { get; private set; }

        /// <summary>Packets for a neighbour without a link (it went away after the route was chosen).</summary>
        public long DroppedNoLink { get; private set; }

        /// <summary>Broadcast copies a full link could not take.</summary>
        public long DroppedLinkFull { get; private set; }

        /// <summary>Handler failures (logged by the service; the router keeps running).</summary>
        public long HandlerFailures { get; private set; }

        /// <summary>Reliable sends confirmed / failed end to end.</summary>
        public long Confirmed { get; private set; }

        public long Failed { get; private set; }

        /// <summary>The last handler failure, for the log.</summary>
        public Exception? LastFailure { get; private set; }

        /// <summary>Applies every waiting link event (up, packet, down) in arrival order.</summary>
        public void Pump(MeshLinks links, long nowMs)
        {
            _now = nowMs;
            while (links.TryTake(out var e))
            {
                switch (e.Kind)
                {
                    case MeshEventKind.Up:
                        _links.Add(e.Attachment);
                        _router.TrySendHello(nowMs);
                        foreach (var h in _all)
                        {
                            Guard(() => h.OnNeighbourUp(e.Attachment.Link.Neighbour, this));
                        }

                        break;
                    case MeshEventKind.Down:
                        _links.Remove(e.Attachment);
                        if (!IsNeighbour(e.Attachment.Link.Neighbour))
                        {
                            _router.ForgetRoute(e.Attachment.Link.Neighbour);
                        }

                        break;
                    default:
                        if (!e.Attachment.IsDetached)
                        {
                            _arrivedOn = e.Attachment.Counters;
                            _router.OnReceive(e.Attachment.Link.Neighbour, e.Attachment.Link.Quality, e.Packet!, 0, e.Packet!.Length, nowMs);
                            _arrivedOn = null;
                        }

                        break;
                }
            }
        }

        /// <summary>Runs the handlers' timers, then sends what is due.</summary>
        public void Step(long nowMs)
        {
            _now = nowMs;
            foreach (var h in _all)
            {
                Guard(() => h.OnStep(this));
            }

            foreach (var s in _senders)
            {
                Guard(() => s.OnStep(this));
            }

            _router.Step(nowMs);
        }

        /// <summary>When <see cref="Step"/> has work next (at most <see cref="StepIntervalMilliseconds"/> away).</summary>
        public long NextWakeup() => Math.Min(_router.NextWakeup(), _now + StepIntervalMilliseconds);

        public bool Send(uint destination, byte[] payload, int offset, int length, bool reliable) =>
            Send(destination, payload, offset, length, reliable, out _);

        public bool Send(uint destination, byte[] payload, int offset, int length, bool reliable, out uint packetId)
        {
            bool ok = _router.TrySend(destination, payload, offset, length, reliable && destination != RoutingLimits.Broadcast, IsShard(payload, offset, length), _now, out packetId);
            if (!ok)
            {
                SendRefused++;
            }

            return ok;
        }

        /// <summary>
        /// Shard envelopes and shard pieces, bare or sealed, travel as Bulk (battery rules may refuse to relay them,
        /// beacons cache whole envelopes).
        /// </summary>
        private static bool IsShard(byte[] payload, int offset, int length) =>
            length > 0 && (IsShardKind(payload[offset])
                || (payload[offset] == MeshPayloadKind.Sealed && length > Core.Sealing.SealedFrame.OverheadBytes && IsShardKind(payload[offset + Core.Sealing.SealedFrame.HeaderBytes])));

        private static bool IsShardKind(byte kind) => kind == MeshPayloadKind.Shard || kind == MeshPayloadKind.ShardPiece;

        public uint RouteTo(uint destination) => IsNeighbour(destination) ? destination : _router.RouteTo(destination, _now);

        bool IMeshRadio.TrySend(uint neighbour, uint exceptNeighbour, byte[] buffer, int offset, int length)
        {
            if (neighbour == RoutingLimits.Broadcast)
            {
                foreach (var a in _links)
                {
                    if (a.Link.Neighbour == exceptNeighbour)
                    {
                        continue;
                    }

                    if (a.Link.TrySend(buffer, offset, length))
                    {
                        Count(a, buffer, offset, length);
                    }
                    else
                    {
                        DroppedLinkFull++;
                    }
                }

                return true;
            }

            MeshAttachment? best = null;
            foreach (var a in _links)
            {
                if (a.Link.Neighbour == neighbour && (best == null || a.Link.Quality > best.Link.Quality))
                {
                    best = a;
                }
            }

            if (best == null)
            {
                DroppedNoLink++;
                return true;
            }

            if (!best.Link.TrySend(buffer, offset, length))
            {
                return false;
            }

            Count(best, buffer, offset, length);
            return true;
        }

        // Bytes per transport, and relays: packets whose routed source (header bytes 2..5) is another node.
        private void Count(MeshAttachment link, byte[] buffer, int offset, int length)
        {
            link.Counters.Sent(length);
            if (length >= RoutingLimits.HeaderBytes && Core.Protocol.NetworkOrder.ReadUInt32(buffer, offset + 2) != NodeId)
            {
                link.Counters.Relayed();
            }
        }

        void IRoutingListener.OnDelivered(PacketHeader header, byte[] buffer, int payloadOffset, int payloadLength)
        {
            if (payloadLength == 0)
            {
                return; // a greeting: it taught the router a route, nothing else
            }

            var handler = _handlers[buffer[payloadOffset]];
            if (handler == null)
            {
                UnknownKind++;
                return;
            }

            Delivered++;
            var delivery = new MeshDelivery(header.Source, header.HopsTaken + 1, buffer, payloadOffset, payloadLength, _arrivedOn, header.WantAck);
            Guard(() => handler.OnDelivered(delivery, this));
        }

        void IRoutingListener.OnDeliveryConfirmed(uint packetId)
        {
            Confirmed++;
            foreach (var s in _senders)
            {
                Guard(() => s.OnConfirmed(packetId));
            }
        }

        void IRoutingListener.OnDeliveryFailed(uint packetId)
        {
            Failed++;
            foreach (var s in _senders)
            {
                Guard(() => s.OnFailed(packetId));
            }
        }

        private bool IsNeighbour(uint node)
        {
            foreach (var a in _links)
            {
                if (a.Link.Neighbour == node)
                {
                    return true;
                }
            }

            return false;
        }

        private void Guard(Action call)
        {
            try
            {
                call();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One broken payload or handler bug must not stop the mesh.
                HandlerFailures++;
                LastFailure = e;
            }
        }
    }
}
