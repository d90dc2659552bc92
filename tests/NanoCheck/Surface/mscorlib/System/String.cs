namespace System
{
    using System.Collections;
    using System.Runtime.CompilerServices;

    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/String.cs
    public sealed class String : IComparable, IEnumerable
    {
        public static readonly string Empty;
        public String(char[] value, int startIndex, int length) { }
        public String(char[] value) { }
        public String(char c, int count) { }
        public IEnumerator GetEnumerator() => throw null;
        public override bool Equals(object obj) => throw null;
        public static extern bool Equals(string a, string b);
        public static extern bool operator ==(string a, string b);
        public static extern bool operator !=(string a, string b);
        [IndexerName("Chars")]
        public extern char this[int index] { get; }
        public extern char[] ToCharArray();
        public extern char[] ToCharArray(int startIndex, int length);
        public extern int Length { get; }
        public extern string[] Split(params char[] separator);
        public extern string[] Split(char[] separator, int count);
        public extern string Substring(int startIndex);
        public extern string Substring(int startIndex, int length);
        public extern string Trim(params char[] trimChars);
        public extern string TrimStart(params char[] trimChars);
        public extern string TrimEnd(params char[] trimChars);
        public extern string Trim();
        public static extern int Compare(string strA, string strB);
        public extern int CompareTo(object value);
        public extern int CompareTo(string strB);
        public extern int IndexOf(char value);
        public extern int IndexOf(char value, int startIndex);
        public extern int IndexOf(char value, int startIndex, int count);
        public extern int IndexOfAny(char[] anyOf);
        public extern int IndexOfAny(char[] anyOf, int startIndex);
        public extern int IndexOfAny(char[] anyOf, int startIndex, int count);
        public extern int IndexOf(string value);
        public extern int IndexOf(string value, int startIndex);
        public extern int IndexOf(string value, int startIndex, int count);
        public extern int LastIndexOf(char value);
        public extern int LastIndexOf(char value, int startIndex);
        public extern int LastIndexOf(char value, int startIndex, int count);
        public extern int LastIndexOf(string value);
        public extern int LastIndexOf(string value, int startIndex);
        public extern int LastIndexOf(string value, int startIndex, int count);
        public extern string ToLower();
        public extern string ToUpper();
        public override string ToString() => throw null;
        public static string Concat(object arg0) => throw null;
        public static string Concat(object arg0, object arg1) => throw null;
        public static string Concat(object arg0, object arg1, object arg2) => throw null;
        public static string Concat(params object[] args) => throw null;
        public static extern string Concat(string str0, string str1);
        public static extern string Concat(string str0, string str1, string str2);
        public static extern string Concat(string str0, string str1, string str2, string str3);
        public static string Concat(params string[] values) => throw null;
        public static string Intern(string str) => throw null;
        public static string IsInterned(string str) => throw null;
        public static string Format(string format, params object[] args) => throw null;
        public string PadLeft(int totalWidth, char paddingChar = ' ') => throw null;
        public string PadRight(int totalWidth, char paddingChar = ' ') => throw null;
        public bool StartsWith(string value) => throw null;
        public bool EndsWith(string value) => throw null;
        public bool Contains(string value) => throw null;
        public static bool IsNullOrEmpty(string value) => throw null;
    }
}
