namespace AetherEdge.HostNode.Tests.Architecture
{
    /// <summary>The hub's namespaces form layers: none uses another that uses it back, directly or round a loop.</summary>
    public sealed class NamespaceCycleTests
    {
        private const string Root = "AetherEdge.HostNode";

        /// <summary>
        /// Known cycles, owned by the CLI rewrite (System.CommandLine): the verb table names the verbs, the
        /// verbs use the CLI's context and errors, and `plan`'s devices file throws the CLI's usage error.
        /// That work empties this list; an entry that no longer exists fails the test below.
        /// </summary>
        // Empty since the CLI moved to System.CommandLine (Verbs -> Cli only; Planning knows no Cli).
        private static readonly HashSet<(string From, string To)> s_knownCycleEdgesUntilTheCliRewrite = new();

        private static readonly Lazy<NamespaceGraph> s_hostNode = new(() => NamespaceGraph.Build(HostNodeSources(), Root));

        private static IEnumerable<(string Path, string Text)> HostNodeSources()
        {
            string dir = Path.Combine(RepoRoot(), "hostnode", "AetherEdge.HostNode");
            return Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
                .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .Select(p => (Path.GetRelativePath(dir, p), File.ReadAllText(p)));
        }

        private static string RepoRoot()
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d != null && !File.Exists(Path.Combine(d.FullName, "AetherEdge.sln")))
            {
                d = d.Parent;
            }

            return d?.FullName ?? throw new DirectoryNotFoundException("AetherEdge.sln not found above " + AppContext.BaseDirectory);
        }

        [Fact]
        public void HostNode_Namespaces_HaveNoCycleBesidesTheKnownCliOnes()
        {
            var graph = s_hostNode.Value;
            var cycles = graph.Cycles(s_knownCycleEdgesUntilTheCliRewrite);
            Assert.True(cycles.Count == 0, "namespace cycles in " + Root + ":\n" + string.Join("\n", cycles.Select(c => graph.Describe(c, s_knownCycleEdgesUntilTheCliRewrite))));
        }

        [Fact]
        public void HostNode_KnownCycleEdges_StillExist()
        {
            var stale = s_knownCycleEdgesUntilTheCliRewrite.Where(e => !s_hostNode.Value.Edges.ContainsKey(e)).ToList();
            Assert.True(stale.Count == 0, "no longer used, remove from the known cycle edges: " + string.Join(", ", stale));
        }

        [Fact]
        public void HostNode_Sources_ResolveSoNoEdgeIsMissed()
        {
            // Only the JSON source generator's half of the JsonSerializerContext classes is absent here (their
            // Default, options and constructor); every other name must resolve, or an edge could hide.
            var errors = s_hostNode.Value.Errors
                .Where(d => !(d.Id is "CS7036" or "CS0534" or "CS0117" && d.GetMessage().Contains("JsonSerializerContext", StringComparison.Ordinal)))
                .Where(d => !(d.Id == "CS0117" && d.GetMessage().Contains("JsonContext' does not contain a definition for 'Default'", StringComparison.Ordinal)))
                .ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
        }

        [Fact]
        public void HostNode_Layers_EdgesRunDownwards()
        {
            var edges = s_hostNode.Value.Edges;
            Assert.Contains((Root + ".Hub", Root + ".Placement"), edges.Keys);
            Assert.Contains((Root + ".Repair", Root + ".Placement"), edges.Keys);
            Assert.Contains((Root + ".Placement", Root + ".Peers"), edges.Keys);
            Assert.DoesNotContain(edges.Keys, e => e.From != Root + ".Hub" && e.To == Root + ".Hub" && e.From != Root + ".Verbs");
        }

        [Fact]
        public void Cycles_TwoNamespacesUsingEachOther_Found()
        {
            var graph = NamespaceGraph.Build(
                new[]
                {
                    ("A.cs", "namespace X.A { public class Ay { public X.B.Bee? Other; } }"),
                    ("B.cs", "namespace X.B { public class Bee { public void Use() => new X.A.Ay().ToString(); } }"),
                    ("C.cs", "namespace X.C { public class Sea { public X.A.Ay? Down; } }"),
                },
                "X");
            var cycle = Assert.Single(graph.Cycles(new HashSet<(string, string)>()));
            Assert.Equal(new[] { "X.A", "X.B" }, cycle);
            Assert.Empty(graph.Cycles(new HashSet<(string, string)> { ("X.B", "X.A") }));
        }
    }
}
