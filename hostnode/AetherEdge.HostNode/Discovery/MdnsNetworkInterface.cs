using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace AetherEdge.HostNode.Discovery
{
    /// <summary>One network interface mDNS runs on: its index, IPv4 address and IPv6 addresses.</summary>
    public sealed class MdnsNetworkInterface
    {
        private readonly IReadOnlyList<(IPAddress Address, int PrefixLength)> _prefixes;

        internal MdnsNetworkInterface(string name, int index, IPAddress? ipv4, IReadOnlyList<IPAddress> ipv6, IReadOnlyList<(IPAddress, int)>? prefixes = null)
        {
            Name = name;
            Index = index;
            Ipv4 = ipv4;
            Ipv6 = ipv6;
            _prefixes = prefixes ?? Array.Empty<(IPAddress, int)>();
        }

        public string Name { get; }

        public int Index { get; }

        public IPAddress? Ipv4 { get; }

        public IReadOnlyList<IPAddress> Ipv6 { get; }

        /// <summary>True when <paramref name="address"/> is one of this link's (our own looped-back packet); scope ids are ignored.</summary>
        public bool Holds(IPAddress address)
        {
            byte[] wanted = address.IsIPv4MappedToIPv6 ? address.MapToIPv4().GetAddressBytes() : address.GetAddressBytes();
            foreach (var a in Addresses)
            {
                if (a.GetAddressBytes().AsSpan().SequenceEqual(wanted))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// True when <paramref name="source"/> is on this link (§11): an IPv6 link-local address, or inside
        /// the subnet of one of the interface's addresses. Unicast mDNS from elsewhere is ignored.
        /// </summary>
        public bool IsOnLink(IPAddress source)
        {
            if (source.IsIPv4MappedToIPv6)
            {
                source = source.MapToIPv4();
            }

            if (source.IsIPv6LinkLocal)
            {
                return true;
            }

            byte[] s = source.GetAddressBytes();
            foreach (var (address, prefix) in _prefixes)
            {
                byte[] a = address.GetAddressBytes();
                if (a.Length == s.Length && SamePrefix(a, s, prefix))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool SamePrefix(byte[] a, byte[] b, int bits)
        {
            for (int i = 0; i < a.Length && bits > 0; i++, bits -= 8)
            {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((a[i] & mask) != (b[i] & mask))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>All addresses to advertise on this link (§6.2: this interface's only).</summary>
        public IEnumerable<IPAddress> Addresses => Ipv4 == null ? Ipv6 : Ipv6.Prepend(Ipv4);

        /// <summary>
        /// The interface holding <paramref name="wanted"/>, or every up, multicast-capable, non-loopback
        /// interface with an IPv4 address or an IPv6 link-local one (a Wi-Fi Direct group whose owner hands out no
        /// address has only that). Throws <see cref="ArgumentException"/> when none qualifies.
        /// </summary>
        public static IReadOnlyList<MdnsNetworkInterface> Select(IPAddress? wanted)
        {
            var result = new List<MdnsNetworkInterface>();
            foreach (var ni in NetworkInterface.GetAllNetworkInterfaces())
            {
                var props = ni.GetIPProperties();
                IPAddress? v4 = null;
                var v6 = new List<IPAddress>();
                var prefixes = new List<(IPAddress, int)>();
                bool holdsWanted = false;
                foreach (var u in props.UnicastAddresses)
                {
                    prefixes.Add((u.Address, u.PrefixLength));
                    if (u.Address.AddressFamily == AddressFamily.InterNetwork && v4 == null)
                    {
                        v4 = u.Address;
                    }
                    else if (u.Address.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        v6.Add(u.Address);
                    }

                    holdsWanted |= wanted != null && u.Address.Equals(wanted);
                }

                if (wanted != null)
                {
                    if (!holdsWanted)
                    {
                        continue;
                    }

                    if (wanted.AddressFamily == AddressFamily.InterNetwork)
                    {
                        v4 = wanted;
                    }
                }
                else if (ni.NetworkInterfaceType == NetworkInterfaceType.Loopback
                    || ni.OperationalStatus == OperationalStatus.Down
                    || !ni.SupportsMulticast
                    || (v4 == null && !v6.Any(a => a.IsIPv6LinkLocal))
                    || IsPort(ni.Name))
                {
                    continue;
                }

                int index = IndexOf(ni);
                if (index > 0)
                {
                    result.Add(new MdnsNetworkInterface(ni.Name, index, v4, v6, prefixes));
                }
            }

            if (result.Count == 0)
            {
                throw new ArgumentException(wanted == null
                    ? "no up, multicast-capable interface with an IPv4 or IPv6 link-local address"
                    : $"no interface has address {wanted}");
            }

            return result;
        }

        /// <summary>
        /// A bridge or bond port (Linux: it has a master): its traffic belongs to the master, which mDNS runs on; a
        /// port keeps an IPv6 link-local address, and answering from it would put a second, unreachable address on the link.
        /// </summary>
        private static bool IsPort(string name) => Directory.Exists(Path.Combine("/sys/class/net", name, "master"));

        private static int IndexOf(NetworkInterface ni)
        {
            var props = ni.GetIPProperties();
            try
            {
                return props.GetIPv4Properties().Index;
            }
            catch (NetworkInformationException)
            {
                return props.GetIPv6Properties().Index;
            }
        }
    }
}
