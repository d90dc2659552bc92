using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using AetherEdge.Core.Protocol;

namespace AetherEdge.HostNode.DBus
{
    /// <summary>
    /// A connection to a message bus over a Unix stream socket: SASL EXTERNAL, unix fd passing, method calls
    /// with reply matching and timeouts, signal subscriptions and exported objects. A dedicated thread reads;
    /// signal callbacks run on it (keep them short), exported methods run on the thread pool.
    /// </summary>
    public sealed partial class DBusConnection : IDisposable
    {
        public const string BusName = "org.freedesktop.DBus";
        public const string BusPath = "/org/freedesktop/DBus";
        public const string BusInterface = "org.freedesktop.DBus";
        public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(25);

        private readonly Socket _socket;
        private readonly int _fd;
        private readonly object _sendLock = new();
        private readonly ConcurrentDictionary<uint, TaskCompletionSource<DBusMessage>> _pending = new();
        private readonly List<Subscription> _subscriptions = new();
        private readonly Thread _reader;
        private int _serial;
        private volatile bool _closed;
        private volatile string _closeReason = "the connection is closed";

        private DBusConnection(Socket socket, bool unixFds)
        {
            _socket = socket;
            _fd = (int)socket.Handle;
            SupportsUnixFds = unixFds;
            _reader = new Thread(ReadLoop) { IsBackground = true, Name = "dbus-reader" };
        }

        public string UniqueName { get; private set; } = "";

        public bool SupportsUnixFds { get; }

        public TimeSpan CallTimeout { get; set; } = DefaultCallTimeout;

        /// <summary>Fires once when the connection closes (peer hung up, bad wire data, or Dispose).</summary>
        public event Action<Exception?>? Closed;

