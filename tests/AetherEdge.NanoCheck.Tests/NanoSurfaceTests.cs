using Microsoft.CodeAnalysis;

namespace AetherEdge.NanoCheck.Tests
{
    /// <summary>The surfaces themselves, and the real shared-core and firmware sources compiled against them.</summary>
    public class NanoSurfaceTests
    {
        [Fact]
        public void Surface_AllAssemblies_CompileWithoutErrors() =>
            NanoAssert.NoErrors(NanoCompiler.SurfaceErrors);

        [Fact]
        public void Mscorlib_IsNanoFrameworksPublishedAssemblyNotADeclaredSurface()
        {
            var compilation = NanoCompiler.Compile(Array.Empty<SyntaxTree>(), NanoCompiler.CoreAssemblies);
            var mscorlib = (IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(NanoCompiler.Reference("mscorlib"))!;
            Assert.Equal("mscorlib", mscorlib.Identity.Name);
            Assert.Equal(1, mscorlib.Identity.Version.Major);
            // Real bodies: the published assembly carries nanoFramework's own types our surface never declared.
            Assert.NotNull(mscorlib.GetTypeByMetadataName("System.Reflection.AssemblyName"));
            Assert.False(Directory.Exists(Path.Combine(NanoCompiler.RepoRoot, "tests", "NanoCheck", "Surface", "mscorlib")));
        }

        [Theory]
        [InlineData("tests/NanoCheck/AetherEdge.Core.NanoCheck.csproj", "Nano.props")]
        [InlineData("tests/NanoCheck/Firmware/AetherEdge.Firmware.NanoCheck.csproj", "../Nano.props")]
        [InlineData("tests/NanoCheck/Surface/Surface.props", "../Nano.props")]
        public void Check_ImportsTheRealMscorlibAndTheGenericsAnalyzer(string relativePath, string import)
        {
            string text = File.ReadAllText(Path.Combine(NanoCompiler.RepoRoot, relativePath));
            Assert.Contains("<Import Project=\"" + import + "\" />", text, StringComparison.Ordinal);
            Assert.DoesNotContain("mscorlib.csproj", text, StringComparison.Ordinal);
        }

        [Fact]
        public void Surface_EachAssembly_HasAProjectNamedAfterIt()
        {
            foreach (string name in NanoCompiler.DeclaredSurfaces)
            {
                string project = Path.Combine(NanoCompiler.RepoRoot, "tests", "NanoCheck", "Surface", name, name + ".csproj");
                Assert.True(File.Exists(project), "missing surface project " + project);
                string text = File.ReadAllText(project);
                Assert.Contains("<AssemblyName>" + name + "</AssemblyName>", text, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Surface_DeclaresNoGenericType()
        {
            // nanoFramework 1.x has no runtime generics: a generic declaration in one of our surfaces would be one
            // more thing for the analyzer to catch instead of the compiler. (The real mscorlib does declare a few;
            // Compile_EveryGenericTypeOfTheRealMscorlib_IsRejected covers those.)
            var generic = NanoCompiler.DeclaredSurfaces
                .SelectMany(NanoCompiler.GenericTypesOf)
                .Select(t => t.ToDisplayString())
                .ToArray();
            Assert.True(generic.Length == 0, "generic types in the surface: " + string.Join(", ", generic));
        }

        [Fact]
        public void Compile_SharedCoreSources_HaveNoErrors()
        {
            var trees = NanoCompiler.ParseDirectory(Path.Combine("shared-core", "src"));
            Assert.NotEmpty(trees);
            NanoAssert.NoErrors(NanoCompiler.Errors(trees, NanoCompiler.CoreAssemblies));
        }

        [Fact]
        public void Compile_FirmwareSources_HaveNoErrors()
        {
            // shared-core + firmware/Beacon + firmware/Glue + firmware/*.cs against every surface, as
            // tests/NanoCheck/Firmware does. Missing folders contribute nothing.
            var trees = NanoCompiler.ParseDirectory(Path.Combine("shared-core", "src"))
                .Concat(NanoCompiler.ParseDirectory(Path.Combine("firmware", "Beacon")))
                .Concat(NanoCompiler.ParseDirectory(Path.Combine("firmware", "Glue")))
                .Concat(NanoCompiler.ParseDirectory("firmware", SearchOption.TopDirectoryOnly))
                .ToArray();
            NanoAssert.NoErrors(NanoCompiler.Errors(trees, NanoCompiler.FirmwareAssemblies));
        }

        [Theory]
        [InlineData("shared-core/src")]
        [InlineData("firmware")]
        public void Sources_DeclareNoGenericTypesOrMethods(string relativeDirectory)
        {
            // A generic class or method needs nothing from the BCL, so the surfaces cannot reject it; nanoFramework 1.x
            // cannot load it. Checked on the syntax instead.
            var generic = NanoCompiler.ParseDirectory(relativeDirectory)
                .SelectMany(tree => tree.GetRoot().DescendantNodes()
                    .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeParameterListSyntax>()
                    .Select(list => tree.FilePath + ":" + (list.GetLocation().GetLineSpan().StartLinePosition.Line + 1)))
                .ToArray();
            Assert.True(generic.Length == 0, "generic declarations: " + string.Join(", ", generic));
        }
    }
}
