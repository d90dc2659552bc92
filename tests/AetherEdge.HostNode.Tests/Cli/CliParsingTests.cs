using System.CommandLine;
using System.Reflection;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Tests.Scripts;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests.Cli
{
    /// <summary>The command line as a user meets it: parse errors, help, version, completion, exit codes.</summary>
    public sealed class CliParsingTests : IDisposable
    {
        private static readonly string[] s_verbs =
        {
            "plan", "id", "trust", "power", "pair", "hub", "peers", "advertise", "init", "put", "get", "ls", "rm", "status", "dashboard", "repair-index", "link-bench", "completion",
        };

        private readonly string _dir = Directory.CreateTempSubdirectory("aether-cli-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private static string Aether => Path.Combine(AppContext.BaseDirectory, "aether.dll");

        [Theory]
        [InlineData("put", "FILE", "--home", "HOME", "--bogus")]
        [InlineData("plan", "--devices", "d.json", "--bogus")]
        [InlineData("status", "--bogus")]
        [InlineData("get", "0123456789abcdef0123456789abcdef", "-o", "x", "--bogus")]
        public void UnknownOptionAtEndOfLine_IsNamedAsUnknownNotAsNeedingAValue(params string[] args)
        {
            var r = CliRunner.Run(args);
            AssertOneLine(r, 2, "aether " + args[0] + ": unknown option --bogus");
            Assert.DoesNotContain("needs a value", r.Err);
        }

        [Theory]
        [InlineData("unknown option --colour", "put", "--colour", "red")]
        [InlineData("unknown option --bogus", "put", "--home", "--bogus", "f")]
        [InlineData("unknown option -x", "trust", "add", "-x")]
        public void UnknownOptionWhereAValueGoes_IsStillNamedAsAnOption(string expected, params string[] args) =>
            AssertOneLine(CliRunner.Run(args), 2, expected);

        [Theory]
        [InlineData("unexpected argument 'extra'", "status", "extra")]
        [InlineData("unexpected argument 'two'", "put", "one", "two")]
        [InlineData("unexpected argument '--x'", "put", "f", "--", "--x")]
        [InlineData("unknown command 'frobnicate' (try 'aether --help')", "frobnicate")]
        [InlineData("unknown command 'bogus' (expected add, list, remove)", "trust", "bogus")]
        public void StrayArgument_IsNamedAsUnexpected(string expected, params string[] args) =>
            AssertOneLine(CliRunner.Run(args), 2, expected);

        [Theory]
        [InlineData("option --home given twice", "status", "--home", "a", "--home", "b")]
        [InlineData("option --devices needs a value", "plan", "--devices")]
        [InlineData("missing required option --devices", "plan")]
        [InlineData("missing NAME|ID", "get", "-o", "x")]
        [InlineData("missing command (add, list, remove)", "trust")]
        [InlineData("option --port must be a whole number from 1 to 65535, got '70000'", "hub", "--port", "70000")]
        [InlineData("option --kind must be one of desktop, laptop, mobile, hub, beacon, got 'toaster'", "init", "--kind", "toaster")]
        [InlineData("option --loss must be a number from 0 to 0.5, got 'NaN'", "link-bench", "--loss", "NaN")]
        [InlineData("option --shard-size must be a size such as 500MB, 1GB or 100GiB, got '5 parsecs'", "link-bench", "--shard-size", "5 parsecs")]
        public void BadValue_OneLineNamingTheOption(string expected, params string[] args) =>
            AssertOneLine(CliRunner.Run(args), 2, expected);

        [Fact]
        public void Version_PrintsTheAssemblyInformationalVersion()
        {
            var r = CliRunner.Run("--version");
            Assert.Equal(0, r.Code);
            string expected = typeof(AetherCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            Assert.Equal("aether " + expected, r.Out.Trim());
            Assert.Equal(string.Empty, r.Err);
        }

        [Fact]
        public void Help_ListsEveryVerbOnOneLineEach_AndEveryVerbHasItsOwnHelp()
        {
            var r = CliRunner.Run("--help");
            Assert.Equal(0, r.Code);
            var root = AetherCommand.Create(new CliContext(TextWriter.Null, TextWriter.Null, CancellationToken.None));
            Assert.Equal(s_verbs, root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            // Summaries line up in one column two spaces past the longest verb name, whatever verbs exist.
            int column = s_verbs.Max(v => v.Length) + 2;
            foreach (var verb in root.Subcommands.Where(c => !c.Hidden))
            {
                string summary = verb.Description!.Split('\n')[0];
                Assert.Contains("  " + verb.Name.PadRight(column) + summary + "\n", r.Out.ReplaceLineEndings("\n"));
                var own = CliRunner.Run(verb.Name, "--help");
                Assert.True(own.Code == 0, verb.Name + ": " + own.Err);
                Assert.Contains("aether " + verb.Name, own.Out);
                Assert.Contains(verb.Description!.Split('\n').Last(), own.Out);
                foreach (var option in verb.Options.Where(o => o.Name != "--help"))
                {
                    Assert.Contains(option.Name, own.Out);
                    Assert.False(string.IsNullOrWhiteSpace(option.Description), verb.Name + " " + option.Name + " has no help text");
                }
            }
        }

        [Fact]
        public void SharedOptions_AreOneDeclarationReusedByEveryVerb()
        {
            var root = AetherCommand.Create(new CliContext(TextWriter.Null, TextWriter.Null, CancellationToken.None));
            var all = Commands(root).SelectMany(c => c.Options).Where(o => o.Name != "--help" && o.Name != "--version").ToList();
            foreach (string shared in new[] { "--home", "--json", "--peers", "--interface", "--kind", "--allocation", "--sysfs-root" })
            {
                var declarations = all.Where(o => o.Name == shared).Distinct().ToList();
                Assert.True(declarations.Count == 1, shared + " is declared " + declarations.Count + " times");
            }

            var withHome = Commands(root).Where(c => c.Options.Any(o => o.Name == "--home")).Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "add", "dashboard", "get", "hub", "id", "init", "list", "ls", "pair", "peers", "put", "remove", "repair-index", "rm", "status" }, withHome);
        }

        [Fact]
        public void HelpVerb_AsOldHabit_ShowsTheSameHelpAsTheOption()
        {
            Assert.Equal(CliRunner.Run("--help"), CliRunner.Run("help"));
            Assert.Equal(CliRunner.Run("put", "--help"), CliRunner.Run("help", "put"));
            Assert.DoesNotContain("  help ", CliRunner.Run("--help").Out);
        }

        [Fact]
        public void BareAether_PrintsTheVerbListOnStderr_Exit2()
        {
            var r = CliRunner.Run();
            Assert.Equal(2, r.Code);
            Assert.Equal(string.Empty, r.Out);
            Assert.Contains("  put ", r.Err);
        }

        [Fact]
        public void DamagedIndex_RuntimeFailureExit1InOneLine_NoStackTrace()
        {
            string home = Path.Combine(_dir, "home");
            Assert.Equal(0, CliRunner.Run("init", "--home", home, "--kind", "laptop", "--allocation", "100MB").Code);
            File.WriteAllText(Path.Combine(home, "index.db"), "this is not an SQLite database, it only has its name");
            var r = CliRunner.Run("status", "--home", home);
            AssertOneLine(r, 1, "aether status: ");
        }

        [SkippableFact]
        public void Completion_BashScriptCompletesVerbsOptionsAndKinds_ThroughTheRealExecutable()
        {
            Skip.If(ScriptRunner.Which("bash") == null, "bash is not installed");
            var script = ScriptRunner.Run("dotnet", new[] { Aether, "completion", "bash" });
            Assert.True(script.ExitCode == 0, script.Stderr);
            string path = Path.Combine(_dir, "aether-completion.bash");
            File.WriteAllText(path, script.Stdout);
            Assert.Equal(new[] { "put" }, Complete(path, "aether pu"));
            Assert.Contains("--home", Complete(path, "aether put --h"));
            Assert.DoesNotContain("--allocation", Complete(path, "aether put --"));
            Assert.Equal(new[] { "laptop" }, Complete(path, "aether init --kind l"));
            var trust = Complete(path, "aether trust ");
            Assert.Subset(trust.ToHashSet(), new HashSet<string> { "add", "list", "remove", "--help" });
            Assert.DoesNotContain(trust, w => w.StartsWith('/'));
        }

        [Fact]
        public void Completion_OnlyBash_OtherShellsRefused()
        {
            var r = CliRunner.Run("completion", "zsh");
            AssertOneLine(r, 2, "aether completion: ");
            Assert.Contains("zsh", r.Err);
        }

        /// <summary>Sources the script in a real bash and asks it to complete <paramref name="line"/> at its end.</summary>
        private static string[] Complete(string script, string line)
        {
            string words = line.EndsWith(' ') ? line + "''" : line;
            string program = "source '" + script + "'; COMP_LINE='" + line + "'; COMP_POINT=" + line.Length +
                "; COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _aether_complete; printf '%s\\n' \"${COMPREPLY[@]}\"";
            var r = ScriptRunner.Run("bash", new[] { "-c", program });
            Assert.True(r.ExitCode == 0, r.Stderr);
            return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        private static IEnumerable<Command> Commands(Command command) =>
            new[] { command }.Concat(command.Subcommands.SelectMany(Commands));

        internal static void AssertOneLine((int Code, string Out, string Err) r, int code, string expected)
        {
            Assert.True(r.Code == code, "exit " + r.Code + ": " + r.Err);
            Assert.Single(r.Err.TrimEnd().Split('\n'));
            Assert.Contains(expected, r.Err);
            Assert.DoesNotContain("   at ", r.Err);
        }
    }
}
