using System.Text;
using System.Text.Json;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Storage;
using AetherEdge.TestSupport.Dashboard;

namespace AetherEdge.HostNode.Tests.Dashboard
{
    /// <summary>The dashboard's routes on a real hub container (home, store, plan) with simulated peers.</summary>
    public sealed class DashboardApiTests : IDisposable
    {
        private readonly SimulatedKit _kit = new("api-hub");

        public void Dispose() => _kit.Dispose();

        private DashboardApi Api => _kit.Get<DashboardApi>();

        private string Secret => _kit.Get<DashboardSecret>().Text;

        private DashboardResponse Post(string json, string? secret, string? origin = "http://127.0.0.1:43217", string contentType = "application/json", string host = "127.0.0.1:43217") =>
            Api.Handle(new DashboardRequest("POST", DashboardApi.AllocationPath, host, origin, contentType, secret, Encoding.UTF8.GetBytes(json)));

        private DashboardResponse Get(string path, string host = "127.0.0.1:43217") =>
            Api.Handle(new DashboardRequest("GET", path, host, null, null, null, Array.Empty<byte>()));

        private static JsonElement Json(DashboardResponse r) => JsonDocument.Parse(r.Body).RootElement;

        [Fact]
        public void Page_IsEmbeddedWithAStrictContentPolicy_AndNeedsNothingFromOutside()
        {
            var page = Get("/");
            Assert.Equal(200, page.Status);
            string html = Encoding.UTF8.GetString(page.Body);
            Assert.Contains("/dashboard.js", html);
            Assert.DoesNotContain("http://", html);
            Assert.DoesNotContain("https://", html);
            Assert.StartsWith("default-src 'none'", page.Headers["Content-Security-Policy"]);
            Assert.Equal(200, Get("/dashboard.js").Status);
            Assert.Equal(200, Get("/dashboard.css").Status);
            Assert.Equal(404, Get("/secret").Status);
        }

        [Theory]
        [InlineData("evil.example:43217")]
        [InlineData("")]
        public void AnyRequest_HostNotAnAddressOrLocalhost_Refused(string host)
        {
            // DNS rebinding: a page on evil.example resolving its name to 127.0.0.1 still sends its own name.
            Assert.Equal(421, Get(DashboardApi.KitPath, host).Status);
        }

        [Theory]
        [InlineData("localhost:43217")]
        [InlineData("[::1]:43217")]
        [InlineData("192.168.4.1:43217")]
        public void Kit_HostIsAnAddressOrLocalhost_Served(string host) => Assert.Equal(200, Get(DashboardApi.KitPath, host).Status);

        [Fact]
        public void Kit_HubWithPeersAndFiles_ShowsDevicesFilesAndProtection()
        {
            _kit.AddPeer("desk-a", DeviceKind.Desktop);
            _kit.AddPeer("phone-b", DeviceKind.Mobile, 5_000_000_000, batteryPercent: 64, pluggedIn: false, hasBattery: true);
            _kit.AddPeer("hub-c", DeviceKind.Hub, 100_000_000_000);
            var ids = _kit.PutFiles(new[] { "photos/cat.jpg", "notes/field log.txt" });
            _kit.PlaceAsPlanned();

            var kit = Json(Get(DashboardApi.KitPath));
            var devices = kit.GetProperty("devices").EnumerateArray().ToList();
            Assert.Equal(4, devices.Count);
            Assert.True(devices[0].GetProperty("self").GetBoolean());
            var phone = devices.Single(d => d.GetProperty("name").GetString() == "phone-b");
            Assert.Equal("64 %", phone.GetProperty("battery").GetString());
            Assert.Equal("on battery", phone.GetProperty("power").GetString());
            Assert.Equal("mobile", phone.GetProperty("kind").GetString());
            var desk = devices.Single(d => d.GetProperty("name").GetString() == "desk-a");
            Assert.Equal("no battery", desk.GetProperty("battery").GetString());
            Assert.True(desk.GetProperty("online").GetBoolean());
            Assert.True(desk.GetProperty("shardsHeld").GetInt32() > 0);

            var files = kit.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(new[] { "notes/field log.txt", "photos/cat.jpg" }, files.Select(f => f.GetProperty("name").GetString()).OrderBy(n => n, StringComparer.Ordinal));
            foreach (var f in files)
            {
                Assert.Equal(15, f.GetProperty("placed").GetInt32());
                Assert.Equal(15, f.GetProperty("planned").GetInt32());
                Assert.Equal(15, f.GetProperty("available").GetInt32());
                Assert.True(f.GetProperty("survivesLosses").GetInt32() >= 1, f.ToString());
                Assert.Equal("protected", f.GetProperty("state").GetString());
            }

            Assert.Contains(ids[0], files.Select(f => f.GetProperty("id").GetString()));
        }

        [Fact]
        public void Kit_PeersLostShards_FileShownAtRiskThenUnreadable()
        {
            var a = _kit.AddPeer("a");
            var b = _kit.AddPeer("b");
            var file = _kit.PutFiles(new[] { "risky.bin" }, dataShards: 3, parityShards: 2)[0];
            _kit.PlaceAsPlanned();
            int before = Protection(file).GetProperty("survivesLosses").GetInt32();
            Assert.True(before >= 1);

            _kit.Lose(a, file);
            _kit.Get<KitView>().Invalidate();
            var risky = Protection(file);
            Assert.True(risky.GetProperty("survivesLosses").GetInt32() < before);

            _kit.Lose(b, file);
            foreach (var s in _kit.Get<ShardStore>().ListShards())
            {
                _kit.Get<ShardStore>().DeleteShard(s.Id);
            }

            _kit.Get<KitView>().Invalidate();
            Assert.Equal("unreadable", Protection(file).GetProperty("state").GetString());
        }

