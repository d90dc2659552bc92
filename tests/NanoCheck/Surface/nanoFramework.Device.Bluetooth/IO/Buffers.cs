namespace nanoFramework.Device.Bluetooth
{
    using System;

    // nanoframework/nanoFramework.Device.Bluetooth main: nanoFramework.Device.Bluetooth/IO/{Buffer,DataReader,DataWriter}.cs
    // (namespace nanoFramework.Device.Bluetooth, not Windows.Storage.Streams).
    public class Buffer
    {
        protected uint _length;
        public Buffer(uint capacity) { }
        public Buffer(byte[] array) { }
        public uint Capacity => throw null;
        public uint Length { get => throw null; set { } }
        public void EnsureCapacity(uint newCapacity) { }
    }

    public class DataReader
    {
        public static DataReader FromBuffer(Buffer buffer) => throw null;
        public uint UnconsumedBufferLength => throw null;
        public bool ReadBoolean() => throw null;
        public Buffer ReadBuffer(uint length) => throw null;
        public byte ReadByte() => throw null;
        public void ReadBytes(byte[] value) { }
        public DateTime ReadDateTime() => throw null;
        public double ReadDouble() => throw null;
        public Guid ReadGuid() => throw null;
        public Guid ReadUuid() => throw null;
        public Guid ReadUuid2() => throw null;
        public short ReadInt16() => throw null;
        public int ReadInt32() => throw null;
        public long ReadInt64() => throw null;
        public float ReadSingle() => throw null;
        public string ReadString(uint codeUnitCount) => throw null;
        public TimeSpan ReadTimeSpan() => throw null;
        public ushort ReadUInt16() => throw null;
        public uint ReadUInt32() => throw null;
        public ulong ReadUInt64() => throw null;
    }

    public class DataWriter : Buffer
    {
        public DataWriter() : base(32) { }
        public uint MeasureString(string value) => throw null;
        public void WriteBoolean(bool value) { }
        public void WriteBuffer(Buffer buffer) { }
        public void WriteBuffer(Buffer buffer, uint start, uint count) { }
        public void WriteByte(byte value) { }
        public void WriteBytes(byte[] value) { }
        public void WriteDateTime(DateTime value) { }
        public void WriteDouble(double value) { }
        public void WriteGuid(Guid value) { }
        public void WriteUuid(Guid value) { }
        public void WriteUuid2(Guid value) { }
        public void WriteInt16(short value) { }
        public void WriteInt32(int value) { }
        public void WriteInt64(long value) { }
        public void WriteSingle(float value) { }
        public uint WriteString(string value) => throw null;
        public void WriteTimeSpan(TimeSpan value) { }
        public void WriteUInt16(ushort value) { }
        public void WriteUInt32(uint value) { }
        public void WriteUInt64(ulong value) { }
        public Buffer DetachBuffer() => throw null;
    }
}
