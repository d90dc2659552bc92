namespace System.Threading
{
    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/Threading/{Monitor,Interlocked}.cs.
    // Monitor has Enter(object)/Exit(object) only, so `lock` lowers to those.
    public static class Monitor
    {
        public static extern void Enter(object obj);
        public static extern void Exit(object obj);
    }

    public static class Interlocked
    {
        public static extern int Increment(ref int location);
        public static extern int Decrement(ref int location);
        public static extern int Exchange(ref int location1, int value);
        public static extern int CompareExchange(ref int location1, int value, int comparand);
    }
}
