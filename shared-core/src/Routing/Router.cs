namespace AetherEdge.Core.Routing
{
    using AetherEdge.Core.Abstractions;
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Bottom of the routing chain (Meshtastic-style: Router → DedupRouter → FloodingRouter →
    /// NextHopRouter → ReliableRouter, each adding one policy by overriding the hooks below).
    /// This layer only encodes, queues and delivers: it originates packets, parses what the radio
    /// hands it and delivers packets addressed to this node or broadcast. It never relays.
    /// Contract: hooks run synchronously inside <see cref="OnReceive"/>/<see cref="Step"/>; the
    /// received buffer is only valid during the call; nothing here allocates per packet.
    /// </summary>
    public class Router
    {
        private static readonly byte[] s_empty = new byte[0];
        private readonly PacketHeader _rx = new PacketHeader();
        private readonly PacketHeader _tx = new PacketHeader();
        private uint _nextPacketId;

        /// <summary>Creates the router; all buffers are allocated here.</summary>
        public Router(RouterConfig config, IMeshRadio radio, IRoutingListener listener, IRandomSource random)
        {
            Config = config;
            Radio = radio;
            Listener = listener;
            Random = random;
            Queue = new TransmitQueue(config.QueueSlots, config.MaxPacketBytes);
            _nextPacketId = config.FirstPacketId;
        }

        /// <summary>This node's address.</summary>
        public uint NodeId
        {
            get { return Config.NodeId; }
        }

        /// <summary>Packets handed to the radio (originated, relayed, acks).</summary>
        public long Transmissions { get; private set; }

        /// <summary>Packets that failed to parse.</summary>
        public long Malformed { get; private set; }

        /// <summary>The last parse error.</summary>
        public string LastError { get; private set; } = string.Empty;

        /// <summary>Packets delivered to the application.</summary>
        public long Delivered { get; private set; }

        /// <summary>Packets dropped because the transmit queue was full.</summary>
        public long QueueOverflows { get; protected set; }

        /// <summary>The next packet id this node will use (firmware persists a high-water mark of it).</summary>
        public uint NextPacketId
        {
            get { return _nextPacketId; }
        }

        /// <summary>Settings.</summary>
        protected RouterConfig Config { get; }

        /// <summary>Where packets go.</summary>
        protected IMeshRadio Radio { get; }

        /// <summary>Where deliveries are reported.</summary>
        protected IRoutingListener Listener { get; }

        /// <summary>Jitter source.</summary>
        protected IRandomSource Random { get; }

        /// <summary>Outgoing packets.</summary>
        protected TransmitQueue Queue { get; }

        /// <summary>
        /// Originates a packet to <paramref name="destination"/> (a node or <see cref="RoutingLimits.Broadcast"/>).
        /// Returns false (and sends nothing) when the payload is too big or the queue/pending table is full.
        /// </summary>
        public bool TrySend(uint destination, byte[] payload, int offset, int length, bool wantAck, bool bulk, long nowMs, out uint packetId)
        {
            packetId = 0;
            if (destination == RoutingLimits.NoNode || length < 0 || RoutingLimits.HeaderBytes + length > Queue.MaxPacketBytes)
            {
                return false;
            }

            int hops = Config.HopLimit < 0 ? 0 : (Config.HopLimit > RoutingLimits.MaxHopLimit ? RoutingLimits.MaxHopLimit : Config.HopLimit);
            _tx.WantAck = wantAck;
            _tx.IsAck = false;
            _tx.Bulk = bulk;
            _tx.HopLimit = hops;
            _tx.HopStart = hops;
            _tx.Source = NodeId;
            _tx.Destination = destination;
            _tx.PacketId = _nextPacketId;
            _tx.NextHop = destination == RoutingLimits.Broadcast ? RoutingLimits.NoNode : NextHopFor(destination, nowMs);
            _tx.PayloadLength = length;
            if (!OnOriginating(_tx, payload, offset, nowMs))
            {
                return false;
            }

            if (!Enqueue(_tx, payload, offset, nowMs, RoutingLimits.NoNode, false))
            {
                return false;
            }

            packetId = _nextPacketId;
            _nextPacketId++;
            OnOriginated(_tx, nowMs);
            return true;
        }

        /// <summary>
        /// Sends an empty broadcast with hop limit 0 (nobody relays it) so a new neighbour learns this
        /// node's id and a route to it. Firmware sends one on every new connection.
        /// </summary>
        public bool TrySendHello(long nowMs)
        {
            _tx.WantAck = false;
            _tx.IsAck = false;
            _tx.Bulk = false;
            _tx.HopLimit = 0;
            _tx.HopStart = 0;
            _tx.Source = NodeId;
            _tx.Destination = RoutingLimits.Broadcast;
            _tx.PacketId = _nextPacketId;
            _tx.NextHop = RoutingLimits.NoNode;
            _tx.PayloadLength = 0;
            if (!Enqueue(_tx, s_empty, 0, nowMs, RoutingLimits.NoNode, false))
            {
                return false;
            }

            _nextPacketId++;
            return true;
        }

        /// <summary>
        /// Handles one packet heard from <paramref name="fromNeighbour"/> with link quality
        /// 0..<see cref="RoutingLimits.MaxLinkQuality"/> (higher = stronger). Malformed packets are counted and dropped.
        /// </summary>
        public void OnReceive(uint fromNeighbour, int linkQuality, byte[] buffer, int offset, int length, long nowMs)
        {
            try
            {
                PacketHeaderCodec.Parse(buffer, offset, length, _rx);
            }
            catch (ProtocolViolationException e)
            {
                Malformed++;
                LastError = e.Message;
                return;
            }

            if (ShouldFilterReceived(_rx, fromNeighbour, nowMs))
            {
                return;
            }

            int payloadOffset = offset + RoutingLimits.HeaderBytes;
            SniffReceived(_rx, fromNeighbour, linkQuality, buffer, payloadOffset, nowMs);
            if (_rx.Destination == NodeId || _rx.Destination == RoutingLimits.Broadcast)
            {
                if (!ConsumeForMe(_rx, buffer, payloadOffset, nowMs))
                {
                    Delivered++;
                    Listener.OnDelivered(_rx, buffer, payloadOffset, _rx.PayloadLength);
                }
            }
        }

        /// <summary>Sends due packets; subclasses add their timers.</summary>
        public virtual void Step(long nowMs)
        {
            Transmissions += Queue.Flush(Radio, nowMs);
        }

        /// <summary>Earliest time <see cref="Step"/> has work (for event-driven drivers).</summary>
        public virtual long NextWakeup()
        {
            return Queue.NextDue();
        }

        /// <summary>
        /// Queues a packet (header + payload) for its next hop, or for every neighbour but
        /// <paramref name="exceptNeighbour"/> when it floods.
        /// </summary>
        protected bool Enqueue(PacketHeader header, byte[] payload, int payloadOffset, long dueMs, uint exceptNeighbour, bool cancellable)
        {
            uint neighbour = header.NextHop == RoutingLimits.NoNode ? RoutingLimits.Broadcast : header.NextHop;
            if (Queue.TryEnqueue(header, payload, payloadOffset, dueMs, neighbour, exceptNeighbour, cancellable))
            {
                return true;
            }

            QueueOverflows++;
            return false;
        }

        /// <summary>Allocates a packet id for a packet this layer builds itself (acks, retransmissions).</summary>
        protected uint TakePacketId()
        {
            return _nextPacketId++;
        }

        /// <summary>True drops the packet before any other processing. Base: drop echoes of own packets.</summary>
        protected virtual bool ShouldFilterReceived(PacketHeader header, uint fromNeighbour, long nowMs)
        {
            return header.Source == NodeId;
        }

        /// <summary>Sees every packet that passed the filter (relay, learn routes). Base: nothing.</summary>
        protected virtual void SniffReceived(PacketHeader header, uint fromNeighbour, int linkQuality, byte[] buffer, int payloadOffset, long nowMs)
        {
        }

        /// <summary>True when a packet for this node was protocol traffic (an ack) and not for the application.</summary>
        protected virtual bool ConsumeForMe(PacketHeader header, byte[] buffer, int payloadOffset, long nowMs)
        {
            return false;
        }

        /// <summary>Neighbour to send a new packet for <paramref name="destination"/> through, or NoNode to flood.</summary>
        protected virtual uint NextHopFor(uint destination, long nowMs)
        {
            return RoutingLimits.NoNode;
        }

        /// <summary>Called before a new packet is queued; false refuses it.</summary>
        protected virtual bool OnOriginating(PacketHeader header, byte[] payload, int payloadOffset, long nowMs)
        {
            return true;
        }

        /// <summary>Called after a new packet was queued.</summary>
        protected virtual void OnOriginated(PacketHeader header, long nowMs)
        {
        }
    }
}
