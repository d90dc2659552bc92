using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>Writes the body of a call or signal; a delegate because MessageWriter is a ref struct.</summary>
    internal delegate void BodyWriter(ref MessageWriter writer);

    /// <summary>
    /// The message shapes the BlueZ layer needs on top of Tmds.DBus.Protocol: calls with a local timeout,
    /// signals out and in, and the nested dictionaries BlueZ speaks (a{sv}, a{sa{sv}}, a{oa{sa{sv}}}).
    /// </summary>
    internal static class BusMessages
    {
        public const string PropertiesInterface = "org.freedesktop.DBus.Properties";
        public const string ObjectManagerInterface = "org.freedesktop.DBus.ObjectManager";
        public const string NoReply = "org.freedesktop.DBus.Error.NoReply";
        public const string InvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";
        public const string UnknownObject = "org.freedesktop.DBus.Error.UnknownObject";
        public const string UnknownMethod = "org.freedesktop.DBus.Error.UnknownMethod";
        public const string AccessDenied = "org.freedesktop.DBus.Error.AccessDenied";
        public const string PropertyReadOnly = "org.freedesktop.DBus.Error.PropertyReadOnly";

        /// <summary>
        /// Calls a method and reads the reply. The library has no call timeout, so one is applied here; a call
        /// that outlives it fails like the bus's own timeout does, with NoReply (a late reply is dropped).
        /// </summary>
        public static async Task<T> CallAsync<T>(DBusConnection connection, string destination, string path, string iface, string member,
            TimeSpan timeout, MessageValueReader<T> reader, string? signature = null, BodyWriter? body = null)
        {
            MessageBuffer message = CreateCall(connection, destination, path, iface, member, signature, body);
            try
            {
                return await connection.CallMethodAsync(message, reader).WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new DBusErrorReplyException(NoReply, iface + "." + member + " on " + path + " got no reply within " + timeout.TotalSeconds + " s");
            }
            finally
            {
                // The library completes a call on the connection's reader; resume elsewhere so that a caller
                // that blocks after awaiting us does not stall every later reply and signal on the connection.
                await Task.Yield();
            }
        }

        public static Task CallAsync(DBusConnection connection, string destination, string path, string iface, string member,
            TimeSpan timeout, string? signature = null, BodyWriter? body = null) =>
            CallAsync(connection, destination, path, iface, member, timeout, static (_, _) => true, signature, body);

        /// <summary>Properties.Get: the property's value, unwrapped from its variant.</summary>
        public static Task<VariantValue> GetPropertyAsync(DBusConnection connection, string destination, string path, string iface, string name, TimeSpan timeout) =>
            CallAsync(connection, destination, path, PropertiesInterface, "Get", timeout, static (m, _) => m.GetBodyReader().ReadVariantValue(), "ss", (ref MessageWriter w) =>
            {
                w.WriteString(iface);
                w.WriteString(name);
            });

        /// <summary>ObjectManager.GetManagedObjects: path → interface → property → value.</summary>
        public static Task<Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>>> GetManagedObjectsAsync(DBusConnection connection, string destination, string path, TimeSpan timeout) =>
            CallAsync(connection, destination, path, ObjectManagerInterface, "GetManagedObjects", timeout, static (m, _) =>
            {
                Reader reader = m.GetBodyReader();
                var objects = new Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>>(StringComparer.Ordinal);
                ArrayEnd end = reader.ReadDictionaryStart();
                while (reader.HasNext(end))
                {
                    string objectPath = reader.ReadObjectPathAsString();
                    objects[objectPath] = ReadInterfaces(ref reader);
                }

                return objects;
            });

        public static void EmitSignal(DBusConnection connection, string path, string iface, string member, string? signature = null, BodyWriter? body = null)
        {
            MessageWriter writer = connection.GetMessageWriter();
            try
            {
                writer.WriteSignalHeader(null, path, iface, member, signature);
                body?.Invoke(ref writer);
                connection.TrySendMessage(writer.CreateMessage());
            }
            finally
            {
                writer.Dispose();
            }
        }

        public static void EmitPropertiesChanged(DBusConnection connection, string path, string iface, string name, VariantValue value) =>
            EmitSignal(connection, path, PropertiesInterface, "PropertiesChanged", "sa{sv}as", (ref MessageWriter w) =>
            {
                w.WriteString(iface);
                w.WriteDictionary(new[] { KeyValuePair.Create(name, value) });
                w.WriteArray(Array.Empty<string>());
            });

        /// <summary>
        /// Subscribes to signals matching <paramref name="rule"/>. The reader sees only messages whose body has
        /// <paramref name="signature"/>, and a body it fails on is skipped: a throwing reader would make the library
        /// drop the whole connection; so would a throwing handler, so its exception costs that one signal only.
        /// The handler runs on the connection's reader and must not block.
        /// </summary>
        public static async Task<IDisposable> WatchAsync<T>(DBusConnection connection, MatchRule rule, string signature, MessageValueReader<T> reader, Action<T> handler)
            where T : class
        {
            IDisposable subscription = await connection.AddMatchAsync<T?>(rule, (m, state) =>
            {
                if ((m.SignatureAsString ?? "") != signature)
                {
                    return null;
                }

                try
                {
                    return reader(m, state);
                }
                catch (Exception)
                {
                    // malformed for us (wrong variant type, missing key, bad encoding): one signal lost, not the bus
                    return null;
                }
            }, (Notification<T?> n) =>
            {
                if (n.HasValue && n.Value is T value)
                {
                    try
                    {
                        handler(value);
                    }
                    catch (Exception)
                    {
                        // e.g. a throwing DeviceUpdated subscriber: its problem, not every registration's on this bus
                    }
                }
            }, emitOnCapturedContext: false, ObserverFlags.None, null).ConfigureAwait(false);
            await Task.Yield(); // off the reader, as in CallAsync
            return subscription;
        }

        /// <summary>Reads a{sa{sv}}: interface → property → value.</summary>
        public static Dictionary<string, Dictionary<string, VariantValue>> ReadInterfaces(ref Reader reader)
        {
            var interfaces = new Dictionary<string, Dictionary<string, VariantValue>>(StringComparer.Ordinal);
            ArrayEnd end = reader.ReadDictionaryStart();
            while (reader.HasNext(end))
            {
                string name = reader.ReadString();
                interfaces[name] = reader.ReadDictionaryOfStringToVariantValue();
            }

            return interfaces;
        }

        /// <summary>Writes a{sa{sv}} from per-interface property snapshots.</summary>
        public static void WriteInterfaces(ref MessageWriter writer, IEnumerable<KeyValuePair<string, Dictionary<string, VariantValue>>> interfaces)
        {
            ArrayStart start = writer.WriteDictionaryStart();
            foreach (KeyValuePair<string, Dictionary<string, VariantValue>> i in interfaces)
            {
                writer.WriteDictionaryEntryStart();
                writer.WriteString(i.Key);
                writer.WriteDictionary(i.Value);
            }

            writer.WriteDictionaryEnd(start);
        }

        /// <summary>True for the failures that mean "the other side or the bus is gone", which clean-up paths ignore.</summary>
        public static bool IsGone(Exception e) =>
            e is DBusErrorReplyException || e is DBusConnectionException || e is DBusOwnerChangedException || e is ObjectDisposedException;

        private static MessageBuffer CreateCall(DBusConnection connection, string destination, string path, string iface, string member, string? signature, BodyWriter? body)
        {
            MessageWriter writer = connection.GetMessageWriter();
            try
            {
                writer.WriteMethodCallHeader(destination, path, iface, member, signature);
                body?.Invoke(ref writer);
                return writer.CreateMessage();
            }
            finally
            {
                writer.Dispose();
            }
        }
    }
}
