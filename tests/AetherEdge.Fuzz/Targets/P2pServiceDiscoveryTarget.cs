using AetherEdge.Core.WifiDirect;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// ServiceDiscoveryTlv.DecodeResponse + AetherServiceRecord.Find (P2P-SERV-DISC-RESP TLVs sent by any radio
    /// peer). Property: the decoded entries encode to TLVs that decode to the same entries.
    /// </summary>
    public sealed class P2pServiceDiscoveryTarget : FuzzTarget
    {
        public override string Name => "p2p-service-discovery";

        public override string Source => "P2P service-discovery responses (radio peers)";

        public override byte[][] Seeds()
        {
            var ours = new AetherServiceRecord("aether-abcd1234", "ABCD1234-EFGH5678", "hub", 1_000_000, "1.0.0");
            var printer = new BonjourRecord("_ipp._tcp.local", BonjourRecord.TypePtr, ServiceDiscoveryTlv.EncodePtrRdata("Printer"));
            return new[]
            {
                ServiceDiscoveryTlv.EncodeResponse(new[] { ours.Ptr(), ours.Txt() }, 1),
                ServiceDiscoveryTlv.EncodeResponse(new[] { printer, ours.Txt() }, 7),
            };
        }

        public override int[] LengthFieldOffsets(byte[] input)
        {
            var offsets = new List<int>();
            int pos = 0;
            while (pos + 2 <= input.Length)
            {
                offsets.Add(pos);
                pos += 2 + (input[pos] | (input[pos + 1] << 8));
            }

            return offsets.ToArray();
        }

        public override bool Execute(byte[] input)
        {
            var records = ServiceDiscoveryTlv.DecodeResponse(input);
            AetherServiceRecord.Find(records);
            var again = ServiceDiscoveryTlv.DecodeResponse(ServiceDiscoveryTlv.EncodeResponse(records, 1));
            FuzzPropertyException.Check(again.Length == records.Length, "entry count changed on re-encoding");
            for (int i = 0; i < records.Length; i++)
            {
                FuzzPropertyException.Check(string.Equals(again[i].Name, records[i].Name, StringComparison.Ordinal) && again[i].Type == records[i].Type, "entry " + i + " changed");
                FuzzPropertyException.Equal(records[i].Rdata, again[i].Rdata, "rdata " + i);
            }

            return true;
        }
    }
}
