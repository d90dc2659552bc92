using System.Globalization;
using System.Text.Json;
using AetherEdge.Simulation;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// A real `aether hub` (BLE on a private dbus-daemon, bluetoothd and the radio simulated) hears a simulated
    /// beacon running the firmware's own logic and fuel-gauge path; `aether peers` on the same home lists it with
    /// transport, hops, age and the battery the beacon's gauge read, and the dashboard's snapshot carries it.
    /// </summary>
    public sealed class PeersBeaconTests : IDisposable
    {
        private const uint BeaconId = 0x0B0000C1;
        private readonly HubRuns _runs = new("aether-peers-ble-");

        public void Dispose() => _runs.Dispose();

        [Fact]
        public async Task Peers_ListsTheBeaconTheHubHeard_WithItsGaugeReading()
        {
            using var bus = new PrivateBus();
            var gauge = new SimulatedFuelGauge();
            gauge.SetCharge(25, rateLsb: -12);
            using var beacon = new SimulatedBeacon(BeaconId, gauge: gauge);
            (SimulatedBluez bluez, _) = await beacon.ServeAsync(bus.Address);
            using var bluezOwner = bluez;

            string home = _runs.Home("hub");
            Assert.Equal(0, CliRunner.Run("init", "--home", home, "--name", "hub", "--kind", "hub").Code);
            int http = LoopbackKit.FreePort();
            File.WriteAllText(Path.Combine(home, "hub.json"),
                "{\"bluetoothBus\":" + JsonSerializer.Serialize(bus.Address) + ",\"httpPort\":" + http.ToString(CultureInfo.InvariantCulture) + "}");
            _ = _runs.Start(TimeSpan.FromSeconds(120), "hub", "--home", home, "--port", LoopbackKit.FreePort().ToString(CultureInfo.InvariantCulture),
                "--interface", "127.0.0.1", "--no-mdns");

            string Peers() => CliRunner.Run("peers", "--home", home, "--timeout", "0.1", "--interface", "127.0.0.1").Out;
            Assert.True(await HubRuns.Eventually(() => Peers().Contains(" 0b0000c1 ", StringComparison.Ordinal), 45), Peers() + "\n" + _runs.Logs);
            string line = Peers().Split('\n').Single(l => l.Contains(" 0b0000c1 ", StringComparison.Ordinal));
            Assert.Contains("beacon", line);
            Assert.Contains("25 %", line);
            Assert.Contains("on battery, not relaying shards", line);
            Assert.Contains("ble", line);

            var run = CliRunner.Run("peers", "--home", home, "--timeout", "0.1", "--interface", "127.0.0.1", "--json");
            Assert.True(run.Code == 0, run.Err);
            using var doc = JsonDocument.Parse(run.Out);
            var entry = doc.RootElement.EnumerateArray().Single(e => e.TryGetProperty("source", out var s) && s.GetString() == "hub");
            Assert.Equal("0b0000c1", entry.GetProperty("id").GetString());
            Assert.Equal(1, entry.GetProperty("hops").GetInt32());
            Assert.Equal("25 %", entry.GetProperty("battery").GetString());
            Assert.True(entry.GetProperty("ageSeconds").GetDouble() >= 0);

            using var client = new HttpClient();
            using var kit = JsonDocument.Parse(await client.GetStringAsync("http://127.0.0.1:" + http + "/api/kit")); // the dashboard's
            var row = kit.RootElement.GetProperty("beacons").EnumerateArray().Single();
            Assert.Equal(("0b0000c1", "25 %", false), (row.GetProperty("nodeId").GetString(), row.GetProperty("battery").GetString(), row.GetProperty("acceptsBulk").GetBoolean()));
        }

        [Fact]
        public void Peers_NoHubRunning_SaysWhereTheBeaconsWouldComeFrom()
        {
            string home = _runs.Home("quiet");
            Assert.Equal(0, CliRunner.Run("init", "--home", home, "--name", "quiet").Code);
            var run = CliRunner.Run("peers", "--home", home, "--timeout", "0.1", "--interface", "127.0.0.1");
            Assert.Equal(0, run.Code);
            Assert.Contains("listed by a running `aether hub` (no hub is running on " + home + ")", run.Out);
        }
    }
}
