using System.Text.Json;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Files
{
    /// <summary>`aether ls`, `aether rm` and `aether get NAME` on a real home, in-process.</summary>
    public sealed class FileVerbTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "aesy-files-" + Guid.NewGuid().ToString("N"));
        private readonly string _home;

        public FileVerbTests()
        {
            Directory.CreateDirectory(_dir);
            _home = Path.Combine(_dir, "home");
            var (code, _, err) = CliRunner.Run("init", "--home", _home, "--kind", "desktop", "--allocation", "200MB");
            Assert.True(code == 0, err);
        }

        public void Dispose() => Directory.Delete(_dir, true);

        [Theory]
        [InlineData("ls", "list your files")]
        [InlineData("rm", "NAME|ID")]
        [InlineData("get", "NAME|ID")]
        public void Help_DescribesTheVerb(string verb, string expected)
        {
            var (code, output, _) = CliRunner.Run(verb, "--help");
            Assert.Equal(0, code);
            Assert.Contains(expected, output, StringComparison.Ordinal);
            Assert.Contains("--home", output);
            Assert.Contains("--json", output);
        }

        [Fact]
        public void Ls_ListsNameSizeDateAndShardsHere_ByName()
        {
            Put(WriteFile("b.bin", 3_000_000));
            Put(WriteFile("a.txt", 1234));
            var (code, output, err) = CliRunner.Run("ls", "--home", _home);
            Assert.True(code == 0, err);
            string[] lines = output.Trim().Split('\n');
            Assert.StartsWith("ID", lines[0].TrimStart());
            Assert.Contains("a.txt", lines[1]);
            Assert.Contains("1.2 KB", lines[1]);
            Assert.Contains(DateTime.UtcNow.ToString("yyyy-MM-dd"), lines[1]);
            Assert.Contains("15/15 here (any 10 rebuild it; readable here)", lines[1]);
            Assert.Contains("b.bin", lines[2]);
            Assert.Contains("3 MB", lines[2]);
            Assert.Contains("2 files, 3 MB", lines[3]);
            // No hub runs on this home: ls says so instead of guessing the kit's protection.
            Assert.Contains("protection across the kit unknown: no hub is running on " + _home, lines[4]);
        }

        [Fact]
        public void Ls_Json_HasIdsNamesAndBytes()
        {
            string id = Put(WriteFile("a.bin", 5000));
            var files = LsJson();
            Assert.Single(files);
            Assert.Equal(id, files[0].GetProperty("fileId").GetString());
            Assert.Equal("a.bin", files[0].GetProperty("name").GetString());
            Assert.Equal(5000, files[0].GetProperty("bytes").GetInt64());
            Assert.Equal(15, files[0].GetProperty("shardsHere").GetInt32());
        }

        [Fact]
        public void Ls_LimitAndOffset_ListOnePageOfTheNameSortedList_JsonCountsThemAll()
        {
            foreach (string name in new[] { "c.txt", "a.txt", "d.txt", "b.txt" })
            {
                Put(WriteFile(name, 100));
            }

            var (code, output, err) = CliRunner.Run("ls", "--home", _home, "--offset", "1", "--limit", "2");
            Assert.True(code == 0, err);
            string[] lines = output.Trim().Split('\n');
            Assert.Contains("b.txt", lines[1]);
            Assert.Contains("c.txt", lines[2]);
            Assert.Contains("4 files", lines[3]);
            Assert.Contains("listed 2-3", lines[3]);
            Assert.Contains("15/15 here", lines[1]);
            Assert.DoesNotContain("a.txt", output);
            Assert.DoesNotContain("d.txt", output);

            var (jsonCode, json, _) = CliRunner.Run("ls", "--home", _home, "--json", "--offset", "3", "--limit", "5");
            Assert.Equal(0, jsonCode);
            var root = System.Text.Json.JsonDocument.Parse(json).RootElement;
            Assert.Equal(4, root.GetProperty("total").GetInt32());
            Assert.Equal(3, root.GetProperty("offset").GetInt32());
            Assert.Equal(new[] { "d.txt" }, root.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
            Assert.Equal(15, root.GetProperty("files")[0].GetProperty("shardsHere").GetInt32());
        }

        [Fact]
        public void Ls_LimitZero_IsBadInputExit2()
        {
            var (code, _, err) = CliRunner.Run("ls", "--home", _home, "--limit", "0");
            Assert.Equal(2, code);
            Assert.Contains("--limit", err);
        }

        [Fact]
        public void Ls_EmptyHome_SaysHowToPut()
        {
            var (code, output, _) = CliRunner.Run("ls", "--home", _home);
            Assert.Equal(0, code);
            Assert.Contains("aether put", output);
        }

        [Fact]
        public void Ls_OtherUsersManifests_AreCountedNotListed()
        {
            string other = Path.Combine(_dir, "other");
            Assert.Equal(0, CliRunner.Run("init", "--home", other, "--kind", "desktop", "--allocation", "100MB").Code);
            string id = Put(WriteFile("theirs.bin", 100), other);
            using (var theirs = ShardStore.Open(other, 100_000_000))
            using (var mine = ShardStore.Open(_home, 200_000_000))
            {
                mine.PutManifest(id, theirs.TryGetManifest(id)!);
            }

            var (code, output, _) = CliRunner.Run("ls", "--home", _home);
            Assert.Equal(0, code);
            Assert.DoesNotContain("theirs.bin", output);
            Assert.Contains("1 files of other users", output);
        }

        [Fact]
        public void Get_ByName_WritesTheFileUnderItsNameInTheGivenPlace()
        {
            string input = WriteFile("photo.jpg", 70_000);
            Put(input);
            string output = Path.Combine(_dir, "out.jpg");
            var (code, _, err) = CliRunner.Run("get", "photo.jpg", "--home", _home, "-o", output);
            Assert.True(code == 0, err);
            Assert.Equal(File.ReadAllBytes(input), File.ReadAllBytes(output));
        }

        [Fact]
        public void Get_ByIdPrefix_Works_AndShortPrefixIsRefused()
        {
            string input = WriteFile("a.bin", 1000);
            string id = Put(input);
            string output = Path.Combine(_dir, "out.bin");
            Assert.Equal(0, CliRunner.Run("get", id.Substring(0, 8), "--home", _home, "-o", output).Code);
            Assert.Equal(File.ReadAllBytes(input), File.ReadAllBytes(output));
            AssertUsageError(CliRunner.Run("get", id.Substring(0, 7), "--home", _home, "-o", output));
        }

        [Fact]
        public void Get_AmbiguousName_RefusedListingEveryCandidate()
        {
            string one = Path.Combine(_dir, "x");
            string two = Path.Combine(_dir, "y");
            Directory.CreateDirectory(one);
            Directory.CreateDirectory(two);
            string a = Put(WriteFile("x/notes.txt", 10));
            string b = Put(WriteFile("y/notes.txt", 20));
            var r = CliRunner.Run("get", "notes.txt", "--home", _home, "-o", Path.Combine(_dir, "o"));
            AssertUsageError(r);
            Assert.Contains("ambiguous", r.Err);
            Assert.Contains(a, r.Err);
            Assert.Contains(b, r.Err);
            Assert.False(File.Exists(Path.Combine(_dir, "o")));
        }

        [Fact]
        public void Get_WithoutOutput_WritesItsNameInTheCurrentDirectory_NeverOverAFile()
        {
            string input = WriteFile("doc.pdf", 4000);
            Put(input);
            string cwd = Path.Combine(_dir, "cwd");
            Directory.CreateDirectory(cwd);
            string before = Environment.CurrentDirectory;
            try
            {
                Environment.CurrentDirectory = cwd;
                var (code, _, err) = CliRunner.Run("get", "doc.pdf", "--home", _home);
                Assert.True(code == 0, err);
                Assert.Equal(File.ReadAllBytes(input), File.ReadAllBytes(Path.Combine(cwd, "doc.pdf")));
                var again = CliRunner.Run("get", "doc.pdf", "--home", _home);
                AssertUsageError(again);
                Assert.Contains("already exists", again.Err);
            }
            finally
            {
                Environment.CurrentDirectory = before;
            }
        }

        [Theory]
        [InlineData("nothing.here")]
        [InlineData("")]
        public void GetRm_UnknownName_OneLineExit2(string name)
        {
            Put(WriteFile("a.bin", 10));
            AssertUsageError(CliRunner.Run("get", name, "--home", _home, "-o", Path.Combine(_dir, "o")));
            AssertUsageError(CliRunner.Run("rm", name, "--home", _home));
            Assert.Single(LsJson());
        }

        [Fact]
        public void Rm_RemovesManifestAndShards_SpaceComesBack_AndTheFileStaysRemoved()
        {
            string keep = Put(WriteFile("keep.bin", 2_000_000));
            long usedBefore = Used();
            string id = Put(WriteFile("gone.bin", 3_000_000));
            Assert.True(Used() > usedBefore);

            var (code, output, err) = CliRunner.Run("rm", "gone.bin", "--home", _home);
            Assert.True(code == 0, err);
            Assert.Contains("removed gone.bin", output);
            Assert.Contains("15 shards deleted here", output);
            Assert.Equal(usedBefore, Used());
            Assert.Equal(new[] { keep }, LsJson().Select(f => f.GetProperty("fileId").GetString()).ToArray());
            Assert.False(File.Exists(Path.Combine(_home, ShardStore.ManifestsFolder, id)));
            Assert.True(File.Exists(Path.Combine(_home, ShardStore.RemovedFolder, id)));

            var again = CliRunner.Run("rm", id, "--home", _home);
            AssertUsageError(again);
            Assert.Contains("already removed", again.Err);
            var get = CliRunner.Run("get", id, "--home", _home, "-o", Path.Combine(_dir, "o"));
            AssertUsageError(get);
            Assert.Contains("was removed", get.Err);
        }

        [Fact]
        public void Rm_Json_ReportsWhatWasFreed()
        {
            string id = Put(WriteFile("a.bin", 100_000));
            var (code, output, err) = CliRunner.Run("rm", id, "--home", _home, "--json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            Assert.Equal(id, doc.RootElement.GetProperty("fileId").GetString());
            Assert.Equal(15, doc.RootElement.GetProperty("shardsDeleted").GetInt32());
            Assert.True(doc.RootElement.GetProperty("bytesFreed").GetInt64() > 100_000);
            Assert.Equal(0, Used());
        }

        [Fact]
        public void Put_Stdin_WithName_IsListedUnderIt()
        {
            var (code, output, err, _) = CliRunner.Run(new byte[] { 1, 2, 3 }, "put", "-", "--home", _home, "--name", "three.bin", "--json");
            Assert.True(code == 0, err);
            Assert.Equal("three.bin", LsJson()[0].GetProperty("name").GetString());
            AssertUsageError(CliRunner.Run("put", WriteFile("z", 1), "--home", _home, "--name", string.Empty));
        }

        [Theory]
        [InlineData("ls", "--colour")]
        [InlineData("rm")]
        [InlineData("rm", "a", "b")]
        [InlineData("get", "a.bin", "--peers", "nowhere")]
        public void BadInput_OneLineExit2(params string[] args)
        {
            AssertUsageError(CliRunner.Run(args.Concat(new[] { "--home", _home }).ToArray()));
        }

        private List<JsonElement> LsJson()
        {
            var (code, output, err) = CliRunner.Run("ls", "--home", _home, "--json");
            Assert.True(code == 0, err);
            return JsonDocument.Parse(output).RootElement.GetProperty("files").EnumerateArray().Select(e => e.Clone()).ToList();
        }

        private long Used()
        {
            var (code, output, err) = CliRunner.Run("status", "--home", _home, "--json");
            Assert.True(code == 0, err);
            return JsonDocument.Parse(output).RootElement.GetProperty("usedBytes").GetInt64();
        }

        private string Put(string path, string? home = null)
        {
            var (code, output, err) = CliRunner.Run("put", path, "--home", home ?? _home, "--json");
            Assert.True(code == 0, err);
            return JsonDocument.Parse(output).RootElement.GetProperty("fileId").GetString()!;
        }

        private string WriteFile(string name, int size)
        {
            string path = Path.Combine(_dir, name);
            var data = new byte[size];
            new Random(size + name.Length).NextBytes(data);
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
