namespace System
{
    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/Object.cs
    public class Object
    {
        public Object() { }
        public virtual extern bool Equals(object obj);
        public static bool Equals(object objA, object objB) => throw null;
        public static extern bool ReferenceEquals(object objA, object objB);
        public virtual extern int GetHashCode();
        public extern Type GetType();
        public virtual string ToString() => throw null;
        protected extern object MemberwiseClone();
    }

    public abstract class ValueType
    {
        public override extern bool Equals(object obj);
    }

    public abstract class Enum : ValueType
    {
        public override string ToString() => throw null;
        public extern bool HasFlag(Enum flag);
    }

    public struct Void { }

    public abstract class Type
    {
        public static extern Type GetTypeFromHandle(RuntimeTypeHandle handle);
    }

    public struct RuntimeTypeHandle { }
    public struct RuntimeFieldHandle { }
    public struct RuntimeMethodHandle { }

    public abstract class Delegate
    {
        public static extern Delegate Combine(Delegate a, Delegate b);
        public static extern Delegate Remove(Delegate source, Delegate value);
        public extern object Target { get; }
        public virtual extern Delegate[] GetInvocationList();
        public override extern bool Equals(object obj);
        public static extern bool operator ==(Delegate d1, Delegate d2);
        public static extern bool operator !=(Delegate d1, Delegate d2);
    }

    public abstract class MulticastDelegate : Delegate { }

    public interface IDisposable
    {
        void Dispose();
    }

    public interface IComparable
    {
        int CompareTo(object obj);
    }

    public interface ICloneable
    {
        object Clone();
    }

    public interface IFormatProvider
    {
        object GetFormat(Type formatType);
    }

    public interface IFormattable
    {
        string ToString(string format, IFormatProvider formatProvider);
    }

    public class EventArgs
    {
        public static readonly EventArgs Empty;
        public EventArgs() { }
    }

    public delegate void EventHandler(object sender, EventArgs e);

    public delegate void AsyncCallback(IAsyncResult ar);

    public interface IAsyncResult
    {
        object AsyncState { get; }
        bool CompletedSynchronously { get; }
        bool IsCompleted { get; }
    }
}
