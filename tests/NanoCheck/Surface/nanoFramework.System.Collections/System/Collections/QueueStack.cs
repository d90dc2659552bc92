namespace System.Collections
{
    // nanoframework/System.Collections main: nanoFramework.System.Collections/Collections/{Queue,Stack}.cs.
    public class Queue : ICollection, ICloneable
    {
        public Queue() { }
        public virtual int Count => throw null;
        public virtual object Clone() => throw null;
        public virtual bool IsSynchronized => throw null;
        public virtual object SyncRoot => throw null;
        public extern virtual void Clear();
        public extern virtual void CopyTo(Array array, int index);
        public extern virtual void Enqueue(object obj);
        public virtual IEnumerator GetEnumerator() => throw null;
        public extern virtual object Dequeue();
        public extern virtual object Peek();
        public virtual bool Contains(object obj) => throw null;
        public virtual object[] ToArray() => throw null;
    }

    public class Stack : ICollection, ICloneable
    {
        public Stack() { }
        public virtual int Count => throw null;
        public virtual bool IsSynchronized => throw null;
        public virtual object SyncRoot => throw null;
        public extern virtual void Clear();
        public virtual object Clone() => throw null;
        public virtual bool Contains(object obj) => throw null;
        public virtual void CopyTo(Array array, int index) { }
        public virtual IEnumerator GetEnumerator() => throw null;
        public extern virtual object Peek();
        public extern virtual object Pop();
        public extern virtual void Push(object obj);
        public virtual object[] ToArray() => throw null;
    }
}
