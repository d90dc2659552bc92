namespace System.Collections
{
    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/Collections/ArrayList.cs (ToArray: reflection build,
    // the standard nanoFramework.CoreLibrary package).
    public class ArrayList : IList, ICloneable
    {
        public ArrayList() { }
        public virtual int Capacity { get => throw null; set { } }
        public virtual int Count => throw null;
        public virtual bool IsFixedSize => throw null;
        public virtual bool IsReadOnly => throw null;
        public virtual bool IsSynchronized => throw null;
        public virtual object SyncRoot => throw null;
        public virtual extern object this[int index] { get; set; }
        public virtual extern int Add(object value);
        public virtual int BinarySearch(object value, IComparer comparer) => throw null;
        public virtual extern void Clear();
        public virtual object Clone() => throw null;
        public virtual bool Contains(object value) => throw null;
        public virtual void CopyTo(Array array) { }
        public virtual void CopyTo(Array array, int index) { }
        public virtual IEnumerator GetEnumerator() => throw null;
        public virtual int IndexOf(object value) => throw null;
        public virtual int IndexOf(object value, int startIndex) => throw null;
        public virtual int IndexOf(object value, int startIndex, int count) => throw null;
        public virtual extern void Insert(int index, object value);
        public virtual void Remove(object value) { }
        public virtual extern void RemoveAt(int index);
        public virtual object[] ToArray() => throw null;
        public virtual Array ToArray(Type type) => throw null;
    }
}
