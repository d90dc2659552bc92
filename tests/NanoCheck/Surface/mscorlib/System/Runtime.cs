namespace System
{
    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/{Random,Guid,MarshalByRefObject,GC,Version,
    // WeakReference,Action,Console,TimeoutException,PlatformNotSupportedException}.cs.
    // Action<T>, Func<...> and EventHandler<T> are declared in that source too, but generic instantiation is not
    // supported by the nanoFramework 1.x runtime, so the surface leaves every generic type out.
    public class Random
    {
        public extern Random();
        public extern Random(int seed);
        public virtual extern int Next();
        public virtual extern int Next(int maxValue);
        public virtual extern double NextDouble();
        public virtual extern void NextBytes(byte[] buffer);
    }

    [Serializable]
    public struct Guid
    {
        public static readonly Guid Empty;
        public Guid(int a, short b, short c, byte d, byte e, byte f, byte g, byte h, byte i, byte j, byte k) { throw null; }
        public Guid(uint a, ushort b, ushort c, byte d, byte e, byte f, byte g, byte h, byte i, byte j, byte k) { throw null; }
        public Guid(byte[] b) { throw null; }
        public Guid(string g) { throw null; }
        public int CompareTo(object value) => throw null;
        public byte[] ToByteArray() => throw null;
        public override string ToString() => throw null;
        public override bool Equals(object o) => throw null;
        public override int GetHashCode() => throw null;
        public static Guid NewGuid() => throw null;
        public static bool TryParseGuidWithDashes(string input, out Guid result) => throw null;
    }

    public abstract class MarshalByRefObject
    {
    }

    public static class GC
    {
        public static void WaitForPendingFinalizers() { }
        public static extern void SuppressFinalize(object obj);
        public static extern void ReRegisterForFinalize(object obj);
    }

    public sealed class Version
    {
        public Version(int major, int minor, int build, int revision) { }
        public Version(int major, int minor) { }
        public int Major => throw null;
        public int Minor => throw null;
        public int Revision => throw null;
        public int Build => throw null;
        public override bool Equals(object obj) => throw null;
        public override string ToString() => throw null;
        public override int GetHashCode() => throw null;
    }

    public class WeakReference
    {
        public extern WeakReference(object target);
        public virtual extern bool IsAlive { get; }
        public virtual extern object Target { get; set; }
    }

    public delegate void Action();

    public static class Console
    {
        public static void Write(string value) { }
        public static void WriteLine() { }
        public static void WriteLine(string value) { }
    }

    public class TimeoutException : SystemException
    {
        public TimeoutException() { }
        public TimeoutException(string message) { }
        public TimeoutException(string message, Exception innerException) { }
    }

    public class PlatformNotSupportedException : NotSupportedException
    {
        public PlatformNotSupportedException() { }
    }
}
