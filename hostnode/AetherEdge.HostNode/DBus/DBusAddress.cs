namespace AetherEdge.HostNode.DBus
{
    /// <summary>Parses the unix: transports of a D-Bus address string (first usable entry wins).</summary>
    public static class DBusAddress
    {
        public const string DefaultSystemBusSocket = "/run/dbus/system_bus_socket";

        /// <summary>The system bus address: DBUS_SYSTEM_BUS_ADDRESS or the default socket path.</summary>
        public static string SystemBus =>
            Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS") is { Length: > 0 } a ? a : "unix:path=" + DefaultSystemBusSocket;

        /// <summary>
        /// Returns the socket path for the first unix: entry: a filesystem path, or an abstract name
        /// prefixed with '\0' (the form UnixDomainSocketEndPoint expects).
        /// </summary>
        public static string ParseUnixSocketPath(string address)
        {
            foreach (string entry in address.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                int colon = entry.IndexOf(':');
                if (colon < 0 || entry.Substring(0, colon) != "unix")
                {
                    continue;
                }

                foreach (string kv in entry.Substring(colon + 1).Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    int eq = kv.IndexOf('=');
                    if (eq < 0)
                    {
                        throw new FormatException("D-Bus address entry '" + entry + "' has a key without '='");
                    }

                    string key = kv.Substring(0, eq);
                    string value = Unescape(kv.Substring(eq + 1));
                    if (key == "path")
                    {
                        return value;
                    }

                    if (key == "abstract")
                    {
                        return "\0" + value;
                    }
                }
            }

            throw new FormatException("D-Bus address '" + address + "' has no unix:path= or unix:abstract= entry");
        }

        private static string Unescape(string s)
        {
            var bytes = new List<byte>();
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] == '%')
                {
                    if (i + 2 >= s.Length || !byte.TryParse(s.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out byte b))
                    {
                        throw new FormatException("D-Bus address value '" + s + "' has a bad %-escape");
                    }

                    bytes.Add(b);
                    i += 2;
                }
                else
                {
                    bytes.Add((byte)s[i]);
                }
            }

            return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
        }
    }
}
