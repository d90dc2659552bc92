namespace System
{
    // Primitive structs: nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/{Boolean,Char,Byte,SByte,Int16,
    // UInt16,Int32,UInt32,Int64,UInt64,Single,Double,IntPtr,UIntPtr}.cs. Only members declared there are declared here:
    // no IComparable/IEquatable on the integer types, no CompareTo except on Single/Double, no Parse overloads with
    // styles or providers.
    public struct Boolean
    {
        public static readonly string FalseString;
        public static readonly string TrueString;
        public override string ToString() => throw null;
    }

    public struct Char
    {
        public const char MaxValue = (char)0xFFFF;
        public const char MinValue = (char)0x00;
        public override string ToString() => throw null;
        public char ToLower() => throw null;
        public char ToUpper() => throw null;
    }

    public struct SByte
    {
        public const sbyte MaxValue = 0x7F;
        public const sbyte MinValue = unchecked((sbyte)0x80);
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static sbyte Parse(string s) => throw null;
        public static bool TryParse(string s, out sbyte result) => throw null;
    }

    public struct Byte
    {
        public const byte MaxValue = 0xFF;
        public const byte MinValue = 0;
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static byte Parse(string s) => throw null;
        public static bool TryParse(string s, out byte result) => throw null;
    }

    public struct Int16
    {
        public const short MaxValue = 0x7FFF;
        public const short MinValue = unchecked((short)0x8000);
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static short Parse(string s) => throw null;
        public static bool TryParse(string s, out short result) => throw null;
    }

    public struct UInt16
    {
        public const ushort MaxValue = 0xFFFF;
        public const ushort MinValue = 0;
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static ushort Parse(string s) => throw null;
        public static bool TryParse(string s, out ushort result) => throw null;
    }

    public struct Int32
    {
        public const int MaxValue = 0x7FFFFFFF;
        public const int MinValue = unchecked((int)0x80000000);
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static int Parse(string s) => throw null;
        public static bool TryParse(string s, out int result) => throw null;
    }

    public struct UInt32
    {
        public const uint MaxValue = 0xFFFFFFFF;
        public const uint MinValue = 0;
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static uint Parse(string s) => throw null;
        public static bool TryParse(string s, out uint result) => throw null;
    }

    public struct Int64
    {
        public const long MaxValue = 0x7FFFFFFFFFFFFFFFL;
        public const long MinValue = unchecked((long)0x8000000000000000L);
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static long Parse(string s) => throw null;
        public static bool TryParse(string s, out long result) => throw null;
    }

    public struct UInt64
    {
        public const ulong MaxValue = 0xFFFFFFFFFFFFFFFFL;
        public const ulong MinValue = 0;
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static ulong Parse(string s) => throw null;
        public static bool TryParse(string s, out ulong result) => throw null;
    }

    public struct Single
    {
        public const float MinValue = (float)-3.40282346638528859e+38;
        public const float Epsilon = (float)1.4e-45;
        public const float MaxValue = (float)3.40282346638528859e+38;
        public const float NegativeInfinity = -1.0f / 0.0f;
        public const float PositiveInfinity = 1.0f / 0.0f;
        public const float NaN = 0.0f / 0.0f;
        public static bool IsInfinity(float f) => throw null;
        public static bool IsNaN(float f) => throw null;
        public static bool IsNegativeInfinity(float f) => throw null;
        public static bool IsPositiveInfinity(float f) => throw null;
        public int CompareTo(float value) => throw null;
        public static float Parse(string s) => throw null;
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static bool TryParse(string s, out float result) => throw null;
    }

    public struct Double
    {
        public const double MinValue = -1.7976931348623157E+308;
        public const double MaxValue = 1.7976931348623157E+308;
        public const double Epsilon = 4.9406564584124650E-324;
        public const double NegativeInfinity = -1.0 / 0.0;
        public const double PositiveInfinity = 1.0 / 0.0;
        public const double NaN = 0.0 / 0.0;
        public int CompareTo(double value) => throw null;
        public static extern bool IsInfinity(double d);
        public static extern bool IsNaN(double d);
        public static extern bool IsNegativeInfinity(double d);
        public static extern bool IsPositiveInfinity(double d);
        public static double Parse(string s) => throw null;
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static bool TryParse(string s, out double result) => throw null;
    }

    public struct IntPtr { }

    public struct UIntPtr { }
}
