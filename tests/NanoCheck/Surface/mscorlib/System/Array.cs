namespace System
{
    using System.Collections;

    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/Array.cs (non-reflection build members)
    public abstract class Array : IList
    {
        public static void Copy(Array sourceArray, Array destinationArray, int length) => throw null;
        public static extern void Copy(Array sourceArray, int sourceIndex, Array destinationArray, int destinationIndex, int length);
        public static extern void Clear(Array array, int index, int length);
        public object GetValue(int index) => throw null;
        public extern int Length { get; }
        int ICollection.Count => throw null;
        public object SyncRoot => throw null;
        public bool IsReadOnly => throw null;
        public bool IsFixedSize => throw null;
        public bool IsSynchronized => throw null;
        object IList.this[int index] { get => throw null; set { } }
        int IList.Add(object value) => throw null;
        bool IList.Contains(object value) => throw null;
        void IList.Clear() { }
        int IList.IndexOf(object value) => throw null;
        void IList.Insert(int index, object value) { }
        void IList.Remove(object value) { }
        void IList.RemoveAt(int index) { }
        public static int BinarySearch(Array array, object value, IComparer comparer) => throw null;
        public static int BinarySearch(Array array, int index, int length, object value, IComparer comparer) => throw null;
        public void CopyTo(Array array, int index) { }
        public IEnumerator GetEnumerator() => throw null;
        public static int IndexOf(Array array, object value) => throw null;
        public static int IndexOf(Array array, object value, int startIndex) => throw null;
        public static int IndexOf(Array array, object value, int startIndex, int count) => throw null;
    }
}
