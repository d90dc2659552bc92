using System.Collections.Immutable;
using AetherEdge.NanoCheck.Analyzer;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AetherEdge.NanoCheck.Tests
{
    /// <summary>
    /// Builds the declaration-only nanoFramework surfaces in memory (once) on nanoFramework's real mscorlib.dll
    /// (nanoFramework.CoreLibrary, copied next to the tests) and compiles code against them the way
    /// tests/NanoCheck does: no BCL, NANOFRAMEWORK_1_0 defined, C# 9 unless told otherwise.
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

        /// <summary>The declaration-only surfaces (every firmware assembly but the real mscorlib).</summary>
        public static string[] DeclaredSurfaces => FirmwareAssemblies.Where(a => a != "mscorlib").ToArray();

        /// <summary>The metadata references by assembly name: the real mscorlib and the compiled surfaces.</summary>
        public static MetadataReference Reference(string assembly) => s_surfaces.Value.Refs[assembly];

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

        /// <summary>
        /// Declaration errors and the generics analyzer's errors (as in the NanoCheck builds), or if none, the errors
        /// emitting IL (some lowerings fail only there).
        /// </summary>
        public static Diagnostic[] ErrorsOf(CSharpCompilation compilation)
        {
            var errors = compilation
                .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new NanoGenericsAnalyzer()))
                .GetAllDiagnosticsAsync().GetAwaiter().GetResult()
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .ToArray();
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

        /// <summary>nanoFramework's published mscorlib.dll, as the NanoCheck projects reference it.</summary>
        public static readonly string MscorlibPath = Path.Combine(AppContext.BaseDirectory, "nano", "mscorlib.dll");

        private static (Dictionary<string, MetadataReference> Refs, Diagnostic[] Errors) BuildSurfaces(string[] names)
        {
            var refs = new Dictionary<string, MetadataReference> { ["mscorlib"] = MetadataReference.CreateFromFile(MscorlibPath) };
            var errors = new List<Diagnostic>();
            foreach (string name in names.Where(n => n != "mscorlib"))
            {
                var trees = ParseDirectory(Path.Combine("tests", "NanoCheck", "Surface", name));
                if (trees.Length == 0)
                {
                    throw new InvalidOperationException("surface " + name + " has no sources");
                }

                // Each surface sees the real mscorlib and exactly the surfaces its project references, as in the msbuild build.
                var compilation = CSharpCompilation.Create(
                    name,
                    trees,
                    SurfaceDependencies(name).Prepend("mscorlib").Select(d => refs[d]),
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
                errors.AddRange(ErrorsOf(compilation));
                using var image = new MemoryStream();
                var emitted = compilation.Emit(image);
                errors.AddRange(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
                refs[name] = MetadataReference.CreateFromImage(image.ToArray());
            }

            return (refs, errors.ToArray());
        }

        /// <summary>Public generic types (or types with generic methods) that <paramref name="assembly"/> declares.</summary>
        public static INamedTypeSymbol[] GenericTypesOf(string assembly)
        {
            var compilation = Compile(Array.Empty<SyntaxTree>(), FirmwareAssemblies);
            var symbol = (IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(Reference(assembly))!;
            var found = new List<INamedTypeSymbol>();
            CollectGenericTypes(symbol.GlobalNamespace, found);
            return found.Where(t => t.DeclaredAccessibility == Accessibility.Public).ToArray();
        }

        private static void CollectGenericTypes(INamespaceSymbol ns, List<INamedTypeSymbol> found)
        {
            foreach (var type in ns.GetTypeMembers())
            {
                CollectGenericTypes(type, found);
            }

            foreach (var child in ns.GetNamespaceMembers())
            {
                CollectGenericTypes(child, found);
            }
        }

        private static void CollectGenericTypes(INamedTypeSymbol type, List<INamedTypeSymbol> found)
        {
            if (type.IsGenericType || type.GetMembers().OfType<IMethodSymbol>().Any(m => m.IsGenericMethod))
            {
                found.Add(type);
            }

            foreach (var nested in type.GetTypeMembers())
            {
                CollectGenericTypes(nested, found);
            }
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
