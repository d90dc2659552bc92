using System.Text.Json;
using AetherEdge.HostNode.Tests.Scripts;

namespace AetherEdge.HostNode.Tests.Cli
{
    /// <summary>What the CLI does with the home it is pointed at, and with <c>-</c> for stdin/stdout.</summary>
    public sealed class CliHomeTests : IDisposable
    {
        /// <summary>Stands for a valid device ID in test data (replaced by <see cref="SomeId"/>).</summary>
        private const string SomeDeviceId = "SOME-ID";

        private readonly string _dir = Directory.CreateTempSubdirectory("aether-cli-home-").FullName;

        public void Dispose()
        {
            ScriptRunner.Run("chattr", new[] { "-R", "-i", _dir });
            Directory.Delete(_dir, recursive: true);
        }

        private static string Aether => Path.Combine(AppContext.BaseDirectory, "aether.dll");

        private string Home => Path.Combine(_dir, "home");

        [Theory]
        [InlineData("status")]
        [InlineData("init")]
        [InlineData("put", "-")]
        [InlineData("hub")]
        public void EmptyHome_Refused(params string[] args)
        {
            var r = CliRunner.Run(args.Concat(new[] { "--home", string.Empty }).ToArray());
            CliParsingTests.AssertOneLine(r, 2, "option --home must not be empty");
        }

        [Theory]
        [InlineData("--home", "status", "--home", "-")]
        [InlineData("--devices", "plan", "--devices", "-")]
        [InlineData("--sysfs-root", "power", "--sysfs-root", "-")]
        public void Dash_RefusedWhereItMeansNoStream(string option, params string[] args) =>
            CliParsingTests.AssertOneLine(CliRunner.Run(args), 2, "option " + option + " names a file or directory; '-' (stdin/stdout) makes no sense here");

        [Fact]
        public void PutFromStdin_GetToStdout_RoundTripsInProcess()
        {
            Init();
            var data = new byte[1_234_567];
            new Random(7).NextBytes(data);
            var put = CliRunner.Run(data, "put", "-", "--home", Home, "--json");
            Assert.True(put.Code == 0, put.Err);
            using var doc = JsonDocument.Parse(put.Out);
            string fileId = doc.RootElement.GetProperty("fileId").GetString()!;
            Assert.Equal(data.Length, doc.RootElement.GetProperty("bytes").GetInt64());
            Assert.Empty(Directory.GetFiles(Home, ".stdin-*"));

            var get = CliRunner.Run(Array.Empty<byte>(), "get", fileId, "-o", "-", "--home", Home);
            Assert.True(get.Code == 0, get.Err);
            Assert.Equal(data, get.Binary);
            Assert.Equal(string.Empty, get.Out);

            CliParsingTests.AssertOneLine(CliRunner.Run("get", fileId, "-o", "-", "--json", "--home", Home), 2, "--json cannot be combined with -o -");
        }

        [Fact]
        public void PutFromStdin_LargerThanTheFreeAllocation_RefusedExit1NothingStored()
        {
            Init();
            var r = CliRunner.Run(new byte[101_000_000], "put", "-", "--home", Home);
            CliParsingTests.AssertOneLine((r.Code, r.Out, r.Err), 1, "aether put: quota exceeded: stdin holds more than");
            Assert.Empty(Directory.GetFiles(Home, ".stdin-*"));
            Assert.Contains("shards      0 (0 files)", CliRunner.Run("status", "--home", Home).Out);
        }

        [Fact]
        public void PutFromPipe_GetToPipe_RoundTripsThroughTheRealExecutable()
        {
            Init();
            string input = Path.Combine(_dir, "in.bin");
            string output = Path.Combine(_dir, "out.bin");
            var data = new byte[300_000];
            new Random(8).NextBytes(data);
            File.WriteAllBytes(input, data);
            var put = ScriptRunner.Run("bash", new[] { "-c", "cat \"$1\" | dotnet \"$2\" put - --home \"$3\"", "bash", input, Aether, Home });
            Assert.True(put.ExitCode == 0, put.Stderr);
            string fileId = put.Stdout.Split(' ')[0];
            Assert.Contains("(stdin): 300 KB in 15 shards", put.Stdout);
            var get = ScriptRunner.Run("bash", new[] { "-c", "dotnet \"$2\" get \"$1\" -o - --home \"$3\" | cat > \"$4\"", "bash", fileId, Aether, Home, output });
            Assert.True(get.ExitCode == 0, get.Stderr);
            Assert.Equal(data, File.ReadAllBytes(output));
        }

