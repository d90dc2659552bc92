using AetherEdge.Core.Mdns;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// The whole receive path of an mDNS node (responder + browser, as the hub runs them): any datagram, from the
    /// multicast port or a legacy unicast port, then a few steps of the state machines. MdnsInterface counts and
    /// drops what does not parse, so nothing may escape at all.
    /// </summary>
    public sealed class MdnsNodeTarget : FuzzTarget
    {
        public override string Name => "mdns-node";

        public override string Source => "mDNS datagrams into responder + browser (network)";

        public override byte[][] Seeds() => MdnsSeeds.Capture();

        public override int[] LengthFieldOffsets(byte[] input) => new[] { 4, 6, 8, 10 };

        public override bool Execute(byte[] input)
        {
            var sink = new MdnsSeeds.Node();
            var node = MdnsSeeds.NewNode(sink, "fuzz node", "fuzzhost", 1);
            node.Responder!.Start(0);
            node.Browser!.Start(0);
            node.Step(3_000);
            int before = sink.SentCount;
            int port = input.Length % 3 == 0 ? 40_000 : MdnsLimits.Port;
            node.Receive(input, 0, input.Length, new MdnsSource(sink, port, input.Length % 2 == 0), 3_001);
            bool parsed = node.MalformedPackets == 0;
            for (long now = 3_010; now <= 4_500; now += 250)
            {
                node.Step(now);
            }

            // Bounded amplification: one datagram (plus 1.5 s of our own timers) never makes a burst.
            FuzzPropertyException.Check(sink.SentCount - before <= 16, "one datagram made the node send " + (sink.SentCount - before) + " packets");
            return parsed;
        }

        // MdnsInterface swallows parse errors itself: every exception is a crash.
        public override bool IsDocumentedRejection(Exception e) => false;
    }
}
