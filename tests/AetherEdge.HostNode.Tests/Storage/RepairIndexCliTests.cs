using System.Text.Json;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Storage
{
    /// <summary>The verbs a user types after losing index.db: status refuses and names the fix, repair-index fixes it.</summary>
    public sealed class RepairIndexCliTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "aesy-ridx-" + Guid.NewGuid().ToString("N"));
        private readonly string _home;

        public RepairIndexCliTests()
        {
            Directory.CreateDirectory(_dir);
            _home = Path.Combine(_dir, "home");
        }

        public void Dispose() => Directory.Delete(_dir, true);

        [Fact]
        public void DeletedIndex_StatusExits1NamingRepairIndex_RepairIndexThenGetReturnsTheFile()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", _home, "--kind", "desktop", "--allocation", "1GB").Code);
            string input = Path.Combine(_dir, "in.bin");
            File.WriteAllBytes(input, System.Security.Cryptography.RandomNumberGenerator.GetBytes(150_000));
            var put = CliRunner.Run("put", input, "--home", _home, "--json");
            Assert.True(put.Code == 0, put.Err);
            string fileId = JsonDocument.Parse(put.Out).RootElement.GetProperty("fileId").GetString()!;
            foreach (string suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(Path.Combine(_home, ShardStore.IndexFileName + suffix));
            }

            var status = CliRunner.Run("status", "--home", _home);
            Assert.Equal(1, status.Code);
            Assert.Contains("aether repair-index --home " + _home, status.Err);
            Assert.Single(status.Err.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", status.Err);

            var repair = CliRunner.Run("repair-index", "--home", _home, "--json");
            Assert.True(repair.Code == 0, repair.Err);
            using (var doc = JsonDocument.Parse(repair.Out))
            {
                Assert.Equal(1, doc.RootElement.GetProperty("files").GetInt32());
                Assert.Equal(15, doc.RootElement.GetProperty("shards").GetInt32());
                Assert.Equal(0, doc.RootElement.GetProperty("shardsQuarantined").GetInt32());
            }

            var after = CliRunner.Run("status", "--home", _home, "--json");
            Assert.Equal(0, after.Code);
            Assert.Contains("\"files\":1", after.Out);
            Assert.Contains("\"orphanFilesQuarantined\":0", after.Out);
            string output = Path.Combine(_dir, "out.bin");
            Assert.Equal(0, CliRunner.Run("get", fileId, "--home", _home, "-o", output).Code);
            Assert.True(TempStore.SameContent(input, output));
        }

        [Fact]
        public void RepairIndex_UnknownFlag_Exit2()
        {
            var r = CliRunner.Run("repair-index", "--home", _home, "--bogus");
            Assert.Equal(2, r.Code);
        }
    }
}
