namespace System.Threading
{
    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/Threading/{Monitor,Interlocked,Thread,ThreadStart,
    // ThreadPriority,ThreadState,Timeout,Timer,WaitHandle,AutoResetEvent,ManualResetEvent}.cs.
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

    public delegate void ThreadStart();

    public enum ThreadPriority
    {
        Lowest = 0,
        BelowNormal = 1,
        Normal = 2,
        AboveNormal = 3,
        Highest = 4,
    }

    [Flags]
    public enum ThreadState
    {
        Running = 0,
        StopRequested = 1,
        SuspendRequested = 2,
        Background = 4,
        Unstarted = 8,
        Stopped = 16,
        WaitSleepJoin = 32,
        Suspended = 64,
        AbortRequested = 128,
        Aborted = 256,
    }

    public sealed class Thread
    {
        public extern Thread(ThreadStart start);
        public extern void Start();
        public extern void Abort();
        public extern void Suspend();
        public extern void Resume();
        public extern ThreadPriority Priority { get; set; }
        public extern int ManagedThreadId { get; }
        public extern bool IsAlive { get; }
        public extern void Join();
        public extern bool Join(int millisecondsTimeout);
        public extern bool Join(TimeSpan timeout);
        public static extern void Sleep(int millisecondsTimeout);
        public static void Sleep(TimeSpan timeout) { }
        public static extern void SpinWait(int iterations);
        public static extern Thread CurrentThread { get; }
        public extern ThreadState ThreadState { get; }
    }

    public static class Timeout
    {
        public const int Infinite = -1;
        public static readonly TimeSpan InfiniteTimeSpan;
    }

    public delegate void TimerCallback(object state);

    public sealed class Timer : MarshalByRefObject, IDisposable
    {
        public extern Timer(TimerCallback callback, object state, int dueTime, int period);
        public extern Timer(TimerCallback callback, object state, TimeSpan dueTime, TimeSpan period);
        public extern bool Change(int dueTime, int period);
        public extern bool Change(TimeSpan dueTime, TimeSpan period);
        public extern void Dispose();
    }

    public abstract class WaitHandle : MarshalByRefObject
    {
        public const int WaitTimeout = 0x102;
        public virtual extern bool WaitOne(int millisecondsTimeout, bool exitContext);
        public virtual bool WaitOne() => throw null;
        public static bool WaitAll(WaitHandle[] waitHandles, int millisecondsTimeout, bool exitContext) => throw null;
        public static bool WaitAll(WaitHandle[] waitHandles) => throw null;
        public static int WaitAny(WaitHandle[] waitHandles, int millisecondsTimeout, bool exitContext) => throw null;
        public static int WaitAny(WaitHandle[] waitHandles) => throw null;
    }

    public sealed class AutoResetEvent : WaitHandle
    {
        public extern AutoResetEvent(bool initialState);
        public extern bool Reset();
        public extern bool Set();
    }

    public sealed class ManualResetEvent : WaitHandle
    {
        public extern ManualResetEvent(bool initialState);
        public extern bool Reset();
        public extern bool Set();
    }
}
