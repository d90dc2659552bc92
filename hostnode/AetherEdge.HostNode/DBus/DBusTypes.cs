namespace AetherEdge.HostNode.DBus
{
    /// <summary>A D-Bus object path value (type code 'o').</summary>
    public readonly record struct DBusObjectPath(string Value)
    {
        public override string ToString() => Value;
    }

    /// <summary>A D-Bus signature value (type code 'g').</summary>
    public readonly record struct DBusSignature(string Value)
    {
        public override string ToString() => Value;
    }

    /// <summary>A variant: a single complete type plus its value.</summary>
    public sealed record DBusVariant(string Signature, object Value)
    {
        public static DBusVariant Of(string s) => new("s", s);
        public static DBusVariant Of(bool b) => new("b", b);
        public static DBusVariant Of(ushort q) => new("q", q);
        public static DBusVariant Of(short n) => new("n", n);
        public static DBusVariant Of(uint u) => new("u", u);
        public static DBusVariant Of(byte[] ay) => new("ay", ay);
        public static DBusVariant Of(DBusObjectPath o) => new("o", o);
        public static DBusVariant Of(string[] strings) => new("as", strings);
    }

    /// <summary>
    /// A Unix file descriptor carried by a message ('h'). On send the connection passes <see cref="Fd"/>
    /// with SCM_RIGHTS; on receive <see cref="Fd"/> is a new descriptor owned by the receiver.
    /// </summary>
    public readonly record struct DBusUnixFd(int Fd);

    /// <summary>An error reply from the peer (or a local timeout), carrying the D-Bus error name.</summary>
    public sealed class DBusErrorException : Exception
    {
        public DBusErrorException(string errorName, string message)
            : base(errorName + ": " + message)
        {
            ErrorName = errorName;
            ErrorMessage = message;
        }

        public string ErrorName { get; }

        public string ErrorMessage { get; }
    }

    /// <summary>Well-known error names we produce.</summary>
    public static class DBusErrors
    {
        public const string UnknownMethod = "org.freedesktop.DBus.Error.UnknownMethod";
        public const string UnknownObject = "org.freedesktop.DBus.Error.UnknownObject";
        public const string UnknownInterface = "org.freedesktop.DBus.Error.UnknownInterface";
        public const string UnknownProperty = "org.freedesktop.DBus.Error.UnknownProperty";
        public const string PropertyReadOnly = "org.freedesktop.DBus.Error.PropertyReadOnly";
        public const string InvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";
        public const string NoReply = "org.freedesktop.DBus.Error.NoReply";
        public const string Failed = "org.freedesktop.DBus.Error.Failed";
        public const string Disconnected = "org.freedesktop.DBus.Error.Disconnected";
    }
}