        /// <summary>Connects, authenticates, negotiates fd passing and says Hello.</summary>
        public static async Task<DBusConnection> ConnectAsync(string address, TimeSpan? timeout = null)
        {
            TimeSpan limit = timeout ?? TimeSpan.FromSeconds(10);
            string path = DBusAddress.ParseUnixSocketPath(address);
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.ReceiveTimeout = (int)limit.TotalMilliseconds;
                socket.SendTimeout = (int)limit.TotalMilliseconds;
                bool fds = await Task.Run(() =>
                {
                    socket.Connect(new UnixDomainSocketEndPoint(path));
                    UnixFdNative.MakeBlocking((int)socket.Handle);
                    return Authenticate(socket);
                }).WaitAsync(limit).ConfigureAwait(false);
                socket.ReceiveTimeout = 0;
                socket.SendTimeout = 0;
                var connection = new DBusConnection(socket, fds) { CallTimeout = limit > DefaultCallTimeout ? limit : DefaultCallTimeout };
                connection._reader.Start();
                DBusMessage hello = await connection.CallAsync(BusName, BusPath, BusInterface, "Hello", timeout: limit).ConfigureAwait(false);
                connection.UniqueName = (string)hello.Body[0];
                return connection;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private static bool Authenticate(Socket socket)
        {
            string uidHex = Convert.ToHexString(Encoding.ASCII.GetBytes(UnixFdNative.UserId.ToString())).ToLowerInvariant();
            socket.Send(new byte[] { 0 });
            string reply = AuthExchange(socket, "AUTH EXTERNAL " + uidHex);
            if (!reply.StartsWith("OK ", StringComparison.Ordinal))
            {
                throw new ProtocolViolationException("D-Bus authentication failed: server said '" + reply + "'");
            }

            bool fds = AuthExchange(socket, "NEGOTIATE_UNIX_FD") == "AGREE_UNIX_FD";
            socket.Send(Encoding.ASCII.GetBytes("BEGIN\r\n"));
            return fds;
        }

        private static string AuthExchange(Socket socket, string command)
        {
            socket.Send(Encoding.ASCII.GetBytes(command + "\r\n"));
            var line = new StringBuilder();
            var one = new byte[1];
            while (true)
            {
                int n;
                try
                {
                    n = socket.Receive(one);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
                {
                    throw new TimeoutException("D-Bus authentication timed out after '" + command + "'");
                }

                if (n == 0)
                {
                    throw new ProtocolViolationException("D-Bus server closed the connection during authentication");
                }

                line.Append((char)one[0]);
                if (line.Length > DBusLimits.MaxAuthLineLength)
                {
                    throw new ProtocolViolationException("D-Bus authentication line is over " + DBusLimits.MaxAuthLineLength + " bytes");
                }

                if (line.Length >= 2 && line[^2] == '\r' && line[^1] == '\n')
                {
                    return line.ToString(0, line.Length - 2);
                }
            }
        }

        /// <summary>Calls a method and returns the reply; an error reply or a timeout throws <see cref="DBusErrorException"/>.</summary>
        public async Task<DBusMessage> CallAsync(string? destination, string path, string iface, string member, string signature = "", object[]? args = null, TimeSpan? timeout = null)
        {
            var message = new DBusMessage
            {
                Type = DBusMessageType.MethodCall,
                Destination = destination,
                Path = path,
                Interface = iface,
                Member = member,
                Signature = signature,
                Body = args ?? Array.Empty<object>(),
            };
            var tcs = new TaskCompletionSource<DBusMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            message.Serial = NextSerial();
            _pending[message.Serial] = tcs;
            try
            {
                Send(message, assignSerial: false);
                DBusMessage reply = await tcs.Task.WaitAsync(timeout ?? CallTimeout).ConfigureAwait(false);
                if (reply.Type == DBusMessageType.Error)
                {
                    string text = reply.Body.Length > 0 && reply.Body[0] is string s ? s : "";
                    throw new DBusErrorException(reply.ErrorName!, text);
                }

                return reply;
            }
            catch (TimeoutException)
            {
                throw new DBusErrorException(DBusErrors.NoReply, "no reply to " + iface + "." + member + " on " + path + " within " + (timeout ?? CallTimeout).TotalSeconds + " s");
            }
            finally
            {
                _pending.TryRemove(message.Serial, out _);
            }
        }

        public void EmitSignal(string path, string iface, string member, string signature = "", object[]? args = null, string? destination = null)
        {
            Send(new DBusMessage
            {
                Type = DBusMessageType.Signal,
                Path = path,
                Interface = iface,
                Member = member,
                Destination = destination,
                Signature = signature,
                Body = args ?? Array.Empty<object>(),
            });
        }

        /// <summary>Emits org.freedesktop.DBus.Properties.PropertiesChanged.</summary>
        public void EmitPropertiesChanged(string path, string iface, IDictionary<object, object> changed, string[]? invalidated = null) =>
            EmitSignal(path, PropertiesInterface, "PropertiesChanged", "sa{sv}as", new object[] { iface, changed, invalidated ?? Array.Empty<string>() });

        /// <summary>Adds a bus match rule and calls <paramref name="handler"/> for matching signals until disposed.</summary>
        public async Task<IAsyncDisposable> SubscribeAsync(DBusMatchRule rule, Action<DBusMessage> handler)
        {
            string? owner = null;
            if (rule.Sender != null && !rule.Sender.StartsWith(':'))
            {
                try
                {
                    owner = (string)(await CallAsync(BusName, BusPath, BusInterface, "GetNameOwner", "s", new object[] { rule.Sender }).ConfigureAwait(false)).Body[0];
                }
                catch (DBusErrorException)
                {
                    owner = null; // not on the bus yet; match by the well-known name only
                }
            }

            await CallAsync(BusName, BusPath, BusInterface, "AddMatch", "s", new object[] { rule.ToString() }).ConfigureAwait(false);
            var subscription = new Subscription(this, rule, owner, handler);
            lock (_subscriptions)
            {
                _subscriptions.Add(subscription);
            }

            return subscription;
        }

        /// <summary>Sends a message; assigns the serial unless told not to. Thread-safe.</summary>
        public void Send(DBusMessage message, bool assignSerial = true)
        {
            if (_closed)
            {
                throw new DBusErrorException(DBusErrors.Disconnected, _closeReason);
            }

            if (assignSerial)
            {
                message.Serial = NextSerial();
            }

            byte[] bytes = message.Encode(out List<int> fds);
            if (fds.Count > 0 && !SupportsUnixFds)
            {
                throw new InvalidOperationException("the bus did not agree to unix fd passing");
            }

            lock (_sendLock)
            {
                int offset = 0;
                while (offset < bytes.Length)
                {
                    try
                    {
                        offset += UnixFdNative.Send(_fd, bytes, offset, bytes.Length - offset, offset == 0 ? fds : Array.Empty<int>());
                    }
                    catch (SocketException e)
                    {
                        throw new DBusErrorException(DBusErrors.Disconnected, "send failed: " + e.Message);
                    }
                }
            }
        }

        private uint NextSerial()
        {
            uint s = (uint)Interlocked.Increment(ref _serial);
            return s == 0 ? (uint)Interlocked.Increment(ref _serial) : s;
        }

        private void ReadLoop()
        {
            var buffer = new byte[64 * 1024];
            int filled = 0;
            var fds = new List<int>();
            Exception? failure = null;
            try
            {
                while (true)
                {
                    while (filled >= DBusLimits.FixedHeaderLength)
                    {
                        int total = DBusMessage.MessageLength(buffer.AsSpan(0, DBusLimits.FixedHeaderLength));
                        if (total > buffer.Length)
                        {
                            Array.Resize(ref buffer, Math.Max(total, buffer.Length * 2));
                        }

                        if (filled < total)
                        {
                            break;
                        }

                        byte[] one = buffer.AsSpan(0, total).ToArray();
                        DBusMessage message = DBusMessage.Decode(one, total, fds);
                        fds.RemoveRange(0, message.UnixFds.Count);
                        Buffer.BlockCopy(buffer, total, buffer, 0, filled - total);
                        filled -= total;
                        Dispatch(message);
                    }

                    if (filled == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    int n = UnixFdNative.Receive(_fd, buffer, filled, buffer.Length - filled, fds);
                    if (n == 0)
                    {
                        break;
                    }

                    filled += n;
                }
            }
            catch (Exception e)
            {
                // Bad wire data or a dead socket: the stream cannot be resynchronised, so the connection ends.
                failure = _closed ? null : e;
            }

            foreach (int fd in fds)
            {
                UnixFdNative.Close(fd);
            }

            Close(failure);
        }

        private void Dispatch(DBusMessage message)
        {
            switch (message.Type)
            {
                case DBusMessageType.MethodReturn:
                case DBusMessageType.Error:
                    if (_pending.TryRemove(message.ReplySerial!.Value, out TaskCompletionSource<DBusMessage>? tcs))
                    {
                        tcs.TrySetResult(message);
                    }
                    else
                    {
                        CloseFds(message);
                    }

                    break;
                case DBusMessageType.Signal:
                    Subscription[] subs;
                    lock (_subscriptions)
                    {
                        subs = _subscriptions.ToArray();
                    }

                    foreach (Subscription s in subs)
                    {
                        if (s.Rule.Matches(message, s.Owner))
                        {
                            try
                            {
                                s.Handler(message);
                            }
                            catch (Exception)
                            {
                                // A faulty subscriber must not take the connection down.
                            }
                        }
                    }

                    break;
                case DBusMessageType.MethodCall:
                    _ = Task.Run(() => HandleMethodCallAsync(message));
                    break;
            }
        }

        private static void CloseFds(DBusMessage message)
        {
            foreach (int fd in message.UnixFds)
            {
                UnixFdNative.Close(fd);
            }
        }

        private void Close(Exception? failure)
        {
            if (_closed && failure != null)
            {
                failure = null;
            }

            if (failure != null)
            {
                _closeReason = "connection lost: " + failure.Message;
            }

            _closed = true;
            var error = new DBusErrorException(DBusErrors.Disconnected, _closeReason);
            foreach (KeyValuePair<uint, TaskCompletionSource<DBusMessage>> p in _pending)
            {
                p.Value.TrySetException(error);
            }

            Action<Exception?>? closed = Interlocked.Exchange(ref Closed, null);
            closed?.Invoke(failure);
        }

        public void Dispose()
        {
            if (_closed && !_reader.IsAlive)
            {
                return;
            }

            _closed = true;
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // already gone
            }

            _reader.Join(TimeSpan.FromSeconds(5));
            _socket.Dispose();
            Close(null);
        }

        private sealed class Subscription : IAsyncDisposable
        {
            private readonly DBusConnection _connection;

            public Subscription(DBusConnection connection, DBusMatchRule rule, string? owner, Action<DBusMessage> handler)
            {
                _connection = connection;
                Rule = rule;
                Owner = owner;
                Handler = handler;
            }

            public DBusMatchRule Rule { get; }

            public string? Owner { get; }

            public Action<DBusMessage> Handler { get; }

            public async ValueTask DisposeAsync()
            {
                lock (_connection._subscriptions)
                {
                    _connection._subscriptions.Remove(this);
                }

                if (!_connection._closed)
                {
                    try
                    {
                        await _connection.CallAsync(BusName, BusPath, BusInterface, "RemoveMatch", "s", new object[] { Rule.ToString() }).ConfigureAwait(false);
                    }
                    catch (DBusErrorException)
                    {
                        // the connection went away meanwhile; nothing to undo
                    }
                }
            }
        }
    }
}
