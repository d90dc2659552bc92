namespace AetherEdge.HostNode.DBus
{
    /// <summary>An incoming method call handed to an exported method.</summary>
    public sealed class DBusMethodCall
    {
        public DBusMethodCall(DBusMessage message)
        {
            Message = message;
        }

        public DBusMessage Message { get; }

        public object[] Args => Message.Body;

        public string? Sender => Message.Sender;
    }

    /// <summary>The values of a method return.</summary>
    public sealed class DBusReply
    {
        public DBusReply(string signature, params object[] values)
        {
            Signature = signature;
            Values = values;
        }

        public static DBusReply Empty { get; } = new("");

        public string Signature { get; }

        public object[] Values { get; }

        /// <summary>Close the top-level fd values once the reply is sent (ownership passes to the caller).</summary>
        public bool TransferFds { get; init; }
    }

    /// <summary>Handles one exported method; throw <see cref="DBusErrorException"/> to reply with an error.</summary>
    public delegate Task<DBusReply> DBusMethodHandler(DBusMethodCall call);

    /// <summary>One interface of an exported object: methods (with their input signature) and properties.</summary>
    public sealed class DBusExportedInterface
    {
        private readonly Dictionary<string, (string InSignature, DBusMethodHandler Handler)> _methods = new();
        private readonly Dictionary<string, (Func<DBusVariant> Get, Action<DBusVariant>? Set)> _properties = new();

        public DBusExportedInterface(string name)
        {
            Name = name;
        }

        public string Name { get; }

        public IEnumerable<string> MethodNames => _methods.Keys;

        public IEnumerable<string> PropertyNames => _properties.Keys;

        public DBusExportedInterface Method(string name, string inSignature, DBusMethodHandler handler)
        {
            _methods[name] = (inSignature, handler);
            return this;
        }

        public DBusExportedInterface Property(string name, Func<DBusVariant> get, Action<DBusVariant>? set = null)
        {
            _properties[name] = (get, set);
            return this;
        }

        internal bool TryGetMethod(string name, out (string InSignature, DBusMethodHandler Handler) method) => _methods.TryGetValue(name, out method);

        internal bool TryGetProperty(string name, out (Func<DBusVariant> Get, Action<DBusVariant>? Set) property) => _properties.TryGetValue(name, out property);

        /// <summary>All properties as a{sv}.</summary>
        public Dictionary<object, object> GetAll()
        {
            var all = new Dictionary<object, object>();
            foreach (KeyValuePair<string, (Func<DBusVariant> Get, Action<DBusVariant>? Set)> p in _properties)
            {
                all[p.Key] = p.Value.Get();
            }

            return all;
        }
    }

    /// <summary>An object we answer calls for. With <see cref="IsObjectManager"/> it also answers GetManagedObjects for the objects below it.</summary>
    public sealed class DBusExportedObject
    {
        public DBusExportedObject(string path, bool isObjectManager = false)
        {
            if (!DBusNames.IsValidObjectPath(path))
            {
                throw new ArgumentException("'" + path + "' is not a valid object path");
            }

            Path = path;
            IsObjectManager = isObjectManager;
        }

        public string Path { get; }

        public bool IsObjectManager { get; }

        public List<DBusExportedInterface> Interfaces { get; } = new();

        public DBusExportedInterface AddInterface(string name)
        {
            var iface = new DBusExportedInterface(name);
            Interfaces.Add(iface);
            return iface;
        }

        public DBusExportedInterface? Find(string name) => Interfaces.FirstOrDefault(i => i.Name == name);

        /// <summary>a{sa{sv}}: every interface with its properties.</summary>
        public Dictionary<object, object> InterfacesAndProperties()
        {
            var result = new Dictionary<object, object>();
            foreach (DBusExportedInterface i in Interfaces)
            {
                result[i.Name] = i.GetAll();
            }

            return result;
        }
    }

    /// <summary>A signal match: null parts match anything. <see cref="ToString"/> gives the AddMatch rule.</summary>
    public sealed record DBusMatchRule(string? Sender = null, string? Path = null, string? Interface = null, string? Member = null, string? PathNamespace = null)
    {
        public override string ToString()
        {
            var parts = new List<string> { "type='signal'" };
            if (Sender != null)
            {
                parts.Add("sender='" + Sender + "'");
            }

            if (Path != null)
            {
                parts.Add("path='" + Path + "'");
            }

            if (PathNamespace != null)
            {
                parts.Add("path_namespace='" + PathNamespace + "'");
            }

            if (Interface != null)
            {
                parts.Add("interface='" + Interface + "'");
            }

            if (Member != null)
            {
                parts.Add("member='" + Member + "'");
            }

            return string.Join(",", parts);
        }

        /// <summary>Local filter; <paramref name="senderOwner"/> is the unique name the sender resolved to, if known.</summary>
        internal bool Matches(DBusMessage m, string? senderOwner)
        {
            if (m.Type != DBusMessageType.Signal)
            {
                return false;
            }

            if (Sender != null && m.Sender != Sender && m.Sender != senderOwner)
            {
                return false;
            }

            if (Path != null && m.Path != Path)
            {
                return false;
            }

            if (PathNamespace != null && PathNamespace != "/" && m.Path != PathNamespace && !(m.Path ?? "").StartsWith(PathNamespace + "/", StringComparison.Ordinal))
            {
                return false;
            }

            return (Interface == null || m.Interface == Interface) && (Member == null || m.Member == Member);
        }
    }
}
