using AetherEdge.Core.Devices;
using AetherEdge.Core.Gatt;
using AetherEdge.Core.Protocol;
using AetherEdge.Core.Relay;
using CsCheck;

namespace AetherEdge.Core.Tests.Gatt
{
    public class BeaconAdvertisementTests
    {
        [Fact]
        public void Advertisement_RoundTrips()
        {
            Gen.Select(Gen.Int[0, 4], Gen.UInt, Gen.Long[0, 1L << 40], Gen.Int[0, 100], Gen.Bool, Gen.Bool)
                .Sample((kind, node, allocation, battery, plugged, bulk) =>
                {
                    var ad = new BeaconAdvertisement
                    {
                        Kind = (DeviceKind)kind,
                        NodeId = node,
                        AllocationBytes = allocation,
                        BatteryPercent = battery,
                        PluggedIn = plugged,
                        AcceptsBulk = bulk,
                    };
                    var buffer = new byte[BeaconAdvertisement.Length];
                    Assert.True(ad.TryWrite(buffer, 0, out int written));
                    var back = BeaconAdvertisement.Parse(buffer, 0, written);
                    Assert.Equal((ad.Kind, ad.NodeId, allocation / (1024 * 1024) * 1024 * 1024, battery, plugged, bulk),
                        (back.Kind, back.NodeId, back.AllocationBytes, back.BatteryPercent, back.PluggedIn, back.AcceptsBulk));
                });
        }

        [Fact]
        public void NoBattery_RoundTrips_UnknownFlagRefused()
        {
            var buffer = new byte[BeaconAdvertisement.Length];
            new BeaconAdvertisement { Kind = DeviceKind.Beacon, BatteryPercent = 100, PluggedIn = true, NoBattery = true }.TryWrite(buffer, 0, out _);
            Assert.Equal(BeaconAdvertisement.FlagNoBattery, buffer[13]);
            Assert.True(BeaconAdvertisement.Parse(buffer, 0, buffer.Length).NoBattery);
            buffer[13] = 0x04;
            var e = Assert.Throws<ProtocolViolationException>(() => BeaconAdvertisement.Parse(buffer, 0, buffer.Length));
            Assert.Contains("reserved flag bits", e.Message);
        }

        [Fact]
        public void Advertisement_FitsScanResponse()
        {
            // 31-byte scan response: 2-byte AD header (length, 0xFF) + manufacturer data.
            Assert.True(2 + BeaconAdvertisement.Length <= 31);
            Assert.Equal(new byte[] { 0xFF, 0xFF, 1, 4 }, Encode(new BeaconAdvertisement { Kind = DeviceKind.Beacon }).AsSpan(0, 4).ToArray());
        }

        [Fact]
        public void Parse_RandomBytes_OnlyProtocolViolation()
        {
            Gen.Byte.Array[0, 20].Sample(bytes =>
            {
                try
                {
                    BeaconAdvertisement.Parse(bytes, 0, bytes.Length);
                }
                catch (ProtocolViolationException)
                {
                }
            }, iter: 20000);
        }

        [Fact]
        public void Parse_BatteryOver100_NamesProblem()
        {
            byte[] bytes = Encode(new BeaconAdvertisement { BatteryPercent = 50 });
            bytes[12] = 101;
            Assert.Contains("battery 101", Assert.Throws<ProtocolViolationException>(() => BeaconAdvertisement.Parse(bytes, 0, bytes.Length)).Message);
        }

        [Fact]
        public void ShardEnvelope_RoundTripsAndRejectsGarbage()
        {
            var id = new byte[32];
            id[0] = 7;
            var shard = new byte[] { 1, 2, 3 };
            var buffer = new byte[40];
            Assert.True(ShardEnvelope.TryWrite(id, shard, 0, 3, buffer, 0, out int written));
            Assert.Equal(36, written);
            Assert.Equal(33, ShardEnvelope.Parse(buffer, 0, written));
            Assert.False(ShardEnvelope.TryWrite(id, shard, 0, 3, new byte[35], 0, out _));
            Gen.Byte.Array[0, 50].Sample(bytes =>
            {
                try
                {
                    ShardEnvelope.Parse(bytes, 0, bytes.Length);
                }
                catch (ProtocolViolationException)
                {
                }
            });
        }

        private static byte[] Encode(BeaconAdvertisement ad)
        {
            var buffer = new byte[BeaconAdvertisement.Length];
            ad.TryWrite(buffer, 0, out _);
            return buffer;
        }
    }
}
