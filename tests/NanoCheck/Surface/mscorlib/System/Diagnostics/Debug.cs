namespace System.Diagnostics
{
    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/Diagnostics/{Debug,ConditionalAttribute}.cs.
    // Every Debug member is [Conditional("DEBUG")] there too, so calls vanish from release builds.
    public static class Debug
    {
        [Conditional("DEBUG")]
        public static void Assert(bool condition) { }

        [Conditional("DEBUG")]
        public static void Assert(bool condition, string message) { }

        [Conditional("DEBUG")]
        public static void Assert(bool condition, string message, string detailedMessage) { }

        [Conditional("DEBUG")]
        public static void Write(string message) { }

        [Conditional("DEBUG")]
        public static void WriteLine() { }

        [Conditional("DEBUG")]
        public static void WriteLine(string message) { }
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class ConditionalAttribute : Attribute
    {
        public ConditionalAttribute(string conditionString) { }
        public string ConditionString => throw null;
    }
}
