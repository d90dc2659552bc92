using AetherEdge.Core.Routing;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>PacketHeaderCodec.Parse (every relayed BLE packet). Property: a header that parses writes back to its 20 bytes.</summary>
    public sealed class RoutingHeaderTarget : FuzzTarget
    {
        public override string Name => "routing-header";

        public override string Source => "BLE mesh packets (network)";

        public override byte[][] Seeds()
        {
            var seeds = new List<byte[]>();
            foreach (var (wantAck, isAck, bulk, payload) in new[] { (true, false, false, 10), (false, true, false, 4), (false, false, true, 200), (false, false, false, 0) })
            {
                var h = new PacketHeader
                {
                    WantAck = wantAck,
                    IsAck = isAck,
                    Bulk = bulk,
                    HopLimit = 3,
                    HopStart = 5,
                    Source = 0x0A0B0C0D,
                    Destination = 0x01020304,
                    PacketId = 77,
                    NextHop = 0x11223344,
                    PayloadLength = payload,
                };
                var packet = new byte[RoutingLimits.HeaderBytes + payload];
                PacketHeaderCodec.TryWrite(h, packet, 0, out _);
                seeds.Add(packet);
            }

            return seeds.ToArray();
        }

        public override int[] LengthFieldOffsets(byte[] input) => new[] { 0, 1, 18 };

        public override bool Execute(byte[] input)
        {
            var header = new PacketHeader();
            PacketHeaderCodec.Parse(input, 0, input.Length, header);
            var back = new byte[RoutingLimits.HeaderBytes];
            FuzzPropertyException.Check(PacketHeaderCodec.TryWrite(header, back, 0, out _), "header does not write");
            FuzzPropertyException.Equal(input.AsSpan(0, RoutingLimits.HeaderBytes).ToArray(), back, "a parsed header does not write back to its bytes");
            FuzzPropertyException.Check(header.PayloadLength == input.Length - RoutingLimits.HeaderBytes, "payload length does not account for the packet");
            return true;
        }
    }
}
