using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AetherEdge.NanoCheck.Tests
{
    /// <summary>
    /// Builds the declaration-only nanoFramework surfaces in memory (once) and compiles code against them
    /// the way tests/NanoCheck does: no BCL, NANOFRAMEWORK_1_0 defined, C# 9 unless told otherwise.
    /// </summary>
    internal static class NanoCompiler
    {
        public static readonly string RepoRoot = FindRepoRoot();

        private static readonly string s_surfaceRoot = Path.Combine(RepoRoot, "tests", "NanoCheck", "Surface");

        /// <summary>Surface assemblies in dependency order (mscorlib first).</summary>
        public static readonly string[] CoreAssemblies =
        {
            "mscorlib", "nanoFramework.System.Collections", "nanoFramework.System.Text", "System.Math",
        };

        private static readonly Lazy<(MetadataReference[] Refs, Diagnostic[] Errors)> s_core = new(() => BuildSurfaces(CoreAssemblies));

        public static Diagnostic[] SurfaceErrors => s_core.Value.Errors;

        public static Diagnostic[] Errors(string source, LanguageVersion version = LanguageVersion.CSharp9) =>
            Errors(new[] { Parse(source, version, "Snippet.cs") }, version);

        public static Diagnostic[] Errors(IEnumerable<SyntaxTree> trees, LanguageVersion version = LanguageVersion.CSharp9)
        {
            var compilation = CSharpCompilation.Create(
                "NanoSnippet",
                trees,
                s_core.Value.Refs,
                Options());
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            if (errors.Length > 0)
            {
                return errors;
            }

            // Some lowerings (async state machines, tuples) only fail when IL is emitted.
            using var image = new MemoryStream();
            return compilation.Emit(image).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        }

        public static SyntaxTree Parse(string source, LanguageVersion version, string path) =>
            CSharpSyntaxTree.ParseText(
                source,
                new CSharpParseOptions(version, preprocessorSymbols: new[] { "NANOFRAMEWORK_1_0" }),
                path);

        private static CSharpCompilationOptions Options() =>
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

        private static (MetadataReference[] Refs, Diagnostic[] Errors) BuildSurfaces(string[] names)
        {
            var refs = new List<MetadataReference>();
            var errors = new List<Diagnostic>();
            foreach (string name in names)
            {
                string dir = Path.Combine(s_surfaceRoot, name);
                var trees = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
                    .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                    .Select(f => Parse(File.ReadAllText(f), LanguageVersion.CSharp9, f));
                var compilation = CSharpCompilation.Create(
                    name,
                    trees,
                    refs,
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
                errors.AddRange(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
                using var image = new MemoryStream();
                var emitted = compilation.Emit(image);
                errors.AddRange(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
                refs.Add(MetadataReference.CreateFromImage(image.ToArray()));
            }

            return (refs.ToArray(), errors.ToArray());
        }

        private static string FindRepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AetherEdge.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("AetherEdge.sln not found");
        }
    }
}
