using System.Text.RegularExpressions;

namespace AetherEdge.Core.Tests.Portability
{
    /// <summary>
    /// House rules for shared-core/src that the nano-subset compile cannot see: time and randomness
    /// are injected (no ambient clock or RNG), and namespaces are block-scoped and follow folders.
    /// </summary>
    public class SharedCoreSourceRulesTests
    {
        private static readonly string s_src = Path.Combine(RepoRoot(), "shared-core", "src");

        public static IEnumerable<object[]> SourceFiles() =>
            Directory.EnumerateFiles(s_src, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                .Select(f => new object[] { Path.GetRelativePath(s_src, f) });

        [Theory]
        [MemberData(nameof(SourceFiles))]
        public void Source_NoAmbientClockOrRandomness(string file)
        {
            string text = File.ReadAllText(Path.Combine(s_src, file));
            foreach (var banned in new[] { "DateTime.Now", "DateTime.UtcNow", "DateTime.Today", "Environment.TickCount", "new Random(", "Stopwatch", "Guid.NewGuid" })
            {
                Assert.False(text.Contains(banned, StringComparison.Ordinal), $"{file} uses {banned}: inject IClock / IRandomSource instead");
            }
        }

        [Theory]
        [MemberData(nameof(SourceFiles))]
        public void Source_BlockNamespaceFollowsFolder(string file)
        {
            string text = File.ReadAllText(Path.Combine(s_src, file));
            string folder = Path.GetDirectoryName(file)!.Replace(Path.DirectorySeparatorChar, '.');
            string expected = folder.Length == 0 ? "AetherEdge.Core" : "AetherEdge.Core." + folder;
            var m = Regex.Match(text, @"^namespace\s+([\w.]+)\s*(;)?", RegexOptions.Multiline);
            Assert.True(m.Success, $"{file} declares no namespace");
            Assert.False(m.Groups[2].Success, $"{file} uses a file-scoped namespace; nanoFramework code uses block namespaces");
            Assert.Equal(expected, m.Groups[1].Value);
        }

        [Fact]
        public void SourceFiles_Exist() => Assert.NotEmpty(SourceFiles());

        private static string RepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AetherEdge.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("AetherEdge.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
