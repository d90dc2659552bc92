using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// `MeshShardPush` in a real `aether hub`: a device the hub reaches only through beacons (simulated radio, the
    /// firmware's logic; here a hub-kind device with room, so plans give it shards) cannot sync, so the hub sends it
    /// the shards its plan gives it, sealed, through the beacons; each is counted `sent` on the device's receipt.
    /// The hub restarted (new objects on the same home, nothing remembered of what it sent): it asks the device
    /// which planned shards it holds before sending any, so no byte of a held shard crosses again, and the one
    /// shard the device lost in the meantime is sent again.
    /// </summary>
    public sealed class MeshShardPushTests : IDisposable
    {
        private readonly HubRuns _runs = new("aether-blepush-");

        [Fact]
        public async Task BleOnlyDevice_GetsItsPlannedShardsThroughTheBeacons_AfterAHubRestartOnlyTheShardItLostIsSentAgain()
        {
            string home = _runs.Home("a");
            Assert.Equal(0, CliRunner.Run("init", "--home", home, "--name", "hub-a", "--kind", "hub").Code);
            string original = Path.Combine(_runs.Root, "file.bin");
            File.WriteAllBytes(original, RandomNumberGenerator.GetBytes(120_000));
            var put = CliRunner.Run("put", original, "--home", home, "--json", "--data-shards", "8", "--parity-shards", "4");
            Assert.True(put.Code == 0, put.Err);
            string fileId = Regex.Match(put.Out, "\"fileId\":\"([0-9a-f]+)\"").Groups[1].Value;
            string[] shardIds;
            using (var store = ShardStore.Open(home, 1L << 30))
            {
                shardIds = ShardManifest.ReadUnverified(store.TryGetManifest(fileId)!)!.ShardIds;
            }

            using var bus = new PrivateBus();
            using var radio = new SimulatedRadio();
            using var b1 = new SimulatedBeacon(0x0B000021);
            using var b2 = new SimulatedBeacon(0x0B000022);
            (SimulatedBluez bluez, _) = await b2.ServeAsync(bus.Address);
            using var bluezOwner = bluez;
            radio.Connect(b1, b2);
            await using var device = new SimulatedPhone(Path.Combine(_runs.Root, "far"), kind: DeviceKind.Hub, allocation: 1L << 30);
            device.Connect(b1, radio);
            Assert.Equal(0, CliRunner.Run("trust", "add", device.Identity.DeviceId.Text, "--name", "far", "--home", home).Code);
            File.WriteAllText(Path.Combine(home, HubSettings.HubFileName), "{\"bluetoothBus\":\"" + bus.Address + "\"}");
            int http = LoopbackKit.FreePort();
            var hub = _runs.Start(TimeSpan.FromMinutes(4), "hub", "--home", home, "--port", LoopbackKit.FreePort().ToString(CultureInfo.InvariantCulture),
                "--http-port", http.ToString(CultureInfo.InvariantCulture), "--interface", "127.0.0.1", "--no-mdns", "--sync-interval", "1");
            device.Trust(_runs.Id("a"));

            // The plan over the hub and the device gives the device shards; only the push can bring them. Settled: the
            // same shards delivered across a push pass (the plan may still move while the hub learns the device).
            bool Delivered() => device.Received.Shards.Count >= 1
                && FieldKitBleTests.Metric(http, "mesh_shard_transfers_total", "result=\"sent\"") == device.Received.Shards.Count
                && FieldKitBleTests.Metric(http, "mesh_shard_pushed_total", "") == device.Received.Shards.Count;
            int planned = 0;
            for (int pass = 0; pass < 10 && planned == 0; pass++)
            {
                Assert.True(await HubRuns.Eventually(Delivered, 120), "no shard pushed: received " + device.Received.Shards.Count + "\n" + FieldKitBleTests.Scrape(http) + _runs.Logs);
                int count = device.Received.Shards.Count;
                await Task.Delay(TimeSpan.FromSeconds(6)); // one more push pass (every 5 s)
                planned = Delivered() && device.Received.Shards.Count == count ? count : 0;
            }

            foreach (var (id, bytes) in device.Received.Shards)
            {
                Assert.Contains(id, shardIds);
                Assert.Equal(id, ShardId.Of(bytes));
            }

            Assert.True(device.Received.Shards.Count < shardIds.Length, "the plan keeps some shards on the hub");

            // Nothing is pushed twice: the receipts made them done. Each was offered first, and wanted.
            Assert.True(planned >= 2, "the plan gives the device fewer than two shards, or never settled: the restart would prove little");
            Assert.Equal(planned, FieldKitBleTests.Metric(http, "mesh_shard_pushed_total", ""));
            Assert.Equal(planned, FieldKitBleTests.Metric(http, "mesh_shard_offers_total", "result=\"wanted\""));

            // The hub restarts; meanwhile the device lost one of its shards.
            double packetsBefore = FieldKitBleTests.Metric(http, "mesh_shard_packets_sent_total", "");
            await _runs.StopAsync(hub);
            string lost = device.Received.Shards.Keys.Order(StringComparer.Ordinal).First();
            Assert.True(device.Received.Shards.TryRemove(lost, out byte[]? lostBytes));
            http = LoopbackKit.FreePort();
            _ = _runs.Start(TimeSpan.FromMinutes(3), "hub", "--home", home, "--port", LoopbackKit.FreePort().ToString(CultureInfo.InvariantCulture),
                "--http-port", http.ToString(CultureInfo.InvariantCulture), "--interface", "127.0.0.1", "--no-mdns", "--sync-interval", "1");

            // Only the lost shard's bytes cross again; the others are answered held, and no byte of them is sent.
            Assert.True(await HubRuns.Eventually(() => device.Received.Shards.ContainsKey(lost)
                && FieldKitBleTests.Metric(http, "mesh_shard_transfers_total", "result=\"sent\"") == 1
                && FieldKitBleTests.Metric(http, "mesh_shard_offers_total", "result=\"held\"") == planned - 1, 120),
                "after the restart: " + FieldKitBleTests.Scrape(http) + _runs.Logs);
            Assert.Equal(lostBytes, device.Received.Shards[lost]);
            Assert.Equal(1, FieldKitBleTests.Metric(http, "mesh_shard_pushed_total", ""));
            Assert.Equal(1, FieldKitBleTests.Metric(http, "mesh_shard_offers_total", "result=\"wanted\""));
            int lostPieces = lostBytes!.Length <= 4096 ? 1 : (lostBytes.Length + 4095) / 4096;
            Assert.Equal(lostPieces, FieldKitBleTests.Metric(http, "mesh_shard_packets_sent_total", "")); // shard bytes: the lost shard's only
            Console.WriteLine($"push after restart: {planned} planned shards, {planned - 1} answered held, shard packets sent {packetsBefore} before the restart, {lostPieces} after");
            string offers = FieldKitBleTests.Scrape(http);
            Assert.True(planned == FieldKitBleTests.Metric(http, "mesh_shard_offered_total", ""), planned + " planned\n" + offers);
        }

        public void Dispose() => _runs.Dispose();
    }
}
