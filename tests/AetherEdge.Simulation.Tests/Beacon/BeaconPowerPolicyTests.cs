using AetherEdge.Core.Devices;
using AetherEdge.Core.Routing;
using AetherEdge.Firmware.Beacon;

namespace AetherEdge.Simulation.Tests.Beacon
{
    public class BeaconPowerPolicyTests
    {
        [Theory]
        [InlineData(31, false, true)]
        [InlineData(30, false, false)]
        [InlineData(5, true, true)]
        public void Update_FromFullCharge_AcceptsBulkByThreshold(int percent, bool plugged, bool expected)
        {
            var policy = new BeaconPowerPolicy();
            policy.Update(new BatteryStatus(percent, plugged));
            Assert.Equal(expected, policy.AcceptsBulk);
        }

        [Fact]
        public void Update_RecoveringCharge_ResumesOnlyAtHysteresisLevel()
        {
            var policy = new BeaconPowerPolicy();
            policy.Update(new BatteryStatus(25, false));
            policy.Update(new BatteryStatus(35, false));
            Assert.False(policy.AcceptsBulk);
            policy.Update(new BatteryStatus(BeaconPowerPolicy.ResumeBulkPercent, false));
            Assert.True(policy.AcceptsBulk);
        }

        [Fact]
        public void MayRelay_LowBattery_ControlOnly()
        {
            var policy = new BeaconPowerPolicy();
            policy.Update(new BatteryStatus(10, false));
            Assert.False(policy.MayRelay(new PacketHeader { Bulk = true }));
            Assert.True(policy.MayRelay(new PacketHeader { Bulk = false, IsAck = true }));
        }
    }
}
