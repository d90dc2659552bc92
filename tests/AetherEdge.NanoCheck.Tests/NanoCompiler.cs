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

        /// <summary>What shared-core may reference (the packages its nfproj lists), in dependency order.</summary>
        public static readonly string[] CoreAssemblies =
        {
            "mscorlib", "nanoFramework.System.Collections", "nanoFramework.System.Text", "System.Math",
        };

        /// <summary>Every surface, in dependency order: what the beacon firmware (glue, drivers, Program) may reference.</summary>
        public static readonly string[] FirmwareAssemblies =
        {
            "mscorlib", "nanoFramework.System.Collections", "nanoFramework.System.Text", "System.Math",
            "nanoFramework.Runtime.Native", "System.IO.Streams", "System.IO.FileSystem", "System.Device.I2c",
            "nanoFramework.Device.Bluetooth",
        };

        private static readonly Lazy<(Dictionary<string, MetadataReference> Refs, Diagnostic[] Errors)> s_surfaces =
            new(() => BuildSurfaces(FirmwareAssemblies));

        /// <summary>Errors from compiling the surface sources themselves (all assemblies).</summary>
        public static Diagnostic[] SurfaceErrors => s_surfaces.Value.Errors;

        /// <summary>Errors compiling <paramref name="source"/> against the shared-core references.</summary>
        public static Diagnostic[] Errors(string source, LanguageVersion version = LanguageVersion.CSharp9) =>
            Errors(new[] { Parse(source, version, "Snippet.cs") }, CoreAssemblies);

        /// <summary>Errors compiling <paramref name="source"/> against every surface (firmware references).</summary>
        public static Diagnostic[] FirmwareErrors(string source, LanguageVersion version = LanguageVersion.CSharp9) =>
            Errors(new[] { Parse(source, version, "Snippet.cs") }, FirmwareAssemblies);

        public static Diagnostic[] Errors(IEnumerable<SyntaxTree> trees, string[] assemblies) =>
            ErrorsOf(Compile(trees, assemblies));

        /// <summary>Compiles against the named surfaces, as the NanoCheck projects do (NoStdLib, library).</summary>
        public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, string[] assemblies) =>
            CSharpCompilation.Create(
                "NanoSnippet",
                trees,
                assemblies.Select(a => s_surfaces.Value.Refs[a]),
                Options());

        /// <summary>Declaration errors, or if none, the errors emitting IL (some lowerings fail only there).</summary>
        public static Diagnostic[] ErrorsOf(CSharpCompilation compilation)
        {
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            if (errors.Length > 0)
            {
                return errors;
            }

            using var image = new MemoryStream();
            return compilation.Emit(image).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        }

        /// <summary>Every *.cs below <paramref name="relativeDirectory"/> (none when it is missing), parsed as C# 9.</summary>
        public static SyntaxTree[] ParseDirectory(string relativeDirectory, SearchOption option = SearchOption.AllDirectories)
        {
            string dir = Path.Combine(RepoRoot, relativeDirectory);
            if (!Directory.Exists(dir))
            {
                return Array.Empty<SyntaxTree>();
            }

            return Directory.EnumerateFiles(dir, "*.cs", option)
                .Where(f => !IsBuildOutput(f))
                .Select(f => Parse(File.ReadAllText(f), LanguageVersion.CSharp9, f))
                .ToArray();
        }

        private static bool IsBuildOutput(string path) =>
            path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
            || path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}");

        public static SyntaxTree Parse(string source, LanguageVersion version, string path) =>
            CSharpSyntaxTree.ParseText(
                source,
                new CSharpParseOptions(version, preprocessorSymbols: new[] { "NANOFRAMEWORK_1_0" }),
                path);

        private static CSharpCompilationOptions Options() =>
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

        private static (Dictionary<string, MetadataReference> Refs, Diagnostic[] Errors) BuildSurfaces(string[] names)
        {
            var refs = new Dictionary<string, MetadataReference>();
            var errors = new List<Diagnostic>();
            foreach (string name in names)
            {
                var trees = ParseDirectory(Path.Combine("tests", "NanoCheck", "Surface", name));
                if (trees.Length == 0)
                {
                    throw new InvalidOperationException("surface " + name + " has no sources");
                }

                // Each surface sees exactly what its project references, as in the msbuild build.
                var compilation = CSharpCompilation.Create(
                    name,
                    trees,
                    SurfaceDependencies(name).Select(d => refs[d]),
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
                errors.AddRange(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
                using var image = new MemoryStream();
                var emitted = compilation.Emit(image);
                errors.AddRange(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
                refs[name] = MetadataReference.CreateFromImage(image.ToArray());
            }

            return (refs, errors.ToArray());
        }

        private static IEnumerable<string> SurfaceDependencies(string name)
        {
            string project = Path.Combine(RepoRoot, "tests", "NanoCheck", "Surface", name, name + ".csproj");
            var document = System.Xml.Linq.XDocument.Load(project);
            return document.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")!))
                .ToArray();
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
