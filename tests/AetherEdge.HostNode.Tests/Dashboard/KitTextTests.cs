using AetherEdge.HostNode.Dashboard;

namespace AetherEdge.HostNode.Tests.Dashboard
{
    /// <summary>The terminal renderer of the dashboard's snapshot, on hand-made rows.</summary>
    public sealed class KitTextTests
    {
        private static readonly DateTimeOffset s_now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

        private static FileRow File(string name, string state, int survives, int placed = 15, int planned = 15, bool repairing = false, int available = 15) =>
            new("f-" + name, name, 3_000_000, s_now.AddHours(-1), 10, 15, placed, planned, available, survives, repairing, state);

        [Theory]
        [InlineData("protected", 2, false, "survives 2 device losses · 15/15 placed")]
        [InlineData("protected", 1, true, "survives 1 device loss · 15/15 placed · repairing")]
        [InlineData("at risk", 0, false, "AT RISK: survives no device loss · 15/15 placed")]
        [InlineData("checking", 3, false, "checking (peers' inventories pending) · 15/15 placed")]
        public void Protection_EachState_OneLine(string state, int survives, bool repairing, string expected) =>
            Assert.Equal(expected, KitText.Protection(File("a", state, survives, repairing: repairing)));

        [Fact]
        public void Protection_Unreadable_SaysHowManyShardsAreReachable() =>
            Assert.Equal("UNREADABLE now: 7 of 10 needed shards reachable", KitText.Protection(File("a", "unreadable", -1, available: 7)));

        [Fact]
        public void Protection_PlanPlacesFewerThanAll_SaysSo() =>
            Assert.Equal("survives 1 device loss · 9/12 placed (15 shards, plan places 12)", KitText.Protection(File("a", "protected", 1, placed: 9, planned: 12)));

        [Fact]
        public void WriteFiles_AtRiskAndUnreadableFirst_Marked()
        {
            var kit = new KitSnapshot(s_now, "1", Array.Empty<DeviceRow>(),
                new[] { File("safe.txt", "protected", 2), File("risky.txt", "at risk", 0), File("gone.txt", "unreadable", -1, available: 3) }, Settings(), Array.Empty<BeaconRow>());
            var o = new StringWriter();
            KitText.WriteFiles(o, kit);
            string[] lines = o.ToString().TrimEnd().Split('\n');
            Assert.Equal("FILES: 3 files, 2 AT RISK", lines[0]);
            Assert.StartsWith("! risky.txt", lines[2]);
            Assert.StartsWith("! gone.txt", lines[3]);
            Assert.StartsWith("  safe.txt", lines[4]);
        }

        [Fact]
        public void WriteDevices_NoBatteryNeverAPercent_UnknownShownAsUnknown_SkipReasonListed()
        {
            var self = new DeviceRow("ID1", "field-hub", "hub", true, true, 0, new[] { "this hub" }, "no battery", "plugged in (ac)", 10_000_000_000, 1_000_000, 9_999_000_000, 40, s_now.AddSeconds(-30), "battery low and not plugged in", 0);
            var far = new DeviceRow("ID2", "far-c", "unknown", false, false, 7200, new[] { "via mesh, 2 hops through desk-a" }, null, null, null, null, null, null, null, null, 2);
            var o = new StringWriter();
            var beacon = new BeaconRow("0a1b2c3d", "AA:BB:CC:DD:EE:FF", "ridge-beacon", "beacon", "ble", 1, 4, false, "31 %", "on battery", false, 2_000_000, -71);
            KitText.WriteDevices(o, new KitSnapshot(s_now, "1", new[] { self, far }, Array.Empty<FileRow>(), Settings(), new[] { beacon }));
            string text = o.ToString();
            string[] lines = text.Split('\n');
            Assert.Equal("KIT: 2 devices, 1 online", lines[0]);
            Assert.Contains("no battery, plugged in (ac)", lines[2]);
            Assert.Contains("30 s ago", lines[2]);
            Assert.Contains("2 h ago", lines[3]);
            Assert.Contains("via mesh, 2 hops through desk-a", lines[3]);
            Assert.DoesNotContain("%", lines[3]);
            Assert.Contains("field-hub: last sync skipped: battery low and not plugged in", text);
            string beaconLine = Assert.Single(lines, l => l.Contains("ridge-beacon"));
            Assert.Contains("31 %, on battery, not relaying shards", beaconLine);
            Assert.Contains("ble, 1 hop (-71 dBm)", beaconLine);
        }

        private static StorageSettingsView Settings() => new("field-hub", "hub", 100_000_000_000, 50_000_000_000, 10_000_000_000, 1_000_000_000, 50_000_000_000, 1_000_000, 10_000_000_000, 0);
    }
}
