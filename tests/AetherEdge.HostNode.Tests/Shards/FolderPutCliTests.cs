using System.Text.Json;
using AetherEdge.HostNode.Tests.Storage;

namespace AetherEdge.HostNode.Tests.Shards
{
    /// <summary>`aether put DIR`: the folder put as a user types it.</summary>
    public sealed class FolderPutCliTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "aesy-putdir-" + Guid.NewGuid().ToString("N"));
        private readonly string _home;

        public FolderPutCliTests()
        {
            Directory.CreateDirectory(_dir);
            _home = Path.Combine(_dir, "home");
        }

        public void Dispose() => Directory.Delete(_dir, true);

        [Fact]
        public void PutDir_Json_ListsEveryFileWithItsPath_AndEachGetsBackIdentical()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", _home, "--kind", "desktop", "--allocation", "1GB").Code);
            string root = Path.Combine(_dir, "album");
            Write(Path.Combine(root, "a.bin"), 70_000, 1);
            Write(Path.Combine(root, "sub", "b.bin"), 0, 2);
            Write(Path.Combine(root, "sub", "deeper", "c.bin"), 5_000_000, 3);

            var (code, output, err) = CliRunner.Run("put", root, "--home", _home, "--data-shards", "3", "--parity-shards", "2", "--json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(new[] { "album/a.bin", "album/sub/b.bin", "album/sub/deeper/c.bin" }, files.Select(f => f.GetProperty("path").GetString()));
            Assert.Equal(5_070_000, doc.RootElement.GetProperty("bytes").GetInt64());
            foreach (var f in files)
            {
                string outPath = Path.Combine(_dir, "out-" + Guid.NewGuid().ToString("N"));
                var get = CliRunner.Run("get", f.GetProperty("fileId").GetString()!, "--home", _home, "-o", outPath);
                Assert.True(get.Code == 0, get.Err);
                Assert.True(TempStore.SameContent(Path.Combine(_dir, f.GetProperty("path").GetString()!), outPath));
            }
        }

        private static void Write(string path, int size, int seed)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var data = new byte[size];
            new Random(seed).NextBytes(data);
            File.WriteAllBytes(path, data);
        }
    }
}
