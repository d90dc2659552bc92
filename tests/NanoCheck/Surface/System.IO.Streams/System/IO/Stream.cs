namespace System.IO
{
    // nanoframework/System.IO.Streams main: System.IO.Streams/{Stream,SeekOrigin,MemoryStream}.cs.
    // StreamReader/StreamWriter/TextReader/TextWriter exist there too but are not declared (nothing uses them yet).
    [Serializable]
    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }

    [Serializable]
    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract bool CanRead { get; }
        public abstract bool CanSeek { get; }
        public virtual bool CanTimeout => throw null;
        public abstract bool CanWrite { get; }
        public abstract long Length { get; }
        public abstract long Position { get; set; }
        public virtual int ReadTimeout { get => throw null; set { } }
        public virtual int WriteTimeout { get => throw null; set { } }
        public virtual void Close() { }
        public void CopyTo(Stream destination) { }
        public void Dispose() { }
        protected virtual void Dispose(bool disposing) { }
        public abstract void Flush();
        public abstract long Seek(long offset, SeekOrigin origin);
        public abstract void SetLength(long value);
        public abstract int Read(SpanByte buffer);
        public abstract int Read(byte[] buffer, int offset, int count);
        public virtual int ReadByte() => throw null;
        public abstract void Write(byte[] buffer, int offset, int count);
        public virtual void WriteByte(byte value) { }
    }

    public class MemoryStream : Stream
    {
        public MemoryStream() { }
        public MemoryStream(byte[] buffer) { }
        public MemoryStream(byte[] buffer, bool isWritable) { }
        public override bool CanRead => throw null;
        public override bool CanSeek => throw null;
        public override bool CanWrite => throw null;
        protected override void Dispose(bool disposing) { }
        public override void Flush() { }
        public virtual byte[] GetBuffer() => throw null;
        public override long Length => throw null;
        public override long Position { get => throw null; set { } }
        public override int Read(SpanByte buffer) => throw null;
        public override int Read(byte[] buffer, int offset, int count) => throw null;
        public override int ReadByte() => throw null;
        public override long Seek(long offset, SeekOrigin origin) => throw null;
        public override void SetLength(long value) { }
        public virtual byte[] ToArray() => throw null;
        public override void Write(byte[] buffer, int offset, int count) { }
        public override void WriteByte(byte value) { }
        public virtual void WriteTo(Stream stream) { }
    }
}
