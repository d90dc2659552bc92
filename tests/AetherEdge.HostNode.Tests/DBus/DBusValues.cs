using AetherEdge.HostNode.DBus;

namespace AetherEdge.HostNode.Tests.DBus
{
    /// <summary>Random D-Bus type/value trees and deep equality for round-trip tests.</summary>
    internal static class DBusValues
    {
        private const string Basic = "ybnqiuxtdsog";

        public static (string Signature, object Value) RandomTree(Random r, int depth = 0)
        {
            int kind = depth >= 4 ? 0 : r.Next(6);
            switch (kind)
            {
                case 1:
                    {
                        (string s, object v) = RandomTree(r, depth + 1);
                        return ("v", new DBusVariant(s, v));
                    }

                case 2:
                    {
                        string element = RandomType(r, depth + 1);
                        if (element == "y")
                        {
                            var bytes = new byte[r.Next(0, 20)];
                            r.NextBytes(bytes);
                            return ("ay", bytes);
                        }

                        var list = new List<object>();
                        int n = r.Next(0, 4);
                        for (int i = 0; i < n; i++)
                        {
                            list.Add(RandomValue(r, element, depth + 1));
                        }

                        return ("a" + element, list);
                    }

                case 3:
                    {
                        char key = Basic[r.Next(Basic.Length)];
                        string valueType = RandomType(r, depth + 1);
                        var dict = new Dictionary<object, object>();
                        int n = r.Next(0, 4);
                        for (int i = 0; i < n; i++)
                        {
                            dict[RandomValue(r, key.ToString(), depth + 1)] = RandomValue(r, valueType, depth + 1);
                        }

                        return ("a{" + key + valueType + "}", dict);
                    }

                case 4:
                    {
                        int n = r.Next(1, 4);
                        var sig = "(";
                        var fields = new object[n];
                        for (int i = 0; i < n; i++)
                        {
                            (string s, object v) = RandomTree(r, depth + 1);
                            sig += s;
                            fields[i] = v;
                        }

                        return (sig + ")", fields);
                    }

                default:
                    {
                        string t = Basic[r.Next(Basic.Length)].ToString();
                        return (t, RandomValue(r, t, depth));
                    }
            }
        }

        private static string RandomType(Random r, int depth) => RandomTree(r, depth).Signature;

        public static object RandomValue(Random r, string type, int depth)
        {
            switch (type[0])
            {
                case 'y': return (byte)r.Next(256);
                case 'b': return r.Next(2) == 1;
                case 'n': return (short)r.Next(short.MinValue, short.MaxValue + 1);
                case 'q': return (ushort)r.Next(ushort.MaxValue + 1);
                case 'i': return r.Next(int.MinValue, int.MaxValue);
                case 'u': return (uint)r.NextInt64(uint.MaxValue + 1L);
                case 'x': return r.NextInt64(long.MinValue, long.MaxValue);
                case 't': return (ulong)r.NextInt64() * 2UL;
                case 'd': return r.NextDouble() * 1e9 - 5e8;
                case 's': return RandomString(r);
                case 'o': return new DBusObjectPath(r.Next(3) == 0 ? "/" : "/org/x" + r.Next(100) + "/_n" + r.Next(10));
                case 'g': return new DBusSignature(new[] { "", "a{sv}", "(ii)", "ay", "a{oa{sa{sv}}}" }[r.Next(5)]);
                default:
                    // container element types come from RandomTree, so regenerate a value of that exact shape
                    return ValueForSignature(r, type, depth);
            }
        }

        private static object ValueForSignature(Random r, string type, int depth)
        {
            if (type == "v")
            {
                (string s, object v) = RandomTree(r, Math.Max(depth, 3));
                return new DBusVariant(s, v);
            }

            if (type.StartsWith("a{", StringComparison.Ordinal))
            {
                var dict = new Dictionary<object, object>();
                string valueType = type.Substring(3, type.Length - 4);
                for (int i = 0; i < r.Next(0, 3); i++)
                {
                    dict[RandomValue(r, type[2].ToString(), depth + 1)] = RandomValue(r, valueType, depth + 1);
                }

                return dict;
            }

            if (type == "ay")
            {
                var bytes = new byte[r.Next(0, 9)];
                r.NextBytes(bytes);
                return bytes;
            }

            if (type[0] == 'a')
            {
                var list = new List<object>();
                for (int i = 0; i < r.Next(0, 3); i++)
                {
                    list.Add(RandomValue(r, type.Substring(1), depth + 1));
                }

                return list;
            }

            var fields = new List<object>();
            List<string> parts = DBusSignatures.Split(type.Substring(1, type.Length - 2));
            foreach (string part in parts)
            {
                fields.Add(RandomValue(r, part, depth + 1));
            }

            return fields.ToArray();
        }

        private static string RandomString(Random r)
        {
            string[] pieces = { "a", "b", "X", "0", " ", "_", "ü", "€", "𝄞" };
            var s = new System.Text.StringBuilder();
            int n = r.Next(0, 12);
            for (int i = 0; i < n; i++)
            {
                s.Append(pieces[r.Next(pieces.Length)]);
            }

            return s.ToString();
        }

        public static bool DeepEqual(object? a, object? b)
        {
            switch (a)
            {
                case byte[] x when b is byte[] y: return x.AsSpan().SequenceEqual(y);
                case object[] x when b is object[] y: return x.Length == y.Length && x.Zip(y).All(p => DeepEqual(p.First, p.Second));
                case List<object> x when b is List<object> y: return x.Count == y.Count && x.Zip(y).All(p => DeepEqual(p.First, p.Second));
                case Dictionary<object, object> x when b is Dictionary<object, object> y:
                    return x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out object? v) && DeepEqual(p.Value, v));
                case DBusVariant x when b is DBusVariant y: return x.Signature == y.Signature && DeepEqual(x.Value, y.Value);
                default: return Equals(a, b);
            }
        }
    }
}
