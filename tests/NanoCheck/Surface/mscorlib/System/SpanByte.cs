namespace System
{
    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/SpanByte.cs: nanoFramework's own byte span (not Span<T>),
    // used by System.Device.I2c and Stream.Read(SpanByte).
    public readonly ref struct SpanByte
    {
        public SpanByte(byte[] array) { throw null; }
        public SpanByte(byte[] array, int start, int length) { throw null; }
        public byte this[int index] { get => throw null; set { } }
        public static SpanByte Empty => throw null;
        public int Length => throw null;
        public bool IsEmpty => throw null;
        public void CopyTo(SpanByte destination) { }
        public SpanByte Slice(int start) => throw null;
        public SpanByte Slice(int start, int length) => throw null;
        public byte[] ToArray() => throw null;
        public static implicit operator SpanByte(byte[] array) => throw null;
    }
}
