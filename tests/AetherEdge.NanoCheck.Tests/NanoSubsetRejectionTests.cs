namespace AetherEdge.NanoCheck.Tests
{
    /// <summary>
    /// What nanoFramework lacks must not compile against the surfaces. Each test names the error and the missing
    /// type or member, so it cannot pass because the snippet broke for an unrelated reason.
    /// </summary>
    public class NanoSubsetRejectionTests
    {
        private static string Wrap(string body, string usings = "") =>
            usings + "\nnamespace Probe { public static class P { public static void M() { " + body + " } } }";

        private static void AssertCoreFails(string source, string id, string fragment) =>
            NanoAssert.HasError(NanoCompiler.Errors(source), id, fragment, source);

        private static void AssertFirmwareFails(string source, string id, string fragment) =>
            NanoAssert.HasError(NanoCompiler.FirmwareErrors(source), id, fragment, source);

        [Fact]
        public void Compile_ListOfT_Fails() =>
            AssertCoreFails(Wrap("var l = new System.Collections.Generic.List<int>();"), "CS0234", "'Generic'");

        [Fact]
        public void Compile_DictionaryOfT_Fails() =>
            AssertCoreFails(Wrap("var d = new Dictionary<string, int>();", "using System.Collections.Generic;"), "CS0246", "'Dictionary<,>'");

        [Fact]
        public void Compile_LinqWhere_Fails() =>
            AssertCoreFails(Wrap("int[] a = { 1 }; var n = a.Where(x => x > 0);", "using System.Linq;"), "CS1061", "'Where'");

        [Fact]
        public void Compile_LinqNamespace_Fails() =>
            AssertCoreFails(Wrap("", "using System.Linq;"), "CS0234", "'Linq'");

        [Fact]
        public void Compile_TaskAndAwait_Fails() =>
            AssertCoreFails(
                "using System.Threading.Tasks;\nnamespace Probe { public static class P { public static async Task M() { await Task.Delay(1); } } }",
                "CS0246",
                "'Task'");

        [Fact]
        public void Compile_AsyncVoid_FailsForMissingAsyncMachinery() =>
            AssertCoreFails("namespace Probe { public static class P { public static async void M() { } } }", "CS0518", "AsyncVoidMethodBuilder");

        [Fact]
        public void Compile_Tuple_Fails() =>
            AssertCoreFails(Wrap("(int, int) t = (1, 2); int x = t.Item1;"), "CS8179", "ValueTuple`2");

        [Fact]
        public void Compile_SpanOfT_Fails() =>
            AssertCoreFails(Wrap("System.Span<byte> s = new byte[4];"), "CS0234", "'Span<>'");

        [Fact]
        public void Compile_StackallocIntoSpan_Fails() =>
            AssertCoreFails(Wrap("Span<byte> s = stackalloc byte[4];", "using System;"), "CS0246", "'Span<>'");

        [Fact]
        public void Compile_StackallocExpression_FailsForMissingSpan() =>
            AssertCoreFails(Wrap("int n = (stackalloc byte[4]).Length;"), "CS0518", "System.Span`1");

        [Fact]
        public void Compile_DefaultInterpolatedStringHandler_Fails() =>
            AssertCoreFails(
                Wrap("var h = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 0);"),
                "CS0234",
                "'DefaultInterpolatedStringHandler'");

        [Fact]
        public void Compile_CustomInterpolatedStringHandler_Fails() =>
            AssertCoreFails(
                "namespace Probe { [System.Runtime.CompilerServices.InterpolatedStringHandler] public struct H { } }",
                "CS0234",
                "'InterpolatedStringHandler'");

        [Fact]
        public void Compile_BinaryPrimitives_Fails() =>
            AssertCoreFails(Wrap("int v = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(new byte[4]);"), "CS0234", "'Buffers'");

        [Fact]
        public void Compile_DecimalArithmetic_Fails() =>
            // System.Decimal is [ExcludeType] in nanoFramework's mscorlib: not in the deployed assembly.
            AssertCoreFails(Wrap("decimal d = 1.5m; d = d * 2;"), "CS0518", "System.Decimal");

        [Fact]
        public void Compile_NullableValueType_Fails() =>
            AssertCoreFails(Wrap("int? x = null; int y = x ?? 1;"), "CS0518", "System.Nullable`1");

        [Fact]
        public void Compile_GenericEventHandler_FailsThoughTheRealMscorlibDeclaresIt() =>
            // nanoFramework.CoreLibrary 1.17.11 ships EventHandler<TEventArgs>; the 1.x runtime cannot load it.
            AssertCoreFails(Wrap("System.EventHandler<System.EventArgs> h = null;"), "NANO001", "System.EventHandler<System.EventArgs>");

        [Fact]
        public void Compile_GenericFuncLambda_Fails() =>
            AssertCoreFails(Wrap("System.Func<int, int> f = x => x + 1; int y = f(1);"), "NANO001", "System.Func<int, int>");

        [Fact]
        public void Compile_OwnGenericMethodCalledWithInferredTypes_FailsAtTheDeclarationAndTheCall()
        {
            const string source =
                "namespace Probe { public static class P { static T Id<T>(T x) { return x; } public static int M() { return Id(1); } } }";
            var errors = NanoCompiler.Errors(source);
            NanoAssert.HasError(errors, "NANO002", "'Id'", source);
            NanoAssert.HasError(errors, "NANO001", "P.Id<int>(int)", source);
        }

        [Fact]
        public void Compile_EveryGenericTypeOfTheRealMscorlib_IsRejected()
        {
            // Whatever generic types the published mscorlib declares (today Action<T>, Action<T1,T2>, Func<...>,
            // EventHandler<TEventArgs>), using one must fail the check: a new CoreLibrary version cannot slip one in.
            var generic = NanoCompiler.GenericTypesOf("mscorlib");
            Assert.NotEmpty(generic);
            foreach (var type in generic)
            {
                string name = type.ContainingNamespace.ToDisplayString() + "." + type.Name
                    + "<" + string.Join(", ", type.TypeParameters.Select(_ => "object")) + ">";
                AssertCoreFails(Wrap(name + " v = null;"), "NANO001", type.Name);
            }
        }

        [Fact]
        public void Compile_Record_FailsForMissingIEquatableOfT() =>
            AssertCoreFails("namespace Probe { public record R(int X); }", "CS0518", "System.IEquatable`1");

        [Fact]
        public void Compile_FileScopedNamespace_FailsUnderCSharp9() =>
            AssertCoreFails("namespace Probe;\npublic static class P { }", "CS8773", "file-scoped namespace");

        [Fact]
        public void Compile_MathMaxOfLong_FailsBecauseNanoHasOnlyIntDoubleAndFloatOverloads() =>
            AssertCoreFails(Wrap("long a = 1, b = 2; long m = System.Math.Max(a, b);"), "CS0266", "to 'long'");

        [Fact]
        public void Compile_MathClampOfInt_FailsBecauseNanoClampsOnlyLongDoubleFloatAndUlong() =>
            AssertCoreFails(Wrap("int a = 5; int c = System.Math.Clamp(a, 0, 3);"), "CS0266", "'long' to 'int'");

        [Fact]
        public void Compile_HashtableContainsKey_FailsBecauseNanoHasOnlyContains() =>
            AssertCoreFails(Wrap("var t = new System.Collections.Hashtable(); bool b = t.ContainsKey(1);"), "CS1061", "'ContainsKey'");

        [Fact]
        public void Compile_EncodingGetStringWholeArray_FailsBecauseNanoNeedsIndexAndCount() =>
            AssertCoreFails(Wrap("string s = System.Text.Encoding.UTF8.GetString(new byte[1]);"), "CS7036", "'index'");

        [Fact]
        public void Compile_ArrayListRemoveRange_Fails() =>
            AssertCoreFails(Wrap("var l = new System.Collections.ArrayList(); l.RemoveRange(0, 1);"), "CS1061", "'RemoveRange'");

        [Fact]
        public void Compile_StringReplace_FailsBecauseNanoStringHasNone() =>
            AssertCoreFails(Wrap("string s = \"ab\".Replace(\"a\", \"b\");"), "CS1061", "'Replace'");

        [Fact]
        public void Compile_EnvironmentTickCountInCore_Fails() =>
            // Environment lives in nanoFramework.Runtime.Native, which shared-core does not reference: time is injected.
            AssertCoreFails(Wrap("long t = System.Environment.TickCount64;"), "CS0234", "'Environment'");

        [Fact]
        public void Compile_FileIoInCore_Fails() =>
            // System.IO.FileSystem is a firmware-only reference; the core does no I/O.
            AssertCoreFails(Wrap("bool b = System.IO.File.Exists(\"x\");"), "CS0234", "'File'");

        [Fact]
        public void Compile_EnvironmentTickCount32_FailsEvenInFirmware() =>
            AssertFirmwareFails(Wrap("int t = System.Environment.TickCount;"), "CS0117", "'TickCount'");

        [Fact]
        public void Compile_GattAdvertisementSetter_FailsBecauseNanoExposesOnlyAGetter() =>
            AssertFirmwareFails(
                Wrap(
                    "var p = new GattServiceProviderAdvertisingParameters(); p.Advertisement = new nanoFramework.Device.Bluetooth.Advertisement.BluetoothLEAdvertisement();",
                    "using nanoFramework.Device.Bluetooth.GenericAttributeProfile;"),
                "CS0200",
                "'GattServiceProviderAdvertisingParameters.Advertisement'");

        [Fact]
        public void Compile_GattProtocolErrorAsEnum_FailsBecauseNanoHasStaticByteProperties() =>
            AssertFirmwareFails(
                Wrap(
                    "GattProtocolError e = GattProtocolError.InvalidHandle;",
                    "using nanoFramework.Device.Bluetooth.GenericAttributeProfile;"),
                "CS0723",
                "'GattProtocolError'");

        [Fact]
        public void Compile_I2cWithReadOnlySpan_FailsBecauseNanoUsesSpanByte() =>
            AssertFirmwareFails(
                Wrap("var d = System.Device.I2c.I2cDevice.Create(new System.Device.I2c.I2cConnectionSettings(1, 0x36)); d.Write(new System.ReadOnlySpan<byte>(new byte[1]));"),
                "CS0234",
                "'ReadOnlySpan<>'");

        [Fact]
        public void Compile_FileStreamReadAsync_Fails() =>
            AssertFirmwareFails(
                Wrap("using (var s = new System.IO.FileStream(\"x\", System.IO.FileMode.Open)) { s.ReadAsync(new byte[1], 0, 1); }"),
                "CS1061",
                "'ReadAsync'");
    }
}
