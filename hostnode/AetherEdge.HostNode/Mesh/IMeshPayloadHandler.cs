using AetherEdge.Core.Routing;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>How a handler sends: the router's originate call, from the router thread only.</summary>
    public interface IMeshOutbox
    {
        /// <summary>This node's router id.</summary>
        uint NodeId { get; }

        /// <summary>Now, in the router's milliseconds.</summary>
        long NowMilliseconds { get; }

        /// <summary>
        /// Originates a packet to <paramref name="destination"/> (a node id or <see cref="RoutingLimits.Broadcast"/>);
        /// <paramref name="payload"/> starts with its <see cref="MeshPayloadKind"/> byte. Reliable packets are
        /// acknowledged end to end and retransmitted (unicast only). False when it is too big or the router's
        /// queues are full (counted; the caller tries again on a later step).
        /// </summary>
        bool Send(uint destination, byte[] payload, int offset, int length, bool reliable);

        /// <summary>As <see cref="Send(uint, byte[], int, int, bool)"/>, and names the packet id the router's
        /// confirmation or failure will carry (<see cref="IMeshSender"/>).</summary>
        bool Send(uint destination, byte[] payload, int offset, int length, bool reliable, out uint packetId);

        /// <summary>The neighbours with a link up now.</summary>
        IReadOnlyList<uint> Neighbours { get; }

        /// <summary>The neighbour a packet for <paramref name="destination"/> goes through (learnt), or NoNode.</summary>
        uint RouteTo(uint destination);
    }

    /// <summary>
    /// An application that originates reliable traffic and must know its fate (the shard sender): stepped with
    /// the handlers, told when a packet it sent reliably was acknowledged end to end or given up on. Router thread.
    /// </summary>
    public interface IMeshSender
    {
        /// <summary>Runs on every router step (at least once a second).</summary>
        void OnStep(IMeshOutbox outbox);

        /// <summary>The reliable packet <paramref name="packetId"/> was acknowledged by its destination.</summary>
        void OnConfirmed(uint packetId);

        /// <summary>The reliable packet <paramref name="packetId"/> was never acknowledged (retransmissions spent).</summary>
        void OnFailed(uint packetId);
    }

    /// <summary>One routed packet delivered to this node (a broadcast or addressed here); the payload is lent for the call.</summary>
    public readonly struct MeshDelivery
    {
        public MeshDelivery(uint source, int hops, byte[] buffer, int offset, int length, MeshTransportCounters? arrivedOn = null, bool reliable = false)
        {
            ArrivedOn = arrivedOn;
            Reliable = reliable;
            Source = source;
            Hops = hops;
            Buffer = buffer;
            Offset = offset;
            Length = length;
        }

        /// <summary>The originating node.</summary>
        public uint Source { get; }

        /// <summary>Links crossed: 1 from a neighbour, 2 through one relay, ...</summary>
        public int Hops { get; }

        public byte[] Buffer { get; }

        /// <summary>Where the payload starts (its kind byte).</summary>
        public int Offset { get; }

        public int Length { get; }

        public byte Kind => Buffer[Offset];

        /// <summary>The packet asked for an end-to-end ack (a reliable send, which its router retransmits until acked).</summary>
        public bool Reliable { get; }

        /// <summary>The transport of the link the packet reached this node on (null outside a received packet).</summary>
        public MeshTransportCounters? ArrivedOn { get; }
    }

    /// <summary>
    /// An application on the mesh (knowledge, membership, shard envelopes, ...): gets the payloads of its
    /// <see cref="MeshPayloadKind"/>. Every call comes from the router thread, one at a time, so handlers
    /// need no locks for state only they touch; whatever other threads read must be published safely.
    /// Calls must not block (no I/O waits, no locks held by other threads for long).
    /// </summary>
    public interface IMeshPayloadHandler
    {
        /// <summary>The payload kind byte this handler takes.</summary>
        byte Kind { get; }

        /// <summary>A payload of <see cref="Kind"/> arrived.</summary>
        void OnDelivered(in MeshDelivery delivery, IMeshOutbox outbox);

        /// <summary>A link to <paramref name="neighbour"/> came up (after the router greeted it).</summary>
        void OnNeighbourUp(uint neighbour, IMeshOutbox outbox);

        /// <summary>Runs on every router step (at least once a second): timers, periodic announcements.</summary>
        void OnStep(IMeshOutbox outbox);
    }
}
