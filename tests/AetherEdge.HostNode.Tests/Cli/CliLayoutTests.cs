using System.Text.RegularExpressions;
using AetherEdge.HostNode.Tests.Scripts;

namespace AetherEdge.HostNode.Tests.Cli
{
    /// <summary>Dependencies run Program → Verbs → Cli, and Planning knows no CLI (issue 11: no namespace cycles).</summary>
    public sealed class CliLayoutTests
    {
        private static string Folder(string name) => Path.Combine(ScriptRunner.RepoRoot, "hostnode", "AetherEdge.HostNode", name);

        [Theory]
        [InlineData("Cli", "Verbs")]
        [InlineData("Planning", "Cli")]
        [InlineData("Planning", "Verbs")]
        public void Folder_DoesNotReferenceTheNamespaceAboveIt(string folder, string forbidden)
        {
            var files = Directory.GetFiles(Folder(folder), "*.cs");
            Assert.NotEmpty(files);
            var reference = new Regex(@"AetherEdge\.HostNode\." + forbidden + @"\b|(?<![\w.])" + forbidden + @"\.[A-Z]");
            foreach (string file in files)
            {
                string code = Regex.Replace(File.ReadAllText(file), @"//.*", string.Empty);
                Assert.False(reference.IsMatch(code), Path.GetFileName(file) + " in " + folder + "/ refers to " + forbidden);
            }
        }
    }
}
