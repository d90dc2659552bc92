using System.Globalization;
using AetherEdge.HostNode.Power;
using CsCheck;

namespace AetherEdge.HostNode.Tests.Power
{
    public class SysfsBatterySourceTests
    {
        private static (bool Ok, BatteryReading Reading, string Log) Read(FakeSysfsTree tree)
        {
            var log = new StringWriter();
            var source = new SysfsBatterySource(tree.Root, log);
            bool ok = source.TryRead(out BatteryReading reading);
            return (ok, reading, log.ToString());
        }

        [Fact]
        public void TryRead_LaptopDischarging_BatteryPercentUnplugged()
        {
            using var tree = new FakeSysfsTree()
                .Supply("AC", ("type", "Mains"), ("online", "0"))
                .Supply("BAT0", ("type", "Battery"), ("capacity", "87"), ("status", "Discharging"), ("present", "1"));

            var (ok, reading, log) = Read(tree);

            Assert.True(ok);
            Assert.Equal(87, reading.Status.Percent);
            Assert.False(reading.Status.PluggedIn);
            Assert.Equal("battery BAT0 87 % discharging", reading.Source);
            Assert.Equal(string.Empty, log);
        }

        [Fact]
        public void TryRead_LaptopOnAc_PluggedInAndNamesAdapter()
        {
            using var tree = new FakeSysfsTree()
                .Supply("AC", ("type", "Mains"), ("online", "1"))
                .Supply("BAT0", ("type", "Battery"), ("capacity", "42"), ("status", "Charging"));

            var (ok, reading, _) = Read(tree);

            Assert.True(ok);
            Assert.Equal(42, reading.Status.Percent);
            Assert.True(reading.Status.PluggedIn);
            Assert.Equal("battery BAT0 42 % charging, mains AC online", reading.Source);
        }

        [Theory]
        [InlineData("Full", true)]
        [InlineData("Not charging", true)]
        [InlineData("Charging", true)]
        [InlineData("Discharging", false)]
        [InlineData("Unknown", false)]
        public void TryRead_NoAdapterFile_PluggedInFollowsBatteryStatus(string status, bool pluggedIn)
        {
            using var tree = new FakeSysfsTree().Supply("BAT1", ("type", "Battery"), ("capacity", "100"), ("status", status));
            var (ok, reading, _) = Read(tree);
            Assert.True(ok);
            Assert.Equal(pluggedIn, reading.Status.PluggedIn);
        }

        [Fact]
        public void TryRead_MainsOnly_Mains100()
        {
            using var tree = new FakeSysfsTree().Supply("AC", ("type", "Mains"), ("online", "1"));
            var (ok, reading, _) = Read(tree);
            Assert.True(ok);
            Assert.Equal(100, reading.Status.Percent);
            Assert.True(reading.Status.PluggedIn);
            Assert.Equal("mains AC", reading.Source);
        }

        [Fact]
        public void TryRead_UsbSupplyOnly_UsbDescribed()
        {
            using var tree = new FakeSysfsTree().Supply("usb0", ("type", "USB_PD"), ("online", "2"));
            var (ok, reading, _) = Read(tree);
            Assert.True(ok);
            Assert.Equal("usb usb0", reading.Source);
            Assert.True(reading.Status.PluggedIn);
        }

        [Fact]
        public void TryRead_EmptyOrMissingRoot_FalseAndMissingRootLogged()
        {
            using var tree = new FakeSysfsTree();
            Assert.False(Read(tree).Ok);

            var log = new StringWriter();
            var missing = new SysfsBatterySource(Path.Combine(tree.Root, "nope"), log);
            Assert.False(missing.TryRead(out _));
            Assert.Contains("does not exist", log.ToString());
        }

        [Fact]
        public void TryRead_TwoBatteries_MeanCapacity()
        {
            using var tree = new FakeSysfsTree()
                .Supply("BAT0", ("type", "Battery"), ("capacity", "80"), ("status", "Discharging"))
                .Supply("BAT1", ("type", "Battery"), ("capacity", "41"), ("status", "Discharging"));
            var (_, reading, _) = Read(tree);
            Assert.Equal(61, reading.Status.Percent); // 60.5 rounds away from zero
            Assert.StartsWith("battery BAT0+BAT1 61 %", reading.Source);
        }

        [Fact]
        public void TryRead_PeripheralBatteryAndAbsentBattery_Ignored()
        {
            using var tree = new FakeSysfsTree()
                .Supply("hidpp_battery_0", ("type", "Battery"), ("scope", "Device"), ("capacity", "5"), ("status", "Discharging"))
                .Supply("BAT0", ("type", "Battery"), ("present", "0"), ("capacity", "0"))
                .Supply("AC", ("type", "Mains"), ("online", "1"));
            var (ok, reading, _) = Read(tree);
            Assert.True(ok);
            Assert.Equal("mains AC", reading.Source);
            Assert.Equal(100, reading.Status.Percent);
        }

