using AetherEdge.Core.Devices;
using AetherEdge.Core.Gatt;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>BeaconAdvertisement.Parse (manufacturer data heard over BLE). Property: what parses writes back to its bytes.</summary>
    public sealed class BeaconAdvertisementTarget : FuzzTarget
    {
        public override string Name => "beacon-advertisement";

        public override string Source => "BLE advertisements (network)";

        public override byte[][] Seeds()
        {
            var seeds = new List<byte[]>();
            foreach (var (kind, battery, plugged, bulk) in new[] { (DeviceKind.Beacon, 80, false, true), (DeviceKind.Hub, 100, true, false), (DeviceKind.Mobile, 3, false, false) })
            {
                var ad = new BeaconAdvertisement { Kind = kind, NodeId = 0xA1B2C3D4, AllocationBytes = 256L << 20, BatteryPercent = battery, PluggedIn = plugged, AcceptsBulk = bulk };
                var bytes = new byte[BeaconAdvertisement.Length];
                FuzzPropertyException.Check(ad.TryWrite(bytes, 0, out _), "advertisement does not write");
                seeds.Add(bytes);
            }

            return seeds.ToArray();
        }

        public override bool Execute(byte[] input)
        {
            var ad = BeaconAdvertisement.Parse(input, 0, input.Length);
            var back = new byte[BeaconAdvertisement.Length];
            FuzzPropertyException.Check(ad.TryWrite(back, 0, out int written) && written == back.Length, "parsed advertisement does not write");
            FuzzPropertyException.Equal(input, back, "a parsed advertisement does not write back to its bytes");
            return true;
        }
    }
}
