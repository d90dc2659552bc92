namespace System.Collections
{
    // nanoframework/System.Collections nanoFramework.System.Collections/Collections/{Hashtable,DictionaryEntry,
    // IDictionary}.cs (Queue and Stack: QueueStack.cs). Note: no ContainsKey, only Contains.
    public interface IDictionary : ICollection
    {
        bool IsReadOnly { get; }
        bool IsFixedSize { get; }
        ICollection Keys { get; }
        ICollection Values { get; }
        object this[object key] { get; set; }
        void Add(object key, object value);
        void Clear();
        bool Contains(object key);
        void Remove(object key);
    }

    public class DictionaryEntry
    {
        public object Key;
        public object Value;
        public DictionaryEntry(object key, object value) { }
    }

    public class Hashtable : ICloneable, IDictionary
    {
        public Hashtable() { }
        public Hashtable(int capacity) { }
        public Hashtable(int capacity, float loadFactor) { }
        public object Clone() => throw null;
        public IEnumerator GetEnumerator() => throw null;
        public int Count => throw null;
        public bool IsSynchronized => throw null;
        public object SyncRoot => throw null;
        public void CopyTo(Array array, int arrayIndex) { }
        public bool IsReadOnly => throw null;
        public bool IsFixedSize => throw null;
        public ICollection Keys => throw null;
        public ICollection Values => throw null;
        public object this[object key] { get => throw null; set { } }
        public void Add(object key, object value) { }
        public extern void Clear();
        public extern bool Contains(object key);
        public extern void Remove(object key);
    }
}
