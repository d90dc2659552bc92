using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AetherEdge.HostNode.Tests.Architecture
{
    /// <summary>
    /// Which namespace of a code base uses which, found by compiling its sources with Roslyn and
    /// resolving every name, member access and constructor call to the type that declares it.
    /// </summary>
    internal sealed class NamespaceGraph
    {
        private readonly Dictionary<(string From, string To), string> _edges = new();

        private NamespaceGraph(CSharpCompilation compilation, string root)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                foreach (var node in tree.GetRoot().DescendantNodes())
                {
                    if (node is not (SimpleNameSyntax or BaseObjectCreationExpressionSyntax))
                    {
                        continue;
                    }

                    var info = model.GetSymbolInfo(node);
                    var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                    var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType;
                    if (type == null || !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly))
                    {
                        continue;
                    }

                    string to = type.ContainingNamespace.ToDisplayString();
                    string from = NamespaceAt(model, node.SpanStart);
                    if (from != to && Inside(from, root) && Inside(to, root))
                    {
                        _edges.TryAdd((from, to), tree.FilePath + ":" + (node.GetLocation().GetLineSpan().StartLinePosition.Line + 1) + " " + node);
                    }
                }

                Errors.AddRange(model.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            }
        }

        /// <summary>Compile errors (a name that does not resolve hides the edge it makes).</summary>
        public List<Diagnostic> Errors { get; } = new();

        /// <summary>Namespace → namespace it uses, with the first place seen (file:line name).</summary>
        public IReadOnlyDictionary<(string From, string To), string> Edges => _edges;

        /// <summary>The graph of <paramref name="sources"/> (path, text) within namespace <paramref name="root"/>.</summary>
        public static NamespaceGraph Build(IEnumerable<(string Path, string Text)> sources, string root)
        {
            var options = new CSharpParseOptions(LanguageVersion.Preview);
            var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, options, s.Path)).ToList();
            trees.Add(CSharpSyntaxTree.ParseText(ImplicitUsings, options, "ImplicitUsings.cs"));
            var compilation = CSharpCompilation.Create(
                "NamespaceGraph",
                trees,
                References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
            return new NamespaceGraph(compilation, root);
        }

        /// <summary>Namespaces that use each other, directly or round a loop, ignoring <paramref name="allowed"/> edges.</summary>
        public List<List<string>> Cycles(ISet<(string From, string To)> allowed)
        {
            var next = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (from, to) in _edges.Keys.Where(e => !allowed.Contains(e)))
            {
                if (!next.TryGetValue(from, out var list))
                {
                    next[from] = list = new List<string>();
                }

                list.Add(to);
                next.TryAdd(to, new List<string>());
            }

            return StronglyConnected(next).Where(c => c.Count > 1).ToList();
        }

        /// <summary>One way round a cycle, as "A → B → ... → A" with where each step is made.</summary>
        public string Describe(List<string> cycle, ISet<(string From, string To)> allowed)
        {
            var set = cycle.ToHashSet(StringComparer.Ordinal);
            var lines = new List<string>();
            foreach (var e in _edges.Where(e => set.Contains(e.Key.From) && set.Contains(e.Key.To) && !allowed.Contains(e.Key)).OrderBy(e => e.Key.From).ThenBy(e => e.Key.To))
            {
                lines.Add("  " + e.Key.From + " -> " + e.Key.To + "   (" + e.Value + ")");
            }

            return string.Join(", ", cycle) + ":\n" + string.Join("\n", lines);
        }

        private const string ImplicitUsings =
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

        private static bool Inside(string ns, string root) => ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

        private static string NamespaceAt(SemanticModel model, int position)
        {
            ISymbol? s = model.GetEnclosingSymbol(position);
            while (s != null && s is not INamespaceSymbol)
            {
                s = s.ContainingSymbol;
            }

            return s?.ToDisplayString() ?? string.Empty;
        }

        // The runtime's assemblies and the packages next to the tests; never the compiled projects
        // themselves (their types must come from the sources being analysed).
        private static IEnumerable<MetadataReference> References()
        {
            var own = new[] { "aether.dll", "AetherEdge.TestSupport.dll", "AetherEdge.HostNode.Tests.dll" };
            var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
            return platform.Concat(local)
                .Where(p => !own.Contains(Path.GetFileName(p), StringComparer.OrdinalIgnoreCase))
                .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
                .Select(g => MetadataReference.CreateFromFile(g.First()));
        }

        // Tarjan's algorithm.
        private static List<List<string>> StronglyConnected(Dictionary<string, List<string>> next)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var low = new Dictionary<string, int>(StringComparer.Ordinal);
            var stack = new Stack<string>();
            var onStack = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<List<string>>();
            int counter = 0;

            void Visit(string v)
            {
                index[v] = low[v] = counter++;
                stack.Push(v);
                onStack.Add(v);
                foreach (string w in next[v])
                {
                    if (!index.ContainsKey(w))
                    {
                        Visit(w);
                        low[v] = Math.Min(low[v], low[w]);
                    }
                    else if (onStack.Contains(w))
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }
                }

                if (low[v] == index[v])
                {
                    var component = new List<string>();
                    string w;
                    do
                    {
                        w = stack.Pop();
                        onStack.Remove(w);
                        component.Add(w);
                    }
                    while (w != v);
                    component.Sort(StringComparer.Ordinal);
                    result.Add(component);
                }
            }

            foreach (string v in next.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                if (!index.ContainsKey(v))
                {
                    Visit(v);
                }
            }

            return result;
        }
    }
}