        private JsonElement Protection(string fileId) =>
            Json(Get(DashboardApi.KitPath)).GetProperty("files").EnumerateArray().Single(f => f.GetProperty("id").GetString() == fileId);

        [Fact]
        public void Kit_NeverContainsTheUserKeyOrTheSecret()
        {
            _kit.PutFiles(new[] { "a.txt" });
            string body = Encoding.UTF8.GetString(Get(DashboardApi.KitPath).Body);
            string key = Convert.ToHexStringLower(NodeHome.Open(_kit.Home).ReadUserKey());
            Assert.DoesNotContain(key, body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(NodeHome.Open(_kit.Home).ReadUserKey()), body);
            Assert.DoesNotContain(Secret, body);
        }

        [Fact]
        public void Allocation_InRange_SavedToConfigAndInEffectWithoutRestart()
        {
            var peer = _kit.AddPeer("desk");
            long wanted = StorageAllocation.MinAllocationBytes(DeviceKind.Hub) + 2_000_000_000;
            var r = Post("{\"allocation\": \"" + (wanted / 1_000_000_000) + " GB\"}", Secret);
            Assert.Equal(200, r.Status);
            Assert.True(Json(r).GetProperty("saved").GetBoolean());

            Assert.Equal(wanted, NodeHome.Open(_kit.Home).AllocationBytes);
            Assert.Equal(wanted, _kit.Get<LocalDevice>().AllocationBytes);
            Assert.Equal(wanted, _kit.Get<ShardStore>().AllocationBytes);
            string self = _kit.Get<LocalDevice>().Id.Text;
            Assert.Equal(wanted, _kit.Get<PlacementOracle>().Devices().Single(d => d.Id == self).AllocationBytes);
            Assert.Equal(wanted, _kit.Get<LocalDevice>().Hello(0).AllocationBytes);
            Assert.Equal(wanted, Json(Get(DashboardApi.KitPath)).GetProperty("settings").GetProperty("allocationBytes").GetInt64());
            GC.KeepAlive(peer);
        }

        [Theory]
        [InlineData("{\"allocation\": \"10 MB\"}", "out of range")]
        [InlineData("{\"allocationBytes\": 999999999999999999}", "out of range")]
        [InlineData("{\"allocation\": \"lots\"}", "is not a size")]
        public void Allocation_OutOfRangeOrNotASize_RefusedWithTheRangeAndNothingChanged(string body, string message)
        {
            long before = NodeHome.Open(_kit.Home).AllocationBytes;
            var r = Post(body, Secret);
            Assert.Equal(422, r.Status);
            var json = Json(r);
            Assert.False(json.GetProperty("saved").GetBoolean());
            Assert.Contains(message, json.GetProperty("error").GetString());
            if (message == "out of range")
            {
                Assert.Contains("hub on this disk takes 1 GB to", json.GetProperty("error").GetString());
            }

            Assert.Equal(before, NodeHome.Open(_kit.Home).AllocationBytes);
            Assert.Equal(before, _kit.Get<LocalDevice>().AllocationBytes);
        }

        [Theory]
        [InlineData(null, "http://127.0.0.1:43217", "application/json", 403)]
        [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "http://127.0.0.1:43217", "application/json", 403)]
        [InlineData("SECRET", "http://evil.example", "application/json", 403)]
        [InlineData("SECRET", "http://127.0.0.1:43217", "application/x-www-form-urlencoded", 415)]
        [InlineData("SECRET", "http://127.0.0.1:43217", "text/plain", 415)]
        public void Allocation_WithoutSecretOrFromAnotherSiteOrNotJson_Refused(string? secret, string origin, string contentType, int status)
        {
            long before = NodeHome.Open(_kit.Home).AllocationBytes;
            var r = Post("{\"allocation\": \"5 GB\"}", secret == "SECRET" ? Secret : secret, origin, contentType);
            Assert.Equal(status, r.Status);
            Assert.Equal(before, NodeHome.Open(_kit.Home).AllocationBytes);
        }

        [Fact]
        public void Allocation_BodyNotJsonOrTooBig_Refused()
        {
            Assert.Equal(400, Post("allocation=5GB", Secret).Status);
            Assert.Equal(413, Post("{\"allocation\": \"" + new string(' ', DashboardApi.MaxBodyBytes) + "5 GB\"}", Secret).Status);
            Assert.Equal(405, Get(DashboardApi.AllocationPath).Status);
        }

        [Fact]
        public void Secret_KeptInTheHomeOwnerOnly_AndTheSameAfterRestart()
        {
            string secret = Secret;
            string path = Path.Combine(_kit.Home, DashboardSecret.FileName);
            Assert.True(File.Exists(path));
            Assert.Equal(secret, File.ReadAllText(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            Assert.Equal(Secret, DashboardSecret.LoadOrCreate(_kit.Home).Text);
            Assert.Equal(Secret, DashboardSecret.TryLoad(_kit.Home)!.Text);
        }
    }
}
