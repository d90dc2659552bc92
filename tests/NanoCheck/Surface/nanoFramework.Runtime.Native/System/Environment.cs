namespace System
{
    // nanoframework/nanoFramework.Runtime.Native main: nanoFramework.Runtime.Native/System/Environment.cs.
    // System.Environment is not in nanoFramework's mscorlib; this assembly adds the one member below.
    public static partial class Environment
    {
        public static extern long TickCount64 { get; }
    }
}
