using System.Net;
using System.Net.Sockets;
using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.HostNode.Discovery
{
    public sealed partial class MdnsService
    {
        /// <summary>One interface: the core state plus the sink that sends on that link.</summary>
        private sealed class Nic : IMdnsSink, IMdnsResponderListener, IMdnsBrowserListener
        {
            private readonly MdnsService _owner;

            public Nic(MdnsService owner, MdnsNetworkInterface link)
            {
                _owner = owner;
                Link = link;
                var options = owner._options;
                var type = DnsName.Parse(options.ServiceType);
                MdnsResponder? responder = null;
                if (options.Advertise is { } ad)
                {
                    var addresses = link.Addresses.Select(a => a.GetAddressBytes()).ToArray();
                    var description = new MdnsServiceDescription(ad.InstanceName, type, ad.HostLabel, ad.Port, ad.Txt, addresses);
                    responder = new MdnsResponder(description, this, owner._random, this);
                }

                MdnsBrowser? browser = options.Browse ? new MdnsBrowser(type, this, owner._random, this) : null;
                Core = new MdnsInterface(responder, browser);
            }

            public MdnsNetworkInterface Link { get; set; }

            public MdnsInterface Core { get; }

            public void Send(byte[] buffer, int length, object? unicastDestination)
            {
                var data = new ReadOnlySpan<byte>(buffer, 0, length);
                try
                {
                    if (unicastDestination is IPEndPoint ep)
                    {
                        var s = ep.AddressFamily == AddressFamily.InterNetworkV6 ? _owner._v6 : _owner._v4;
                        s?.SendTo(data, ep);
                        return;
                    }

                    if (_owner._v4 is { } v4 && Link.Ipv4 != null)
                    {
                        v4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, Link.Ipv4.GetAddressBytes());
                        v4.SendTo(data, new IPEndPoint(Group4, MdnsLimits.Port));
                    }
                }
                catch (SocketException)
                {
                    // A link going down or a full send queue loses this packet; mDNS retries by design.
                }

                try
                {
                    if (unicastDestination == null && _owner._v6 is { } v6)
                    {
                        v6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, Link.Index);
                        v6.SendTo(data, new IPEndPoint(new IPAddress(Group6.GetAddressBytes(), Link.Index), MdnsLimits.Port));
                    }
                }
                catch (SocketException)
                {
                    // IPv6 not ready on this link yet (duplicate address detection); IPv4 carried it.
                }
            }

            public void NameClaimed(string instanceLabel, string hostLabel) =>
                _owner.NameClaimed?.Invoke(instanceLabel, Link.Name);

            public void NameConflict(MdnsNameKind kind, string oldLabel, string newLabel)
            {
                _owner._options.Metrics.NameConflict();
                _owner.NameConflict?.Invoke(kind, ConflictName(kind, oldLabel), ConflictName(kind, newLabel));
            }

            public void ServiceResolved(MdnsServiceInstance service, bool isNew)
            {
                if (isNew)
                {
                    _owner._options.Metrics.PeerDiscovered(DiscoveryMetrics.ProtocolMdns);
                }

                _owner.PeerResolved?.Invoke(PeerInfo.From(service, Link.Name, Link.Index), isNew);
            }

            public void ServiceLost(MdnsServiceInstance service)
            {
                _owner._options.Metrics.PeerLost(DiscoveryMetrics.ProtocolMdns);
                _owner.PeerLost?.Invoke(PeerInfo.From(service, Link.Name, Link.Index));
            }
        }
    }
}