        [Fact]
        public void TryRead_GarbageCapacity_LoggedAndBatterySkipped()
        {
            using var tree = new FakeSysfsTree()
                .Supply("BAT0", ("type", "Battery"), ("capacity", "eighty\u0001"), ("status", "Discharging"))
                .Supply("AC", ("type", "Mains"), ("online", "1"));
            var (ok, reading, log) = Read(tree);
            Assert.True(ok);
            Assert.Equal("mains AC", reading.Source);
            Assert.Contains(tree.PathOf("BAT0", "capacity") + ": 'eighty?' is not a number", log);
            Assert.Contains("battery without a usable capacity", log);
        }

        [Theory]
        [InlineData("150", 100)]
        [InlineData("-3", 0)]
        public void TryRead_OutOfRangeCapacity_ClampedAndLogged(string capacity, int expected)
        {
            using var tree = new FakeSysfsTree().Supply("BAT0", ("type", "Battery"), ("capacity", capacity), ("status", "Discharging"));
            var (ok, reading, log) = Read(tree);
            Assert.True(ok);
            Assert.Equal(expected, reading.Status.Percent);
            Assert.Contains("is outside 0..100; using " + expected, log);
        }

        [Fact]
        public void TryRead_NoCapacityFile_UsesEnergyRatio()
        {
            using var tree = new FakeSysfsTree().Supply("BAT0", ("type", "Battery"), ("energy_now", "30000000"), ("energy_full", "40000000"), ("status", "Discharging"));
            Assert.Equal(75, Read(tree).Reading.Status.Percent);
        }

        [Fact]
        public void TryRead_ZeroFullCharge_LoggedNotDivided()
        {
            using var tree = new FakeSysfsTree().Supply("BAT0", ("type", "Battery"), ("charge_now", "100"), ("charge_full", "0"));
            var (ok, _, log) = Read(tree);
            Assert.False(ok);
            Assert.Contains("not a usable ratio", log);
        }

        [Fact]
        public void TryRead_UnknownTypeAndStatus_Logged()
        {
            using var tree = new FakeSysfsTree()
                .Supply("weird", ("type", "Toaster"))
                .Supply("notype")
                .Supply("BAT0", ("type", "Battery"), ("capacity", "50"), ("status", "Exploding"));
            var (ok, reading, log) = Read(tree);
            Assert.True(ok);
            Assert.Equal("battery BAT0 50 % status unknown", reading.Source);
            Assert.Contains("unrecognised value 'Toaster'", log);
            Assert.Contains(tree.PathOf("notype", "type") + ": missing", log);
            Assert.Contains("unrecognised value 'Exploding'", log);
        }

        [Fact]
        public void TryRead_UnreadableAttribute_Logged()
        {
            using var tree = new FakeSysfsTree().Supply("AC", ("type", "Mains"));
            Directory.CreateDirectory(tree.PathOf("AC", "online")); // opening a directory as a file fails with an I/O error
            var (ok, reading, log) = Read(tree);
            Assert.True(ok);
            Assert.Equal("mains AC", reading.Source);
            Assert.Contains(tree.PathOf("AC", "online") + ": unreadable", log);
        }

        [Fact]
        public void TryRead_RepeatedProblem_LoggedOnce()
        {
            using var tree = new FakeSysfsTree().Supply("BAT0", ("type", "Battery"), ("capacity", "x"));
            var log = new StringWriter();
            var source = new SysfsBatterySource(tree.Root, log);
            source.TryRead(out _);
            source.TryRead(out _);
            Assert.Single(log.ToString().Split("\n", StringSplitOptions.RemoveEmptyEntries), l => l.Contains("is not a number"));
        }
    }

    public class SysfsBatterySourceFuzzTests
    {
        private static readonly string[] s_types = { "Battery", "UPS", "Mains", "USB", "USB_C", "Wireless", "Toaster", "", "battery" };
        private static readonly string[] s_statuses = { "Charging", "Discharging", "Full", "Not charging", "Unknown", "", "charging" };

        [Fact]
        public void TryRead_ArbitraryAttributeContents_NeverThrowsAndStaysInRange()
        {
            var gen = Gen.Select(
                Gen.OneOfConst(s_types),
                Gen.OneOf(Gen.Int[-1000, 1000].Select(i => i.ToString(CultureInfo.InvariantCulture)), Gen.String),
                Gen.OneOfConst(s_statuses),
                Gen.OneOf(Gen.Int[-3, 3].Select(i => i.ToString(CultureInfo.InvariantCulture)), Gen.String));
            using var tree = new FakeSysfsTree();
            int round = 0;
            gen.Sample((type, capacity, status, online) =>
            {
                string name = "PS" + round++;
                tree.Supply(name, ("type", type), ("capacity", capacity), ("status", status), ("online", online));
                var log = new StringWriter();
                bool ok = new SysfsBatterySource(tree.Root, log).TryRead(out BatteryReading reading);
                if (ok)
                {
                    Assert.InRange(reading.Status.Percent, 0, 100);
                    Assert.False(string.IsNullOrWhiteSpace(reading.Source));
                }

                Directory.Delete(Path.Combine(tree.Root, name), recursive: true);
            }, iter: 200);
        }
    }
}
