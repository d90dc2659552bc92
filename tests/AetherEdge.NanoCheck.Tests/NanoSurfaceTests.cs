using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AetherEdge.NanoCheck.Tests
{
    public class NanoSurfaceTests
    {
        private static void AssertFails(string source, params string[] anyOfIds)
        {
            var errors = NanoCompiler.Errors(source);
            Assert.True(errors.Length > 0, "expected the nanoFramework surface to reject:\n" + source);
            Assert.True(
                errors.Any(e => anyOfIds.Contains(e.Id)),
                $"expected one of {string.Join(", ", anyOfIds)}, got:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        }

        private static string Wrap(string body, string usings = "") =>
            usings + "\nnamespace Probe { public static class P { public static void M() { " + body + " } } }";

        [Fact]
        public void Surface_Compiles_WithoutErrors() =>
            Assert.True(NanoCompiler.SurfaceErrors.Length == 0, string.Join("\n", NanoCompiler.SurfaceErrors.Select(e => e.ToString())));

        [Fact]
        public void Compile_SharedCoreSources_HaveNoErrors()
        {
            string src = Path.Combine(NanoCompiler.RepoRoot, "shared-core", "src");
            var trees = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                .Select(f => NanoCompiler.Parse(File.ReadAllText(f), LanguageVersion.CSharp9, f))
                .ToArray();
            Assert.NotEmpty(trees);
            var errors = NanoCompiler.Errors(trees);
            Assert.True(errors.Length == 0, string.Join("\n", errors.Take(30).Select(e => e.ToString())));
        }

        [Fact]
        public void Compile_PlainCSharp9Subset_Succeeds()
        {
            const string source = """
                using System;
                using System.Collections;
                using System.Text;
                namespace Probe
                {
                    public enum Kind { A, B }
                    public sealed class Node
                    {
                        private readonly object _gate = new object();
                        public string Name { get; }
                        public Node(string name) { Name = name; }
                        public string Describe(Kind kind, double score)
                        {
                            var list = new ArrayList();
                            list.Add(Name);
                            var table = new Hashtable();
                            table["k"] = 1;
                            bool has = table.Contains("k");
                            var sb = new StringBuilder();
                            foreach (object o in list) { sb.Append((string)o); }
                            int[] values = { 1, 2, 3 };
                            foreach (int v in values) { sb.Append(v); }
                            lock (_gate) { sb.Append(Math.Log(score)); }
                            byte[] utf8 = Encoding.UTF8.GetBytes(Name);
                            string back = Encoding.UTF8.GetString(utf8, 0, utf8.Length);
                            string label = kind switch { Kind.A => "a", _ => "b" };
                            switch (back) { case "x": return "x"; case "y": return "y"; case "z": return "z"; case "w": return "w"; case "v": return "v"; case "u": return "u"; case "t": return "t"; }
                            return $"{label}:{sb}:{has}:{string.Format("{0}", score)}" + values.Length;
                        }
                    }
                }
                """;
            var errors = NanoCompiler.Errors(source);
            Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));
        }

        [Fact]
        public void Compile_ListOfT_Fails() =>
            AssertFails(Wrap("var l = new System.Collections.Generic.List<int>();"), "CS0234");

        [Fact]
        public void Compile_DictionaryOfT_Fails() =>
            AssertFails(Wrap("var d = new Dictionary<string, int>();", "using System.Collections.Generic;"), "CS0234", "CS0246");

        [Fact]
        public void Compile_Linq_Fails() =>
            AssertFails(Wrap("int[] a = { 1 }; var n = a.Where(x => x > 0);", "using System.Linq;"), "CS0234", "CS1061");

        [Fact]
        public void Compile_TaskAndAwait_Fails() =>
            AssertFails("using System.Threading.Tasks;\nnamespace Probe { public static class P { public static async Task M() { await Task.Delay(1); } } }", "CS0234", "CS0246");

        [Fact]
        public void Compile_AsyncVoid_FailsForMissingAsyncMachinery() =>
            AssertFails("namespace Probe { public static class P { public static async void M() { } } }", "CS0518", "CS0656", "CS1983");

        [Fact]
        public void Compile_Tuple_Fails() =>
            AssertFails(Wrap("(int, int) t = (1, 2); int x = t.Item1;"), "CS0518", "CS8179");

        [Fact]
        public void Compile_SpanOfT_Fails() =>
            AssertFails(Wrap("System.Span<byte> s = new byte[4];"), "CS0234", "CS0246");

        [Fact]
        public void Compile_DefaultInterpolatedStringHandler_Fails() =>
            AssertFails(Wrap("var h = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 0);"), "CS0234");

        [Fact]
        public void Compile_CustomInterpolatedStringHandler_Fails() =>
            AssertFails("namespace Probe { [System.Runtime.CompilerServices.InterpolatedStringHandler] public struct H { } }", "CS0234");

        [Fact]
        public void Compile_BinaryPrimitives_Fails() =>
            AssertFails(Wrap("int v = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(new byte[4]);"), "CS0234");

        [Fact]
        public void Compile_Decimal_Fails() =>
            AssertFails(Wrap("decimal d = 1.5m; d = d * 2;"), "CS0518");

        [Fact]
        public void Compile_NullableValueType_Fails() =>
            AssertFails(Wrap("int? x = null; int y = x ?? 1;"), "CS0518");

        [Fact]
        public void Compile_MathMaxOfLong_FailsBecauseNanoHasOnlyIntDoubleAndFloatOverloads() =>
            AssertFails(Wrap("long a = 1, b = 2; long m = System.Math.Max(a, b);"), "CS0266");

        [Fact]
        public void Compile_HashtableContainsKey_FailsBecauseNanoHasOnlyContains() =>
            AssertFails(Wrap("var t = new System.Collections.Hashtable(); bool b = t.ContainsKey(1);"), "CS1061");

        [Fact]
        public void Compile_EncodingGetStringWholeArray_FailsBecauseNanoNeedsIndexAndCount() =>
            AssertFails(Wrap("string s = System.Text.Encoding.UTF8.GetString(new byte[1]);"), "CS7036");

        [Fact]
        public void Compile_ArrayListRemoveRange_Fails() =>
            AssertFails(Wrap("var l = new System.Collections.ArrayList(); l.RemoveRange(0, 1);"), "CS1061");

        [Fact]
        public void Compile_StringReplace_FailsBecauseNanoStringHasNone() =>
            AssertFails(Wrap("string s = \"ab\".Replace(\"a\", \"b\");"), "CS1061");
    }
}
