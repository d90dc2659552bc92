using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AetherEdge.NanoCheck.Tests
{
    /// <summary>The surfaces themselves, and the real shared-core and firmware sources compiled against them.</summary>
    public class NanoSurfaceTests
    {
        [Fact]
        public void Surface_AllAssemblies_CompileWithoutErrors() =>
            NanoAssert.NoErrors(NanoCompiler.SurfaceErrors);

        [Fact]
        public void Surface_EachAssembly_HasAProjectNamedAfterIt()
        {
            foreach (string name in NanoCompiler.FirmwareAssemblies)
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
            // nanoFramework 1.x has no runtime generics: a generic declaration in a surface would let generic code pass.
            var compilation = NanoCompiler.Compile(Array.Empty<SyntaxTree>(), NanoCompiler.FirmwareAssemblies);
            var generic = new List<string>();
            foreach (var reference in compilation.References)
            {
                if (compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly)
                {
                    CollectGenericTypes(assembly.GlobalNamespace, generic);
                }
            }

            Assert.True(generic.Count == 0, "generic types in the surface: " + string.Join(", ", generic));
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

        private static void CollectGenericTypes(INamespaceSymbol ns, List<string> found)
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

        private static void CollectGenericTypes(INamedTypeSymbol type, List<string> found)
        {
            if (type.IsGenericType || type.GetMembers().OfType<IMethodSymbol>().Any(m => m.IsGenericMethod))
            {
                found.Add(type.ToDisplayString());
            }

            foreach (var nested in type.GetTypeMembers())
            {
                CollectGenericTypes(nested, found);
            }
        }
    }
}
