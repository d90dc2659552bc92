using System.Text.Json;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Tests.Storage;

namespace AetherEdge.HostNode.Tests.Shards
{
    public sealed class ShardCliTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "aesy-cli-" + Guid.NewGuid().ToString("N"));
        private readonly string _home;

        public ShardCliTests()
        {
            Directory.CreateDirectory(_dir);
            _home = Path.Combine(_dir, "home");
        }

        public void Dispose() => Directory.Delete(_dir, true);

        [Fact]
        public void Init_WritesConfigAndPrivateUserKey()
        {
            var (code, output, err) = CliRunner.Run("init", "--home", _home, "--kind", "beacon", "--allocation", "64MB", "--name", "kit-1", "--json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            Assert.Equal(64_000_000, doc.RootElement.GetProperty("allocationBytes").GetInt64());

            var home = NodeHome.Open(_home);
            Assert.Equal("kit-1", home.Config.NodeName);
            Assert.Equal(DeviceKind.Beacon, home.Kind);
            Assert.Equal(NodeHome.DefaultPort, home.Config.Port);
            Assert.Equal(32, home.ReadUserKey().Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_home, NodeHome.UserKeyFileName)));
            }

            Assert.True(File.Exists(Path.Combine(_home, "index.db")));
        }

        [Fact]
        public void Init_HubDefaults_FollowStorageAllocationForThisDisk()
        {
            var (code, _, err) = CliRunner.Run("init", "--home", _home);
            long total = NodeHome.TotalCapacityBytes(_dir);
            string? expectedError = StorageAllocation.ValidationError(DeviceKind.Hub, StorageAllocation.HubDefaultBytes, total);
            if (expectedError == null)
            {
                Assert.True(code == 0, err);
                Assert.Equal(StorageAllocation.HubDefaultBytes, NodeHome.Open(_home).AllocationBytes);
                Assert.Equal("hub", NodeHome.Open(_home).Config.Kind);
            }
            else
            {
                Assert.Equal(2, code);
                Assert.Contains(expectedError, err);
            }
        }

        [Theory]
        [InlineData("--kind toaster")]
        [InlineData("--kind beacon --allocation 1MB")]
        [InlineData("--kind beacon --allocation lots")]
        [InlineData("--kind hub --allocation 100TB")]
        [InlineData("--kind beacon --colour red")]
        public void Init_BadInput_OneLineExit2(string options)
        {
            AssertUsageError(CliRunner.Run(new[] { "init", "--home", _home }.Concat(options.Split(' ')).ToArray()));
            Assert.False(File.Exists(Path.Combine(_home, NodeHome.ConfigFileName)));
        }

        [Fact]
        public void Init_Twice_RefusedKeepingTheKey()
        {
            Init();
            byte[] key = File.ReadAllBytes(Path.Combine(_home, NodeHome.UserKeyFileName));
            var r = CliRunner.Run("init", "--home", _home, "--kind", "beacon", "--allocation", "32MB");
            AssertUsageError(r);
            Assert.Contains("already initialised", r.Err);
            Assert.Equal(key, File.ReadAllBytes(Path.Combine(_home, NodeHome.UserKeyFileName)));
        }

        [Fact]
        public void PutGetStatus_Json_RoundTripAndAccounting()
        {
            Init();
            string input = WriteFile("a.bin", 3_000_000);
            var (code, output, err) = CliRunner.Run("put", input, "--home", _home, "--json");
            Assert.True(code == 0, err);
            using var put = JsonDocument.Parse(output);
            string fileId = put.RootElement.GetProperty("fileId").GetString()!;
            Assert.Equal(15, put.RootElement.GetProperty("shards").GetInt32());
            Assert.Equal(3_000_000, put.RootElement.GetProperty("bytes").GetInt64());
            long stored = put.RootElement.GetProperty("storedBytes").GetInt64();

            string outPath = Path.Combine(_dir, "a.out");
            var get = CliRunner.Run("get", fileId, "--home", _home, "-o", outPath);
            Assert.True(get.Code == 0, get.Err);
            Assert.True(TempStore.SameContent(input, outPath));

            var status = CliRunner.Run("status", "--home", _home, "--json");
            Assert.Equal(0, status.Code);
            using var s = JsonDocument.Parse(status.Out);
            Assert.Equal(64_000_000, s.RootElement.GetProperty("allocationBytes").GetInt64());
            Assert.Equal(stored, s.RootElement.GetProperty("usedBytes").GetInt64());
            Assert.Equal(64_000_000 - stored, s.RootElement.GetProperty("availableBytes").GetInt64());
            Assert.Equal(Math.Round(stored * 100.0 / 64_000_000, 2), s.RootElement.GetProperty("utilizationPercent").GetDouble());
            Assert.Equal(15, s.RootElement.GetProperty("shards").GetInt32());
            Assert.Equal(1, s.RootElement.GetProperty("files").GetInt32());
        }

        [Fact]
        public void Put_CustomShardCounts_HumanLineStartsWithFileId()
        {
            Init();
            var (code, output, err) = CliRunner.Run("put", WriteFile("b.bin", 1000), "--home", _home, "--data-shards", "3", "--parity-shards", "2");
            Assert.True(code == 0, err);
            string fileId = output.Split(' ')[0];
            Assert.Matches("^[0-9a-f]{32}$", fileId);
            Assert.Contains("5 shards", output);
            Assert.Equal(0, CliRunner.Run("get", fileId, "--home", _home, "-o", Path.Combine(_dir, "b.out")).Code);
        }

        [Fact]
        public void Put_BadInput_OneLineExit2()
        {
            string file = WriteFile("c.bin", 10);
            AssertUsageError(CliRunner.Run("put", file, "--home", Path.Combine(_dir, "nohome")));
            Init();
            AssertUsageError(CliRunner.Run("put", Path.Combine(_dir, "missing.bin"), "--home", _home));
            AssertUsageError(CliRunner.Run("put", _dir, "--home", _home));
            AssertUsageError(CliRunner.Run("put", "--home", _home));
            AssertUsageError(CliRunner.Run("put", file, "--home", _home, "--data-shards", "0"));
            AssertUsageError(CliRunner.Run("put", file, "--home", _home, "--parity-shards", "x"));
            var tooMany = CliRunner.Run("put", file, "--home", _home, "--data-shards", "200", "--parity-shards", "56");
            AssertUsageError(tooMany);
            Assert.Contains("at most 255", tooMany.Err);
            AssertUsageError(CliRunner.Run("put", file, "--home", _home, "--shards", "3"));
            Assert.Equal(0, Status().GetProperty("shards").GetInt32());
        }

        [Fact]
        public void Get_BadInput_OneLineExit2AndNoOutput()
        {
            Init();
            string outPath = Path.Combine(_dir, "o.bin");
            AssertUsageError(CliRunner.Run("get", "nothex", "--home", _home, "-o", outPath));
            // A well-formed id held nowhere here: peers are asked first, so it is a runtime failure (exit 1) naming --peers.
            var unknown = CliRunner.Run("get", "0123456789abcdef0123456789abcdef", "--home", _home, "-o", outPath);
            Assert.Equal(1, unknown.Code);
            Assert.Single(unknown.Err.Trim().Split('\n'));
            Assert.Contains("unknown file id", unknown.Err);
            Assert.Contains("--peers", unknown.Err);
            AssertUsageError(CliRunner.Run("get", "0123456789abcdef0123456789abcdef", "--home", _home));
            AssertUsageError(CliRunner.Run("get", "0123456789abcdef0123456789abcdef", "--home", _home, "-o", Path.Combine(_dir, "no", "dir", "o")));
            AssertUsageError(CliRunner.Run("get", "0123456789abcdef0123456789abcdef", "--home", Path.Combine(_dir, "nohome"), "-o", outPath));
            Assert.False(File.Exists(outPath));
        }

        [Fact]
        public void Put_OverQuota_RefusedExit1NothingStored()
        {
            CliRunner.Run("init", "--home", _home, "--kind", "beacon", "--allocation", "16MB");
            var (code, _, err) = CliRunner.Run("put", WriteFile("big.bin", 12_000_000), "--home", _home, "--json");
            Assert.Equal(1, code);
            Assert.StartsWith("aether put: quota exceeded: need 18 MB (18000", err);
            Assert.Contains("available 16 MB (16000000 bytes) of 16 MB (16000000 bytes)", err);
            Assert.Single(err.Trim().Split('\n'));
            var s = Status();
            Assert.Equal(0, s.GetProperty("usedBytes").GetInt64());
            Assert.Equal(0, s.GetProperty("files").GetInt32());
            Assert.Empty(Directory.GetFiles(Path.Combine(_home, "shards"), "*", SearchOption.AllDirectories));
        }

        [Fact]
        public void Get_TooFewShards_Exit1NamingCounts()
        {
            Init();
            var (_, output, _) = CliRunner.Run("put", WriteFile("d.bin", 5000), "--home", _home, "--data-shards", "2", "--parity-shards", "1");
            string fileId = output.Split(' ')[0];
            var shardFiles = Directory.GetFiles(Path.Combine(_home, "shards"), "*", SearchOption.AllDirectories);
            File.Delete(shardFiles[0]);
            TempStore.FlipByte(shardFiles[1], 30);
            string outPath = Path.Combine(_dir, "d.out");
            var r = CliRunner.Run("get", fileId, "--home", _home, "-o", outPath);
            Assert.Equal(1, r.Code);
            Assert.Contains("only 1 of 3 shards present and intact; 2 needed", r.Err);
            Assert.False(File.Exists(outPath));
            var s = Status();
            Assert.Equal(1, s.GetProperty("quarantined").GetInt32());
            Assert.Equal(1, s.GetProperty("shards").GetInt32());
        }

        [Fact]
        public void Status_HumanOutput_ShowsAllocationAndCounts()
        {
            Init();
            var (code, output, _) = CliRunner.Run("status", "--home", _home, "--verify");
            Assert.Equal(0, code);
            Assert.Contains("allocation  64 MB", output);
            Assert.Contains("shards      0 (0 files)", output);
        }

        [Fact]
        public void HomeDirectory_Default_AetherHomeThenXdgDataHome()
        {
            string? aether = Environment.GetEnvironmentVariable("AETHER_HOME");
            string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            try
            {
                Environment.SetEnvironmentVariable("AETHER_HOME", null);
                Environment.SetEnvironmentVariable("XDG_DATA_HOME", "/srv/data");
                Assert.Equal("/srv/data/aether", HomeDirectory.Resolve(null));
                Environment.SetEnvironmentVariable("XDG_DATA_HOME", null);
                Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "aether"), HomeDirectory.Resolve(null));
                Environment.SetEnvironmentVariable("AETHER_HOME", "/srv/aether");
                Assert.Equal("/srv/aether", HomeDirectory.Resolve(null));
                Assert.Equal("/x", HomeDirectory.Resolve("/x"));
            }
            finally
            {
                Environment.SetEnvironmentVariable("AETHER_HOME", aether);
                Environment.SetEnvironmentVariable("XDG_DATA_HOME", xdg);
            }
        }

        private void Init()
        {
            var (code, _, err) = CliRunner.Run("init", "--home", _home, "--kind", "beacon", "--allocation", "64MB");
            Assert.True(code == 0, err);
        }

        private JsonElement Status()
        {
            var (code, output, err) = CliRunner.Run("status", "--home", _home, "--json");
            Assert.True(code == 0, err);
            return JsonDocument.Parse(output).RootElement.Clone();
        }

        private string WriteFile(string name, int size)
        {
            string path = Path.Combine(_dir, name);
            var data = new byte[size];
            new Random(size).NextBytes(data);
            File.WriteAllBytes(path, data);
            return path;
        }

        private static void AssertUsageError((int Code, string Out, string Err) r)
        {
            Assert.Equal(2, r.Code);
            string[] lines = r.Err.Trim().Split('\n');
            Assert.Single(lines);
            Assert.StartsWith("aether ", lines[0]);
            Assert.DoesNotContain("   at ", r.Err);
        }
    }
}
