using System.Security.Cryptography;
using System.Text.Json;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Tests.Storage;

namespace AetherEdge.HostNode.Tests.Files
{
    /// <summary>The same content put twice is stored once: a second name, not a second set of shards.</summary>
    public sealed class DedupTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "aesy-dedup-" + Guid.NewGuid().ToString("N"));
        private readonly string _home;

        public DedupTests()
        {
            Directory.CreateDirectory(_dir);
            _home = Path.Combine(_dir, "home");
            var (code, _, err) = CliRunner.Run("init", "--home", _home, "--kind", "desktop", "--allocation", "200MB");
            Assert.True(code == 0, err);
        }

        public void Dispose() => Directory.Delete(_dir, true);

        [Fact]
        public void SameContentUnderAnotherName_AddsANameNotShards_AndBothNamesGetIt()
        {
            byte[] data = RandomNumberGenerator.GetBytes(3_000_000);
            string a = Write("a.bin", data);
            string b = Write("copy-of-a.bin", data);
            var first = Put(a);
            long used = Used();
            var second = Put(b);
            Assert.Equal(0, second.GetProperty("storedBytes").GetInt64());
            Assert.Equal(first.GetProperty("fileId").GetString(), second.GetProperty("sameContentAs").GetString());
            Assert.NotEqual(first.GetProperty("fileId").GetString(), second.GetProperty("fileId").GetString());
            Assert.Equal(used, Used());

            var (code, output, err) = CliRunner.Run("ls", "--home", _home);
            Assert.True(code == 0, err);
            Assert.Contains("a.bin", output);
            Assert.Contains("copy-of-a.bin", output);
            Assert.Contains("2 files, 3 MB", output);

            string o = Path.Combine(_dir, "out.bin");
            Assert.Equal(0, CliRunner.Run("get", "copy-of-a.bin", "--home", _home, "-o", o).Code);
            Assert.Equal(data, File.ReadAllBytes(o));
            Assert.Equal(0, CliRunner.Run("get", second.GetProperty("fileId").GetString()!, "--home", _home, "-o", o).Code);

            // rm by either name removes the content and every name of it; the space comes back.
            var rm = CliRunner.Run("rm", "copy-of-a.bin", "--home", _home);
            Assert.True(rm.Code == 0, rm.Err);
            Assert.Contains("other names went with it: a.bin", rm.Out);
            Assert.Equal(0, Used());
            Assert.Contains("no files", CliRunner.Run("ls", "--home", _home).Out);
        }

        [Fact]
        public void SameFileTwice_AddsNothing()
        {
            string a = Write("a.bin", RandomNumberGenerator.GetBytes(100_000));
            var first = Put(a);
            var again = CliRunner.Run("put", a, "--home", _home);
            Assert.Equal(0, again.Code);
            Assert.Contains("nothing added", again.Out);
            Assert.Contains(first.GetProperty("fileId").GetString()!, again.Out);
            Assert.Single(Ls());
        }

        [Fact]
        public void SameSizeDifferentContent_IsStoredTwice()
        {
            Put(Write("a.bin", RandomNumberGenerator.GetBytes(50_000)));
            var second = Put(Write("b.bin", RandomNumberGenerator.GetBytes(50_000)));
            Assert.True(second.GetProperty("storedBytes").GetInt64() > 50_000);
            Assert.Equal(JsonValueKind.Null, second.GetProperty("sameContentAs").ValueKind);
        }

        [Fact]
        public void FolderWithDuplicates_StoresEachContentOnce()
        {
            string folder = Path.Combine(_dir, "photos");
            Directory.CreateDirectory(folder);
            byte[] data = RandomNumberGenerator.GetBytes(400_000);
            File.WriteAllBytes(Path.Combine(folder, "1.jpg"), data);
            File.WriteAllBytes(Path.Combine(folder, "2.jpg"), data);
            File.WriteAllBytes(Path.Combine(folder, "3.jpg"), RandomNumberGenerator.GetBytes(400_000));
            var (code, output, err) = CliRunner.Run("put", folder, "--home", _home, "--json");
            Assert.True(code == 0, err);
            var files = JsonDocument.Parse(output).RootElement.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(3, files.Count);
            Assert.Equal(0, files[1].GetProperty("storedBytes").GetInt64());
            Assert.Equal(files[0].GetProperty("fileId").GetString(), files[1].GetProperty("sameContentAs").GetString());
            Assert.Equal(3, Ls().Count);
            Assert.Equal(2 * 15, Status().GetProperty("shards").GetInt32());
        }

        [Fact]
        public void ContentTag_IsKeyedByTheUser_SoPeersLearnNothing()
        {
            using var mine = new TempStore();
            using var theirs = new TempStore();
            string file = mine.NewFile(10_000, 5);
            var a = mine.Pipeline.Put(file);
            var b = theirs.Pipeline.Put(file);
            Assert.NotNull(a.Manifest.ContentTag);
            Assert.NotEqual(a.Manifest.ContentTag, b.Manifest.ContentTag);
            Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), Convert.ToHexStringLower(mine.Store.TryGetManifest(a.FileId)!));
        }

        [Fact]
        public void ContentFormat3AndNameRecords_SurviveRepairIndex()
        {
            byte[] data = RandomNumberGenerator.GetBytes(20_000);
            Put(Write("a.bin", data));
            Put(Write("b.bin", data));
            File.Delete(Path.Combine(_home, ShardStore.IndexFileName));
            var (code, output, err) = CliRunner.Run("repair-index", "--home", _home, "--json");
            Assert.True(code == 0, err);
            Assert.Equal(2, JsonDocument.Parse(output).RootElement.GetProperty("files").GetInt32());
            Assert.Equal(2, Ls().Count);
        }

        [Fact]
        public void TamperedNameRecord_IsNotListed()
        {
            byte[] data = RandomNumberGenerator.GetBytes(20_000);
            Put(Write("a.bin", data));
            string extra = Put(Write("b.bin", data)).GetProperty("fileId").GetString()!;
            using (var store = ShardStore.Open(_home, 200_000_000))
            {
                byte[] body = store.TryGetManifest(extra)!;
                Assert.True(NameRecord.Is(body));
                Assert.Null(ShardManifest.ReadUnverified(body));
                body[^40] ^= 1;
                store.PutManifest(extra, body);
            }

            var names = Ls().Select(f => f.GetProperty("name").GetString()).ToList();
            Assert.Equal(new[] { "a.bin" }, names);
        }

        private JsonElement Put(string path)
        {
            var (code, output, err) = CliRunner.Run("put", path, "--home", _home, "--json");
            Assert.True(code == 0, err);
            return JsonDocument.Parse(output).RootElement.Clone();
        }

        private List<JsonElement> Ls()
        {
            var (code, output, err) = CliRunner.Run("ls", "--home", _home, "--json");
            Assert.True(code == 0, err);
            return JsonDocument.Parse(output).RootElement.GetProperty("files").EnumerateArray().Select(e => e.Clone()).ToList();
        }

        private JsonElement Status()
        {
            var (code, output, err) = CliRunner.Run("status", "--home", _home, "--json");
            Assert.True(code == 0, err);
            return JsonDocument.Parse(output).RootElement.Clone();
        }

        private long Used() => Status().GetProperty("usedBytes").GetInt64();

        private string Write(string name, byte[] data)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, data);
            return path;
        }
    }
}
