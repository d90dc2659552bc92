namespace System
{
    // nanoframework/System.Math nanoFramework.System.Math/Math.cs. Note: Abs/Min/Max have int, double and float
    // overloads only (no long), Round has no digits overload.
    public static class Math
    {
        public const double PI = 3.14159265358979323846;
        public const double E = 2.7182818284590452354;
        public static int Abs(int value) => throw null;
        public static extern double Abs(double value);
        public static extern float Abs(float value);
        public static extern double Acos(double d);
        public static extern double Asin(double d);
        public static extern double Atan(double d);
        public static extern double Atan2(double y, double x);
        public static extern double Cbrt(double d);
        public static extern double Ceiling(double d);
        public static double Clamp(double value, double min, double max) => throw null;
        public static long Clamp(long value, long min, long max) => throw null;
        public static float Clamp(float value, float min, float max) => throw null;
        public static ulong Clamp(ulong value, ulong min, ulong max) => throw null;
        public static extern double Cos(double a);
        public static extern double Cosh(double value);
        public static extern double Exp(double d);
        public static extern double Floor(double d);
        public static extern double IEEERemainder(double x, double y);
        public static extern double Log(double d);
        public static extern double Log10(double d);
        public static int Max(int val1, int val2) => throw null;
        public static extern double Max(double val1, double val2);
        public static extern float Max(float val1, float val2);
        public static int Min(int val1, int val2) => throw null;
        public static extern double Min(double val1, double val2);
        public static extern float Min(float val1, float val2);
        public static extern double Pow(double x, double y);
        public static extern double Round(double a);
        public static extern int Sign(double value);
        public static int Sign(float value) => throw null;
        public static extern double Sin(double a);
        public static extern double Sinh(double value);
        public static extern double Sqrt(double d);
        public static extern double Tan(double a);
        public static extern double Tanh(double value);
        public static extern double Truncate(double d);
    }
}
