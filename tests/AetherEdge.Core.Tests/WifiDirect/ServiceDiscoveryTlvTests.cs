using AetherEdge.Core.Protocol;
using AetherEdge.Core.Scheduling;
using AetherEdge.Core.WifiDirect;
using static AetherEdge.Core.Tests.Allocation.Devices;

namespace AetherEdge.Core.Tests.WifiDirect
{
    public class ServiceDiscoveryTlvTests
    {
        private static AetherServiceRecord Sample() => new("aether-abcd1234", "ABCD1234-EFGH5678", "hub", 20_000_000_000, "1.2.3");

        [Fact]
        public void AllBonjourRequest_IsTheReadmeP2pExample() =>
            Assert.Equal("02000101", Hex.Encode(ServiceDiscoveryTlv.AllBonjourRequest(1)));

        [Fact]
        public void PtrQuery_UsesTheDictionaryPointerForTcpLocal_AsReadmeP2pShows()
        {
            // README-P2P's AFP example query is 0b"_afpovertcp" c00c 000c 01.
            Assert.Equal("0b5f6166706f766572746370c00c000c01", Hex.Encode(ServiceDiscoveryTlv.EncodeQuery("_afpovertcp._tcp.local", BonjourRecord.TypePtr)));
            Assert.Equal("0c5f6165746865726c69676874c00c000c01", Hex.Encode(ServiceDiscoveryTlv.EncodeQuery("_aetherlight._tcp.local", BonjourRecord.TypePtr)));
        }

        [Fact]
        public void OurService_EncodedAsResponse_DecodesBackToTheSameTxt()
        {
            var ours = Sample();
            byte[] tlvs = ServiceDiscoveryTlv.EncodeResponse(new[] { ours.Ptr(), ours.Txt() }, 1);
            var records = ServiceDiscoveryTlv.DecodeResponse(tlvs);
            Assert.Equal(2, records.Length);
            Assert.Equal("_aetherlight._tcp.local", records[0].Name);
            Assert.Equal("aether-abcd1234._aetherlight._tcp.local", ServiceDiscoveryTlv.DecodeRdataName(records[0].Rdata, records[0].Name));
            var found = AetherServiceRecord.Find(records);
            Assert.NotNull(found);
            Assert.Equal("ABCD1234-EFGH5678", found!.NodeId);
            Assert.Equal("hub", found.DeviceType);
            Assert.Equal(20_000_000_000, found.StorageBytes);
            Assert.Equal("1.2.3", found.Version);
            Assert.Equal("aether-abcd1234", found.InstanceLabel);
        }

        [Fact]
        public void OtherServicesAndFailedStatuses_AreSkipped_OursStillFound()
        {
            var printer = new BonjourRecord("_ipp._tcp.local", BonjourRecord.TypePtr, ServiceDiscoveryTlv.EncodePtrRdata("MyPrinter"));
            byte[] tlvs = ServiceDiscoveryTlv.EncodeResponse(new[] { printer, Sample().Txt() }, 3);
            byte[] failed = { 3, 0, 2, 3, 1 }; // UPnP, status 1 (protocol not available)
            byte[] all = failed.Concat(tlvs).ToArray();
            Assert.Equal("ABCD1234-EFGH5678", AetherServiceRecord.Find(ServiceDiscoveryTlv.DecodeResponse(all))!.NodeId);
            Assert.Null(AetherServiceRecord.Find(ServiceDiscoveryTlv.DecodeResponse(ServiceDiscoveryTlv.EncodeResponse(new[] { printer }, 1))));
        }

        [Theory]
        [InlineData("0b00")]
        [InlineData("ff00010100")]
        [InlineData("0600010100c0ff000c01")]
        [InlineData("070001010040aa000c01")]
        public void TruncatedOrBadNames_AreRefused(string hex) =>
            Assert.Throws<ProtocolViolationException>(() => ServiceDiscoveryTlv.DecodeResponse(Hex.Decode(hex)));

        [Fact]
        public void TooManyTlvs_AreRefused()
        {
            var one = ServiceDiscoveryTlv.EncodeResponse(new[] { Sample().Ptr() }, 1);
            var many = Enumerable.Repeat(one, WifiDirectLimits.MaxServiceTlvs + 1).SelectMany(b => b).ToArray();
            Assert.Throws<ProtocolViolationException>(() => ServiceDiscoveryTlv.DecodeResponse(many));
        }

        [Theory]
        [InlineData("0")]
        [InlineData("0g")]
        [InlineData("abc")]
        public void Hex_OddLengthOrNonHex_IsRefused(string bad) => Assert.Throws<ProtocolViolationException>(() => Hex.Decode(bad));
    }

    public class GroupOwnerIntentTests
    {
        [Fact]
        public void HubsAndDesktops_High_ButNever15()
        {
            Assert.Equal(14, GroupOwnerIntent.For(Hub("h"), out var d));
            Assert.Equal(SyncDecision.Allowed, d);
            Assert.Equal(14, GroupOwnerIntent.For(Desktop(), out _));
        }

        [Theory]
        [InlineData(40, false, -1, SyncDecision.SkippedBattery)]
        [InlineData(50, false, -1, SyncDecision.SkippedBattery)]
        [InlineData(51, false, GroupOwnerIntent.LaptopBattery, SyncDecision.Allowed)]
        [InlineData(10, true, GroupOwnerIntent.LaptopPlugged, SyncDecision.Allowed)]
        public void Laptop_PluggedOrAbove50(int battery, bool plugged, int intent, SyncDecision decision)
        {
            Assert.Equal(intent, GroupOwnerIntent.For(Laptop(battery: battery, plugged: plugged), out var d));
            Assert.Equal(decision, d);
        }

        [Fact]
        public void Phone_OnlyPluggedIn_EvenAt100Percent()
        {
            Assert.Equal(-1, GroupOwnerIntent.For(Phone(battery: 100), out var d));
            Assert.Equal(SyncDecision.SkippedBattery, d);
            Assert.Equal(GroupOwnerIntent.Phone, GroupOwnerIntent.For(Phone(battery: 5, plugged: true), out _));
        }

        [Fact]
        public void Beacon_HasNoWifiDirect()
        {
            Assert.Equal(-1, GroupOwnerIntent.For(Beacon("b"), out var d));
            Assert.Equal(SyncDecision.SkippedNetwork, d);
        }
    }
}