        [Theory]
        [InlineData("id")]
        [InlineData("id", "--json")]
        [InlineData("trust", "list")]
        [InlineData("trust", "add", SomeDeviceId)]
        [InlineData("trust", "remove", SomeDeviceId)]
        [InlineData("pair", "--port", "0", "--no-mdns", "--timeout", "1")]
        [InlineData("pair", "--code", "123456", "--peer", "127.0.0.1:1")]
        public void IdTrustPair_OnAHomeNeverInitialised_RefuseLikePutAndCreateNothing(params string[] args)
        {
            string missing = Path.Combine(_dir, "never");
            Directory.CreateDirectory(Home);
            foreach (string home in new[] { missing, Home })
            {
                var r = CliRunner.Run(WithId(args.Concat(new[] { "--home", home })));
                CliParsingTests.AssertOneLine(r, 2, home + " is not initialised (run: aether init --home " + home + ")");
                var put = CliRunner.Run("put", "-", "--home", home);
                Assert.Equal(r.Err.Substring(r.Err.IndexOf(':')), put.Err.Substring(put.Err.IndexOf(':')));
            }

            Assert.False(Directory.Exists(missing));
            Assert.Empty(Directory.EnumerateFileSystemEntries(Home));
        }

        [Theory]
        [InlineData("status")]
        [InlineData("id")]
        [InlineData("init")]
        [InlineData("hub", "--no-mdns")]
        [InlineData("trust", "list")]
        public void FileWhereTheHomeDirectoryShouldBe_RefusedExit2(params string[] args)
        {
            // The home path names a regular file (a typo, or a file left where a mount point was).
            File.WriteAllText(Home, "not a directory");
            CliParsingTests.AssertOneLine(CliRunner.Run(args.Concat(new[] { "--home", Home }).ToArray()), 2, "home " + Home + " is a file, not a directory");
            string below = Path.Combine(Home, "sub");
            CliParsingTests.AssertOneLine(CliRunner.Run(args.Concat(new[] { "--home", below }).ToArray()), 2, "home " + below + " lies below " + Home + ", which is a file");
        }

        [SkippableFact]
        public void ImmutableHome_PutSaysTheHomeIsNotWritable_Exit1()
        {
            // chattr +i: root ignores permission bits, but not the immutable attribute (EPERM).
            Skip.If(ScriptRunner.Which("chattr") == null || !OperatingSystem.IsLinux() || Environment.UserName != "root", "needs root and chattr");
            Init();
            string file = Path.Combine(_dir, "f.bin");
            File.WriteAllBytes(file, new byte[1000]);
            var chattr = ScriptRunner.Run("chattr", new[] { "+i", Home });
            Skip.If(chattr.ExitCode != 0, "this file system has no immutable attribute: " + chattr.Stderr);
            foreach (var args in new[] { new[] { "put", file }, new[] { "id" }, new[] { "trust", "add", SomeDeviceId }, new[] { "status" } })
            {
                var r = CliRunner.Run(WithId(args.Concat(new[] { "--home", Home })));
                CliParsingTests.AssertOneLine(r, 1, "aether " + args[0] + ": home " + Home + " is not writable (permission denied)");
            }

            var init = CliRunner.Run("init", "--home", Path.Combine(Home, "inner"));
            CliParsingTests.AssertOneLine(init, 1, "cannot create home " + Path.Combine(Home, "inner") + ": " + Home + " is not writable (permission denied)");
        }

        [SkippableFact]
        public void ReadOnlyBindMount_PutSaysReadOnlyFileSystem_Exit1()
        {
            // A read-only bind mount of the home, in a private mount namespace (unshare -m) so nothing
            // outside the one process sees it and nothing needs unmounting.
            Skip.If(ScriptRunner.Which("unshare") == null || !OperatingSystem.IsLinux() || Environment.UserName != "root", "needs root and unshare");
            Init();
            string file = Path.Combine(_dir, "f.bin");
            File.WriteAllBytes(file, new byte[1000]);
            string program = "mount --bind \"$1\" \"$1\" && mount -o remount,ro,bind \"$1\" && exec dotnet \"$2\" put \"$3\" --home \"$1\"";
            var r = ScriptRunner.Run("unshare", new[] { "-m", "--propagation", "private", "bash", "-c", program, "bash", Home, Aether, file });
            Skip.If(r.Stderr.Contains("mount:", StringComparison.Ordinal), "cannot bind-mount here: " + r.Stderr);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal("aether put: home " + Home + " is not writable (read-only file system)", r.Stderr.Trim());
            Assert.Equal(string.Empty, r.Stdout);
        }

        private static string[] WithId(IEnumerable<string> args) =>
            args.Select(a => a == SomeDeviceId ? SomeId : a).ToArray();

        private static string SomeId => AetherEdge.HostNode.Identity.DeviceId.FromPublicKeyInfo(new byte[] { 1 }).Text;

        private void Init()
        {
            var r = CliRunner.Run("init", "--home", Home, "--kind", "laptop", "--allocation", "100MB");
            Assert.True(r.Code == 0, r.Err);
        }
    }
}
