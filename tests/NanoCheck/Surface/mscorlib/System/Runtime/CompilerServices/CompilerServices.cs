namespace System.Runtime.CompilerServices
{
    // nanoFramework.CoreLibrary/System/Runtime/CompilerServices/{RuntimeHelpers,IndexerNameAttribute,
    // MethodImplAttribute,MethodImplOptions,ExtensionAttribute,IsExternalInit}.cs
    public static class RuntimeHelpers
    {
        public static extern void InitializeArray(Array array, RuntimeFieldHandle fldHandle);
        public static extern object GetObjectValue(object obj);
        public static extern void RunClassConstructor(RuntimeTypeHandle type);
        public static extern int OffsetToStringData { get; }
    }

    [AttributeUsage(AttributeTargets.Property, Inherited = true)]
    public sealed class IndexerNameAttribute : Attribute
    {
        public IndexerNameAttribute(string indexerName) { }
    }

    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
    public sealed class MethodImplAttribute : Attribute
    {
        public MethodImplAttribute() { }
        public MethodImplAttribute(MethodImplOptions methodImplOptions) { }
        public MethodImplAttribute(short value) { }
    }

    [Flags]
    public enum MethodImplOptions
    {
        Unmanaged = 0x0004,
        ForwardRef = 0x0010,
        PreserveSig = 0x0080,
        InternalCall = 0x1000,
        Synchronized = 0x0020,
        NoInlining = 0x0008,
    }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Method | AttributeTargets.Assembly)]
    public sealed class ExtensionAttribute : Attribute { }

    // Public in nanoFramework's mscorlib, so init-only setters compile there (records still do not: no IEquatable<T>).
    public static class IsExternalInit
    {
    }
}
