using System.Collections.Concurrent;
using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>One exported object: for each interface, a function giving a snapshot of its properties.</summary>
    internal sealed class ExportedObject
    {
        public ExportedObject(string path, Dictionary<string, Func<Dictionary<string, VariantValue>>> interfaces)
        {
            Path = path;
            Interfaces = interfaces;
        }

        public string Path { get; }

        public IReadOnlyDictionary<string, Func<Dictionary<string, VariantValue>>> Interfaces { get; }

        public IEnumerable<KeyValuePair<string, Dictionary<string, VariantValue>>> Snapshot() =>
            Interfaces.Select(i => KeyValuePair.Create(i.Key, i.Value()));
    }

    /// <summary>
    /// A subtree of exported objects served through Tmds.DBus.Protocol's <see cref="IPathMethodHandler"/>. The library
    /// routes calls by path and answers org.freedesktop.DBus.Peer itself, but leaves Properties and ObjectManager to
    /// handlers it does not generate (BlueZ needs both), so this answers Properties.Get/GetAll and
    /// GetManagedObjects at the manager paths and passes every other call to <see cref="CallHandler"/>.
    /// </summary>
    internal sealed class ObjectTree : IPathMethodHandler
    {
        private readonly ConcurrentDictionary<string, ExportedObject> _objects = new(StringComparer.Ordinal);
        private readonly HashSet<string> _managers;
        private readonly Func<string?, bool> _mayCall;
        private readonly CallHandler _onCall;

        /// <param name="root">the subtree's root path.</param>
        /// <param name="managers">paths that answer GetManagedObjects for the objects strictly below them.</param>
        /// <param name="mayCall">which senders may call methods other than Properties/ObjectManager reads.</param>
        /// <param name="onCall">answers the other calls; a call it leaves unanswered gets UnknownMethod.</param>
        public ObjectTree(string root, IEnumerable<string> managers, Func<string?, bool> mayCall, CallHandler onCall)
        {
            Path = root;
            _managers = new HashSet<string>(managers, StringComparer.Ordinal);
            _mayCall = mayCall;
            _onCall = onCall;
        }

        /// <summary>
        /// Runs on the connection's reader: no further message is read until it completes, which keeps writes in
        /// order. A handler that must call over the same connection sets DisposesAsynchronously and replies later.
        /// </summary>
        public delegate ValueTask CallHandler(MethodContext context, ExportedObject target);

        public string Path { get; }

        public bool HandlesChildPaths => true;

        public void Add(ExportedObject o) => _objects[o.Path] = o;

        public bool Remove(string path) => _objects.TryRemove(path, out _);

        public ExportedObject? Find(string path) => _objects.TryGetValue(path, out ExportedObject? o) ? o : null;

        /// <summary>Objects strictly below <paramref name="manager"/>, in path order.</summary>
        public IEnumerable<ExportedObject> Below(string manager)
        {
            string prefix = manager == "/" ? "/" : manager + "/";
            return _objects.Values.Where(o => o.Path.StartsWith(prefix, StringComparison.Ordinal) && o.Path != manager)
                .OrderBy(o => o.Path, StringComparer.Ordinal);
        }

        public async ValueTask HandleMethodAsync(MethodContext context)
        {
            try
            {
                Message request = context.Request;
                string path = request.PathAsString ?? "";
                if (request.InterfaceAsString == BusMessages.ObjectManagerInterface && request.MemberAsString == "GetManagedObjects" && _managers.Contains(path))
                {
                    ReplyManagedObjects(context, Below(path));
                }
                else if (!_objects.TryGetValue(path, out ExportedObject? target))
                {
                    throw new DBusErrorReplyException(BusMessages.UnknownObject, "no object at " + path);
                }
                else if (context.IsPropertiesInterfaceRequest)
                {
                    AnswerProperties(context, target);
                }
                else if (!_mayCall(request.SenderAsString))
                {
                    throw new DBusErrorReplyException(BusMessages.AccessDenied, request.SenderAsString + " may not call " + request.MemberAsString + " on " + path);
                }
                else
                {
                    await _onCall(context, target).ConfigureAwait(false);
                }
            }
            catch (DBusErrorReplyException e)
            {
                context.ReplyError(e.ErrorName, e.ErrorMessage);
            }
            catch (Exception e)
            {
                // A bug or a failing receiver fails this call only: left to the library, an exception that
                // escapes a handler closes the whole connection, and with it every registration on it.
                context.ReplyError("org.freedesktop.DBus.Error.Failed", e.Message);
            }
        }

        /// <summary>The body reader when the request's signature is <paramref name="signature"/>; InvalidArgs otherwise.</summary>
        public static Reader Arguments(MethodContext context, string signature)
        {
            string actual = context.Request.SignatureAsString ?? "";
            if (actual != signature)
            {
                throw new DBusErrorReplyException(BusMessages.InvalidArgs, context.Request.MemberAsString + " takes (" + signature + "), not (" + actual + ")");
            }

            return context.Request.GetBodyReader();
        }

        public static void ReplyEmpty(MethodContext context)
        {
            using MessageWriter writer = context.CreateReplyWriter(null);
            context.Reply(writer.CreateMessage());
        }

        public static void ReplyManagedObjects(MethodContext context, IEnumerable<ExportedObject> objects)
        {
            MessageWriter writer = context.CreateReplyWriter("a{oa{sa{sv}}}");
            try
            {
                ArrayStart start = writer.WriteDictionaryStart();
                foreach (ExportedObject o in objects)
                {
                    writer.WriteDictionaryEntryStart();
                    writer.WriteObjectPath(o.Path);
                    BusMessages.WriteInterfaces(ref writer, o.Snapshot());
                }

                writer.WriteDictionaryEnd(start);
                context.Reply(writer.CreateMessage());
            }
            finally
            {
                writer.Dispose();
            }
        }

        private static void AnswerProperties(MethodContext context, ExportedObject target)
        {
            string member = context.Request.MemberAsString ?? "";
            if (member == "Set")
            {
                throw new DBusErrorReplyException(BusMessages.PropertyReadOnly, "the properties of " + target.Path + " are read-only");
            }

            if (member != "Get" && member != "GetAll")
            {
                throw new DBusErrorReplyException(BusMessages.UnknownMethod, "Properties has no method " + member);
            }

            Reader args = Arguments(context, member == "Get" ? "ss" : "s");
            string iface = args.ReadString();
            if (!target.Interfaces.TryGetValue(iface, out Func<Dictionary<string, VariantValue>>? snapshot))
            {
                throw new DBusErrorReplyException(BusMessages.InvalidArgs, target.Path + " has no interface " + iface);
            }

            Dictionary<string, VariantValue> properties = snapshot();
            if (member == "GetAll")
            {
                using MessageWriter all = context.CreateReplyWriter("a{sv}");
                all.WriteDictionary(properties);
                context.Reply(all.CreateMessage());
                return;
            }

            string name = args.ReadString();
            if (!properties.TryGetValue(name, out VariantValue value))
            {
                throw new DBusErrorReplyException(BusMessages.InvalidArgs, iface + " has no property " + name);
            }

            using MessageWriter one = context.CreateReplyWriter("v");
            one.WriteVariant(value);
            context.Reply(one.CreateMessage());
        }
    }
}
