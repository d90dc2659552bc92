using System.Collections.Concurrent;
using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.HostNode.DBus
{
    /// <summary>Object export: answers method calls on our paths, plus the standard Properties,
    /// ObjectManager, Introspectable and Peer interfaces.</summary>
    public sealed partial class DBusConnection
    {
        public const string PropertiesInterface = "org.freedesktop.DBus.Properties";
        public const string ObjectManagerInterface = "org.freedesktop.DBus.ObjectManager";
        public const string IntrospectableInterface = "org.freedesktop.DBus.Introspectable";
        public const string PeerInterface = "org.freedesktop.DBus.Peer";

        private readonly ConcurrentDictionary<string, DBusExportedObject> _objects = new();

        public void Export(DBusExportedObject obj)
        {
            if (!_objects.TryAdd(obj.Path, obj))
            {
                throw new InvalidOperationException("an object is already exported at " + obj.Path);
            }
        }

        public void Unexport(string path) => _objects.TryRemove(path, out _);

        /// <summary>Objects strictly below <paramref name="root"/> as a{oa{sa{sv}}}.</summary>
        public Dictionary<object, object> ManagedObjects(string root)
        {
            string prefix = root == "/" ? "/" : root + "/";
            var result = new Dictionary<object, object>();
            foreach (DBusExportedObject o in _objects.Values.OrderBy(o => o.Path, StringComparer.Ordinal))
            {
                if (o.Path != root && o.Path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    result[new DBusObjectPath(o.Path)] = o.InterfacesAndProperties();
                }
            }

            return result;
        }

        private async Task HandleMethodCallAsync(DBusMessage call)
        {
            DBusMessage reply;
            DBusReply? values = null;
            try
            {
                values = await InvokeAsync(call).ConfigureAwait(false);
                reply = new DBusMessage { Type = DBusMessageType.MethodReturn, Signature = values.Signature, Body = values.Values };
            }
            catch (DBusErrorException e)
            {
                reply = ErrorMessage(e.ErrorName, e.ErrorMessage);
            }
            catch (Exception e) when (e is ProtocolViolationException || e is InvalidCastException || e is ArgumentException || e is KeyNotFoundException)
            {
                reply = ErrorMessage(DBusErrors.InvalidArgs, e.Message);
            }
            catch (Exception e)
            {
                reply = ErrorMessage(DBusErrors.Failed, e.Message);
            }

            try
            {
                if (!call.NoReplyExpected && !_closed)
                {
                    reply.ReplySerial = call.Serial;
                    reply.Destination = call.Sender;
                    Send(reply);
                }
            }
            catch (Exception e) when (e is DBusErrorException || e is ProtocolViolationException || e is ArgumentException || e is InvalidCastException)
            {
                // A handler returned values that do not fit its signature, or the bus went away: answer with an error if we still can.
                if (e is not DBusErrorException)
                {
                    DBusMessage error = ErrorMessage(DBusErrors.Failed, "reply could not be marshalled: " + e.Message);
                    error.ReplySerial = call.Serial;
                    error.Destination = call.Sender;
                    Send(error);
                }
            }
            finally
            {
                if (values != null && values.TransferFds)
                {
                    foreach (object v in values.Values)
                    {
                        if (v is DBusUnixFd fd)
                        {
                            UnixFdNative.Close(fd.Fd);
                        }
                    }
                }
            }
        }

        private static DBusMessage ErrorMessage(string name, string text) =>
            new() { Type = DBusMessageType.Error, ErrorName = name, Signature = "s", Body = new object[] { text } };

        private Task<DBusReply> InvokeAsync(DBusMessage call)
        {
            string path = call.Path!;
            string member = call.Member!;
            if (call.Interface == PeerInterface && member == "Ping")
            {
                return Task.FromResult(DBusReply.Empty);
            }

            if (!_objects.TryGetValue(path, out DBusExportedObject? obj))
            {
                if (call.Interface == IntrospectableInterface && member == "Introspect")
                {
                    return Task.FromResult(new DBusReply("s", Introspect(path, null)));
                }

                throw new DBusErrorException(DBusErrors.UnknownObject, "no object at " + path);
            }

            switch (call.Interface)
            {
                case PropertiesInterface:
                    return Task.FromResult(HandleProperties(obj, call));
                case IntrospectableInterface when member == "Introspect":
                    return Task.FromResult(new DBusReply("s", Introspect(path, obj)));
                case ObjectManagerInterface when member == "GetManagedObjects" && obj.IsObjectManager:
                    return Task.FromResult(new DBusReply("a{oa{sa{sv}}}", ManagedObjects(path)));
            }

            foreach (DBusExportedInterface iface in obj.Interfaces)
            {
                if ((call.Interface == null || call.Interface == iface.Name) && iface.TryGetMethod(member, out (string InSignature, DBusMethodHandler Handler) method))
                {
                    if (method.InSignature != call.Signature)
                    {
                        throw new DBusErrorException(DBusErrors.InvalidArgs, member + " takes '" + method.InSignature + "', got '" + call.Signature + "'");
                    }

                    return method.Handler(new DBusMethodCall(call));
                }
            }

            if (call.Interface != null && obj.Find(call.Interface) == null)
            {
                throw new DBusErrorException(DBusErrors.UnknownInterface, path + " has no interface " + call.Interface);
            }

            throw new DBusErrorException(DBusErrors.UnknownMethod, "no method " + call.Interface + "." + member + " with signature '" + call.Signature + "' on " + path);
        }

        private static DBusReply HandleProperties(DBusExportedObject obj, DBusMessage call)
        {
            string member = call.Member!;
            string Arg(int i) => call.Body.Length > i && call.Body[i] is string s ? s : throw new DBusErrorException(DBusErrors.InvalidArgs, member + " needs a string argument " + i);
            DBusExportedInterface Iface() => obj.Find(Arg(0)) ?? throw new DBusErrorException(DBusErrors.UnknownInterface, obj.Path + " has no interface " + Arg(0));

            switch (member)
            {
                case "GetAll" when call.Signature == "s":
                    return new DBusReply("a{sv}", Iface().GetAll());
                case "Get" when call.Signature == "ss":
                    if (!Iface().TryGetProperty(Arg(1), out (Func<DBusVariant> Get, Action<DBusVariant>? Set) p))
                    {
                        throw new DBusErrorException(DBusErrors.UnknownProperty, "no property " + Arg(1));
                    }

                    return new DBusReply("v", p.Get());
                case "Set" when call.Signature == "ssv":
                    if (!Iface().TryGetProperty(Arg(1), out (Func<DBusVariant> Get, Action<DBusVariant>? Set) q))
                    {
                        throw new DBusErrorException(DBusErrors.UnknownProperty, "no property " + Arg(1));
                    }

                    if (q.Set == null)
                    {
                        throw new DBusErrorException(DBusErrors.PropertyReadOnly, Arg(1) + " is read-only");
                    }

                    q.Set((DBusVariant)call.Body[2]);
                    return DBusReply.Empty;
                default:
                    throw new DBusErrorException(DBusErrors.UnknownMethod, "no method " + PropertiesInterface + "." + member + " with signature '" + call.Signature + "'");
            }
        }

        private string Introspect(string path, DBusExportedObject? obj)
        {
            var xml = new StringBuilder("<!DOCTYPE node PUBLIC \"-//freedesktop//DTD D-BUS Object Introspection 1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd\">\n<node>\n");
            if (obj != null)
            {
                foreach (string std in new[] { IntrospectableInterface, PropertiesInterface, PeerInterface })
                {
                    xml.Append("  <interface name=\"").Append(std).Append("\"/>\n");
                }

                if (obj.IsObjectManager)
                {
                    xml.Append("  <interface name=\"").Append(ObjectManagerInterface).Append("\"/>\n");
                }

                foreach (DBusExportedInterface i in obj.Interfaces)
                {
                    xml.Append("  <interface name=\"").Append(i.Name).Append("\">\n");
                    foreach (string m in i.MethodNames)
                    {
                        xml.Append("    <method name=\"").Append(m).Append("\"/>\n");
                    }

                    foreach (string p in i.PropertyNames)
                    {
                        xml.Append("    <property name=\"").Append(p).Append("\" type=\"").Append(i.GetAll()[p] is DBusVariant v ? v.Signature : "v").Append("\" access=\"read\"/>\n");
                    }

                    xml.Append("  </interface>\n");
                }
            }

            string prefix = path == "/" ? "/" : path + "/";
            foreach (string child in _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k != path)
                         .Select(k => k.Substring(prefix.Length).Split('/')[0]).Distinct().OrderBy(k => k, StringComparer.Ordinal))
            {
                xml.Append("  <node name=\"").Append(child).Append("\"/>\n");
            }

            return xml.Append("</node>\n").ToString();
        }
    }
}
