using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AetherEdge.NanoCheck.Tests
{
    /// <summary>The C# 9 subset nanoFramework has must compile against the surfaces (the check is not just "reject all").</summary>
    public class NanoSubsetAcceptanceTests
    {
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
                            foreach (DictionaryEntry e in table) { sb.Append(e.Key); }
                            int[] values = { 1, 2, 3 };
                            foreach (int v in values) { sb.Append(v); }
                            lock (_gate) { sb.Append(Math.Log(score) + Math.Max(1, 2) + Math.Abs(-1.5)); }
                            byte[] utf8 = Encoding.UTF8.GetBytes(Name);
                            string back = Encoding.UTF8.GetString(utf8, 0, utf8.Length);
                            string label = kind switch { Kind.A => "a", _ => "b" };
                            if (score is > 0.5 and < 2.0) { label += "!"; }
                            switch (back) { case "x": return "x"; case "y": return "y"; case "z": return "z"; case "w": return "w"; case "v": return "v"; case "u": return "u"; case "t": return "t"; }
                            int parsed;
                            int.TryParse("12", out parsed);
                            return $"{label}:{sb}:{has}:{string.Format("{0}", score)}" + values.Length + parsed + back.Substring(1).ToUpper().IndexOf('X');
                        }
                    }
                }
                """;
            NanoAssert.NoErrors(NanoCompiler.Errors(source));
        }

        [Fact]
        public void Compile_FirmwareSubset_Succeeds()
        {
            const string source = """
                using System;
                using System.Diagnostics;
                using System.IO;
                using System.Threading;
                using nanoFramework.Device.Bluetooth;
                namespace Probe
                {
                    public static class P
                    {
                        public static string M(string path)
                        {
                            var done = new AutoResetEvent(false);
                            var timer = new Timer(state => done.Set(), null, 10, Timeout.Infinite);
                            var thread = new Thread(() => Thread.Sleep(1));
                            thread.Start();
                            done.WaitOne(100, false);
                            timer.Dispose();
                            var random = new Random(42);
                            byte[] bytes = new byte[8];
                            random.NextBytes(bytes);
                            int word = BitConverter.ToInt32(bytes, 0);
                            Debug.WriteLine(Convert.ToBase64String(bytes) + word);
                            long now = Environment.TickCount64;
                            using (var stream = new FileStream(Path.Combine(path, "f"), FileMode.OpenOrCreate, FileAccess.ReadWrite))
                            {
                                stream.Seek(0, SeekOrigin.End);
                                stream.Write(bytes, 0, bytes.Length);
                            }
                            var writer = new DataWriter();
                            writer.WriteUInt32(7);
                            SpanByte span = bytes;
                            return new Guid("12345678-1234-1234-1234-123456789abc").ToString() + now + span.Slice(1, 2).Length + writer.Length;
                        }
                    }
                }
                """;
            NanoAssert.NoErrors(NanoCompiler.FirmwareErrors(source));
        }

        [Fact]
        public void Compile_InterpolatedStringUnderCSharp10_FallsBackToStringFormatBecauseNoHandlerExists()
        {
            // C# 10+ lowers $"" to DefaultInterpolatedStringHandler only when the type exists; the surface has none,
            // so even a newer LangVersion emits string.Format (which nanoFramework has). The projects pin C# 9 anyway.
            const string source = "namespace Probe { public static class P { public static string M(int x) { return $\"a{x}b{x}\"; } } }";
            var compilation = NanoCompiler.Compile(
                new[] { NanoCompiler.Parse(source, LanguageVersion.CSharp12, "Snippet.cs") },
                NanoCompiler.CoreAssemblies);
            using var image = new MemoryStream();
            var result = compilation.Emit(image);
            NanoAssert.NoErrors(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray());

            image.Position = 0;
            using var pe = new PEReader(image);
            var metadata = pe.GetMetadataReader();
            var called = metadata.MemberReferences
                .Select(h => metadata.GetMemberReference(h))
                .Where(m => m.Parent.Kind == HandleKind.TypeReference)
                .Select(m => metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)m.Parent).Name) + "." + metadata.GetString(m.Name))
                .ToArray();
            Assert.Contains("String.Format", called);
            Assert.DoesNotContain(called, c => c.Contains("InterpolatedStringHandler", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("tests/NanoCheck/AetherEdge.Core.NanoCheck.csproj")]
        [InlineData("tests/NanoCheck/Firmware/AetherEdge.Firmware.NanoCheck.csproj")]
        [InlineData("shared-core/AetherEdge.Core/AetherEdge.Core.csproj")]
        [InlineData("shared-core/nano/AetherEdge.Core.nfproj")]
        public void Project_PinsLangVersion9(string relativePath)
        {
            string text = File.ReadAllText(Path.Combine(NanoCompiler.RepoRoot, relativePath));
            Assert.Matches(@"<LangVersion>9(\.0)?</LangVersion>", text);
        }
    }
}
