using AetherEdge.Core.Dns;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// DnsMessage.Parse (every mDNS datagram) and TxtProperties.Parse (every TXT record in it). Property: what
    /// parses writes back, and the written form parses and writes to the same bytes (the writer's output is a
    /// fixed point, so nothing parsed is lost or invented on the way).
    /// </summary>
    public sealed class DnsMessageTarget : FuzzTarget
    {
        private readonly byte[] _first = new byte[DnsLimits.MaxMessageLength];
        private readonly byte[] _second = new byte[DnsLimits.MaxMessageLength];

        public override string Name => "dns-message";

        public override string Source => "mDNS datagrams (network)";

        public override byte[][] Seeds() => MdnsSeeds.Capture();

        // Header counts (QD, AN, NS, AR).
        public override int[] LengthFieldOffsets(byte[] input) => new[] { 4, 6, 8, 10 };

        public override bool Execute(byte[] input)
        {
            var message = DnsMessage.Parse(input, 0, input.Length);
            foreach (var section in new[] { message.Answers, message.Authorities, message.Additionals })
            {
                foreach (DnsRecord record in section)
                {
                    if (record.TxtStrings != null)
                    {
                        try
                        {
                            TxtProperties.Parse(record.TxtStrings);
                        }
                        catch (AetherEdge.Core.Protocol.ProtocolViolationException)
                        {
                            // A bad TXT entry is the TXT parser's documented rejection; the message itself parsed.
                        }
                    }
                }
            }

            if (!message.TryWrite(_first, 0, _first.Length, out int written))
            {
                // Parsed but over 9000 bytes when written back (our writer compresses less than some senders): fine.
                return true;
            }

            var again = DnsMessage.Parse(_first, 0, written);
            FuzzPropertyException.Check(again.TryWrite(_second, 0, _second.Length, out int rewritten), "a written message does not write again");
            FuzzPropertyException.Equal(_first.AsSpan(0, written).ToArray(), _second.AsSpan(0, rewritten).ToArray(), "write(parse(write(parse(x)))) differs from write(parse(x))");
            return true;
        }
    }
}
