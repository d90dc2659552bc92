using System.Globalization;

namespace System.Net
{
    /// <summary>An address prefix ("169.254.0.0/16"): what Makaretu.Dns.Multicast 0.27.0 needs of IPNetwork2 2.x.</summary>
    public sealed class IPNetwork
    {
        private readonly byte[] _prefix;

        private IPNetwork(byte[] prefix, int length)
        {
            _prefix = prefix;
            Cidr = (byte)length;
        }

        public byte Cidr { get; }

        public static IPNetwork Parse(string network)
        {
            string[] parts = network.Split('/');
            IPAddress address = IPAddress.Parse(parts[0]);
            int bits = address.GetAddressBytes().Length * 8;
            int length = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : bits;
            if (parts.Length > 2 || length < 0 || length > bits)
            {
                throw new ArgumentException("not a network: " + network, nameof(network));
            }

            return new IPNetwork(address.GetAddressBytes(), length);
        }

        public bool Contains(IPAddress address)
        {
            byte[] bytes = address.GetAddressBytes();
            if (bytes.Length != _prefix.Length)
            {
                return false;
            }

            for (int bit = 0; bit < Cidr; bit++)
            {
                int mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (_prefix[bit / 8] & mask))
                {
                    return false;
                }
            }

            return true;
        }

        public override string ToString() => new IPAddress(_prefix) + "/" + Cidr.ToString(CultureInfo.InvariantCulture);
    }
}
