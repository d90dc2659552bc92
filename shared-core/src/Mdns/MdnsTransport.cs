namespace AetherEdge.Core.Mdns
{
    /// <summary>Where the state machines hand packets for sending (the hub owns the sockets).</summary>
    public interface IMdnsSink
    {
        /// <summary>
        /// Sends <paramref name="length"/> bytes of <paramref name="buffer"/>; the buffer is reused after
        /// the call returns. <paramref name="unicastDestination"/> is null for the multicast group, otherwise
        /// the <see cref="MdnsSource.Token"/> of the packet being answered.
        /// </summary>
        void Send(byte[] buffer, int length, object? unicastDestination);
    }

    /// <summary>Where a received packet came from, as far as the state machines need to know.</summary>
    public sealed class MdnsSource
    {
        /// <summary>Describes a packet's origin.</summary>
        public MdnsSource(object? token, int port, bool unicastDestination)
            : this(token, port, unicastDestination, false)
        {
        }

        /// <summary>Describes a packet's origin; <paramref name="fromSelf"/> marks our own looped-back multicast.</summary>
        public MdnsSource(object? token, int port, bool unicastDestination, bool fromSelf)
            : this(token, token, port, unicastDestination, fromSelf)
        {
        }

        /// <summary>
        /// Describes a packet's origin; <paramref name="address"/> is the sender's address without its port,
        /// the key unicast replies are rate-limited by (a querier cannot gain budget by changing ports).
        /// </summary>
        public MdnsSource(object? token, object? address, int port, bool unicastDestination, bool fromSelf)
        {
            Token = token;
            Address = address;
            Port = port;
            UnicastDestination = unicastDestination;
            FromSelf = fromSelf;
        }

        /// <summary>Opaque sender address, passed back to <see cref="IMdnsSink.Send"/> for unicast replies.</summary>
        public object? Token { get; }

        /// <summary>The sender's address (no port): what unicast replies are rate-limited by.</summary>
        public object? Address { get; }

        /// <summary>Source UDP port; anything but 5353 is a legacy querier (§6.7).</summary>
        public int Port { get; }

        /// <summary>True when the packet was addressed to us by unicast, not to the group.</summary>
        public bool UnicastDestination { get; }

        /// <summary>
        /// True when the packet came from one of this host's own addresses (multicast loopback). Our own
        /// queries must not count as another host's for POOF or duplicate question suppression.
        /// </summary>
        public bool FromSelf { get; }

        /// <summary>True when the source port is not 5353.</summary>
        public bool IsLegacy
        {
            get { return Port != MdnsLimits.Port; }
        }
    }
}
