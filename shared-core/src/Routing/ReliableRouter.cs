namespace AetherEdge.Core.Routing
{
    using System;
    using AetherEdge.Core.Abstractions;
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Layer 4: reliable delivery. The destination of a want-ack packet answers with an ack packet
    /// (routed back through the route it just learned). The originator keeps a copy and retransmits
    /// after a timeout, at most <see cref="RoutingLimits.MaxRetransmissions"/> times, each retransmission
    /// under a fresh packet id (so relays' dedup windows do not swallow it) and as a flood (the learned
    /// route may be what failed). On a shared medium, hearing the first hop relay our packet is an
    /// implicit ack for that hop (the wait switches to the end-to-end timeout); for a broadcast it
    /// completes the send. Listeners hear the original packet id.
    /// </summary>
    public class ReliableRouter : NextHopRouter
    {
        private readonly Pending[] _pending;
        private readonly PacketHeader _ack = new PacketHeader();
        private readonly PacketHeader _retry = new PacketHeader();
        private readonly byte[] _ackPayload = new byte[RoutingLimits.AckPayloadBytes];

        /// <summary>Creates the router.</summary>
        public ReliableRouter(RouterConfig config, IMeshRadio radio, IRoutingListener listener, IRandomSource random)
            : base(config, radio, listener, random)
        {
            int slots = config.PendingSlots < 1 ? 1 : (config.PendingSlots > RoutingLimits.MaxPendingReliable ? RoutingLimits.MaxPendingReliable : config.PendingSlots);
            _pending = new Pending[slots];
            for (int i = 0; i < _pending.Length; i++)
            {
                _pending[i] = new Pending(config.MaxPacketBytes);
            }
        }

        /// <summary>Retransmissions sent.</summary>
        public long Retransmissions { get; private set; }

        /// <summary>Acks sent as a destination.</summary>
        public long AcksSent { get; private set; }

        /// <summary>Reliable sends still waiting for an ack.</summary>
        public int PendingCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _pending.Length; i++)
                {
                    if (_pending[i].Active)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        /// <inheritdoc/>
        public override void Step(long nowMs)
        {
            for (int i = 0; i < _pending.Length; i++)
            {
                Pending p = _pending[i];
                if (!p.Active || nowMs < p.Deadline)
                {
                    continue;
                }

                ForgetRoute(p.Destination);
                if (p.Attempts > RoutingLimits.MaxRetransmissions)
                {
                    p.Active = false;
                    Listener.OnDeliveryFailed(p.Ids[0]);
                    continue;
                }

                _retry.WantAck = true;
                _retry.IsAck = false;
                _retry.Bulk = p.Bulk;
                _retry.HopLimit = p.HopStart;
                _retry.HopStart = p.HopStart;
                _retry.Source = NodeId;
                _retry.Destination = p.Destination;
                _retry.PacketId = TakePacketId();
                _retry.NextHop = RoutingLimits.NoNode;
                _retry.PayloadLength = p.Length;
                if (Enqueue(_retry, p.Payload, 0, nowMs, RoutingLimits.NoNode, false))
                {
                    p.Ids[p.Attempts] = _retry.PacketId;
                    p.Attempts++;
                    p.FirstHopHeard = false;
                    p.Deadline = nowMs + FirstWait();
                    Retransmissions++;
                }
                else
                {
                    p.Deadline = nowMs + RoutingLimits.FirstHopTimeoutMilliseconds;
                }
            }

            base.Step(nowMs);
        }

        /// <inheritdoc/>
        public override long NextWakeup()
        {
            long next = base.NextWakeup();
            for (int i = 0; i < _pending.Length; i++)
            {
                if (_pending[i].Active && _pending[i].Deadline < next)
                {
                    next = _pending[i].Deadline;
                }
            }

            return next;
        }

        /// <inheritdoc/>
        protected override bool OnOriginating(PacketHeader header, byte[] payload, int payloadOffset, long nowMs)
        {
            if (!header.WantAck)
            {
                return base.OnOriginating(header, payload, payloadOffset, nowMs);
            }

            for (int i = 0; i < _pending.Length; i++)
            {
                Pending p = _pending[i];
                if (!p.Active)
                {
                    Array.Copy(payload, payloadOffset, p.Payload, 0, header.PayloadLength);
                    p.Length = header.PayloadLength;
                    p.Destination = header.Destination;
                    p.Bulk = header.Bulk;
                    p.HopStart = header.HopStart;
                    p.Ids[0] = header.PacketId;
                    p.Attempts = 1;
                    p.FirstHopHeard = false;
                    p.Deadline = nowMs + FirstWait();
                    p.Active = true;
                    return base.OnOriginating(header, payload, payloadOffset, nowMs);
                }
            }

            return false;
        }

        /// <inheritdoc/>
        protected override void OnDuplicate(PacketHeader header, uint fromNeighbour, long nowMs)
        {
            base.OnDuplicate(header, fromNeighbour, nowMs);
            if (header.Source != NodeId || header.HopsTaken == 0)
            {
                return;
            }

            Pending? p = FindById(header.PacketId);
            if (p == null || p.FirstHopHeard)
            {
                return;
            }

            p.FirstHopHeard = true;
            if (p.Destination == RoutingLimits.Broadcast)
            {
                p.Active = false;
                Listener.OnDeliveryConfirmed(p.Ids[0]);
            }
            else
            {
                p.Deadline = nowMs + Config.AckTimeoutMilliseconds;
            }
        }

        /// <inheritdoc/>
        protected override bool ConsumeForMe(PacketHeader header, byte[] buffer, int payloadOffset, long nowMs)
        {
            if (header.IsAck)
            {
                if (header.Destination == NodeId)
                {
                    Pending? p = FindById(NetworkOrder.ReadUInt32(buffer, payloadOffset));
                    if (p != null)
                    {
                        p.Active = false;
                        Listener.OnDeliveryConfirmed(p.Ids[0]);
                    }
                }

                return true;
            }

            if (header.WantAck && header.Destination == NodeId)
            {
                SendAck(header, nowMs);
            }

            return base.ConsumeForMe(header, buffer, payloadOffset, nowMs);
        }

        private void SendAck(PacketHeader received, long nowMs)
        {
            int hops = Config.HopLimit > RoutingLimits.MaxHopLimit ? RoutingLimits.MaxHopLimit : Config.HopLimit;
            NetworkOrder.WriteUInt32(_ackPayload, 0, received.PacketId);
            _ack.WantAck = false;
            _ack.IsAck = true;
            _ack.Bulk = false;
            _ack.HopLimit = hops;
            _ack.HopStart = hops;
            _ack.Source = NodeId;
            _ack.Destination = received.Source;
            _ack.PacketId = TakePacketId();
            _ack.NextHop = NextHopFor(received.Source, nowMs);
            _ack.PayloadLength = RoutingLimits.AckPayloadBytes;
            if (Enqueue(_ack, _ackPayload, 0, nowMs, RoutingLimits.NoNode, false))
            {
                AcksSent++;
            }
        }

        private long FirstWait()
        {
            return Config.OverhearsNeighbours ? RoutingLimits.FirstHopTimeoutMilliseconds : Config.AckTimeoutMilliseconds;
        }

        private Pending? FindById(uint packetId)
        {
            for (int i = 0; i < _pending.Length; i++)
            {
                Pending p = _pending[i];
                if (!p.Active)
                {
                    continue;
                }

                for (int a = 0; a < p.Attempts; a++)
                {
                    if (p.Ids[a] == packetId)
                    {
                        return p;
                    }
                }
            }

            return null;
        }

        private sealed class Pending
        {
            public readonly byte[] Payload;
            public readonly uint[] Ids = new uint[RoutingLimits.MaxRetransmissions + 1];
            public bool Active;
            public bool Bulk;
            public bool FirstHopHeard;
            public int Length;
            public int HopStart;
            public int Attempts;
            public uint Destination;
            public long Deadline;

            public Pending(int maxPacketBytes)
            {
                Payload = new byte[maxPacketBytes];
            }
        }
    }
}
