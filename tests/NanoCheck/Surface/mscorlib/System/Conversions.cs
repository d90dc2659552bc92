namespace System
{
    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/{BitConverter,Convert}.cs.
    // BitConverter works on byte[] + start index only (no span overloads, no TryWriteBytes).
    public static class BitConverter
    {
        public static extern bool IsLittleEndian { get; }
        public static extern long DoubleToInt64Bits(double value);
        public static extern byte[] GetBytes(bool value);
        public static extern byte[] GetBytes(char value);
        public static extern byte[] GetBytes(double value);
        public static extern byte[] GetBytes(float value);
        public static extern byte[] GetBytes(int value);
        public static extern byte[] GetBytes(long value);
        public static extern byte[] GetBytes(short value);
        public static extern byte[] GetBytes(uint value);
        public static extern byte[] GetBytes(ulong value);
        public static extern byte[] GetBytes(ushort value);
        public static extern double Int64BitsToDouble(long value);
        public static extern bool ToBoolean(byte[] value, int startIndex);
        public static extern char ToChar(byte[] value, int startIndex);
        public static extern double ToDouble(byte[] value, int startIndex);
        public static extern short ToInt16(byte[] value, int startIndex);
        public static extern int ToInt32(byte[] value, int startIndex);
        public static extern long ToInt64(byte[] value, int startIndex);
        public static extern float ToSingle(byte[] value, int startIndex);
        public static extern string ToString(byte[] value);
        public static extern string ToString(byte[] value, int startIndex);
        public static extern string ToString(byte[] value, int startIndex, int length);
        public static extern ushort ToUInt16(byte[] value, int startIndex);
        public static extern uint ToUInt32(byte[] value, int startIndex);
        public static extern ulong ToUInt64(byte[] value, int startIndex);
    }

    [Flags]
    public enum Base64FormattingOptions
    {
        None = 0,
        InsertLineBreaks = 1,
    }

    public static class Convert
    {
        public static bool ToBoolean(byte value) => throw null;
        public static char ToChar(ushort value) => throw null;
        public static sbyte ToSByte(string value, int fromBase = 10) => throw null;
        public static byte ToByte(string value, int fromBase = 10) => throw null;
        public static byte ToByte(bool value) => throw null;
        public static DateTime ToDateTime(string value) => throw null;
        public static short ToInt16(string value, int fromBase = 10) => throw null;
        public static ushort ToUInt16(string value, int fromBase = 10) => throw null;
        public static int ToInt32(string value, int fromBase = 10) => throw null;
        public static uint ToUInt32(string value, int fromBase = 10) => throw null;
        public static long ToInt64(string value, int fromBase = 10) => throw null;
        public static ulong ToUInt64(string value, int fromBase = 10) => throw null;
        public static double ToDouble(string value) => throw null;
        public static float ToSingle(string value) => throw null;
        public static string ToBase64String(byte[] inArray) => throw null;
        public static string ToBase64String(byte[] inArray, Base64FormattingOptions options) => throw null;
        public static string ToBase64String(byte[] inArray, int offset, int length) => throw null;
        public static string ToBase64String(byte[] inArray, int offset, int length, Base64FormattingOptions options) => throw null;
        public static extern byte[] FromBase64String(string inString);
        public static byte[] FromBase64CharArray(char[] inArray, int offset, int length) => throw null;
    }
}
