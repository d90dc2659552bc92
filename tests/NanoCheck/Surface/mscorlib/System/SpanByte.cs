namespace System
{
    // nanoFramework.CoreLibrary/System/SpanByte.cs (CoreLibrary 1.17.x, the byte span used by System.Device.I2c).
    public readonly ref struct SpanByte
    {
        public SpanByte(byte[] array) { throw null; }
        public SpanByte(byte[] array, int start, int length) { throw null; }
        public int Length => throw null;
        public static implicit operator SpanByte(byte[] array) => throw null;
    }
}
