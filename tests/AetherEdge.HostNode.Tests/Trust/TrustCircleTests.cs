using System.Text.Json;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Tests.Trust
{
    public sealed class TrustCircleTests : IDisposable
    {
        private readonly string _home = Path.Combine(Path.GetTempPath(), "aesy-trust-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_home))
            {
                Directory.Delete(_home, true);
            }
        }

        private static DeviceId Id(byte b) => DeviceId.FromPublicKeyInfo(new[] { b });

        [Fact]
        public void Add_ThenNewInstance_SeesMemberWithName()
        {
            new TrustCircle(_home).Add(Id(1), "laptop", DateTimeOffset.UtcNow);
            var again = new TrustCircle(_home);
            Assert.True(again.Contains(Id(1)));
            Assert.False(again.Contains(Id(2)));
            Assert.Equal("laptop", again.NameOf(Id(1)));
        }

        [Fact]
        public void Remove_Member_IsGoneFromFile()
        {
            var circle = new TrustCircle(_home);
            circle.Add(Id(1), "a", DateTimeOffset.UtcNow);
            circle.Add(Id(2), "b", DateTimeOffset.UtcNow);
            Assert.True(circle.Remove(Id(1)));
            Assert.False(circle.Remove(Id(1)));
            Assert.Equal(new[] { Id(2) }, new TrustCircle(_home).Members.Select(m => m.Id));
        }

        [Fact]
        public void Cli_AddListRemove_RoundTrips()
        {
            InitHome();
            string id = Id(3).Text;
            Assert.Equal(0, CliRunner.Run("trust", "add", id, "--name", "phone", "--home", _home).Code);
            var (code, output, _) = CliRunner.Run("trust", "list", "--json", "--home", _home);
            Assert.Equal(0, code);
            var rows = JsonSerializer.Deserialize<List<Dictionary<string, string>>>(output)!;
            Assert.Single(rows);
            Assert.Equal(id, rows[0]["id"]);
            Assert.Equal("phone", rows[0]["name"]);
            Assert.Equal(0, CliRunner.Run("trust", "remove", id, "--home", _home).Code);
            Assert.Contains("empty", CliRunner.Run("trust", "list", "--home", _home).Out);
        }

        [Fact]
        public void Cli_AddWithTypo_Exit2NamesGroup()
        {
            InitHome();
            string id = Id(4).Text;
            string typo = (id[0] == 'A' ? "B" : "A") + id.Substring(1);
            var (code, _, err) = CliRunner.Run("trust", "add", typo, "--home", _home);
            Assert.Equal(2, code);
            Assert.Contains("typo in group 1", err);
            Assert.False(File.Exists(Path.Combine(_home, TrustCircle.FileName)));
        }

        [Fact]
        public void Cli_RemoveUnknown_Exit2()
        {
            InitHome();
            var (code, _, err) = CliRunner.Run("trust", "remove", Id(5).Text, "--home", _home);
            Assert.Equal(2, code);
            Assert.Contains("not in the trust circle", err);
        }

        [Fact]
        public void Cli_AddOwnId_Exit2()
        {
            InitHome();
            string self = CliRunner.Run("id", "--home", _home).Out.Trim();
            var (code, _, err) = CliRunner.Run("trust", "add", self, "--home", _home);
            Assert.Equal(2, code);
            Assert.Contains("own device ID", err);
        }

        [Fact]
        public void Load_CorruptFile_ClearIoError()
        {
            InitHome();
            File.WriteAllText(Path.Combine(_home, TrustCircle.FileName), "{not json");
            var (code, _, err) = CliRunner.Run("trust", "list", "--home", _home);
            Assert.Equal(1, code);
            Assert.Contains("not valid trust JSON", err);
        }

        private void InitHome() => Assert.Equal(0, CliRunner.Run("init", "--home", _home, "--kind", "laptop", "--allocation", "100MB").Code);
    }
}
