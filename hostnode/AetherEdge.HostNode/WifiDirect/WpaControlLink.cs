using System.Net.Sockets;
using System.Text;

namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>Limits of one control link (wpa_ctrl's own: 10 s reply wait, 4096-byte reply buffer).</summary>
    public sealed record WpaLinkOptions
    {
        public static readonly WpaLinkOptions Default = new();

        /// <summary>How long a request waits for its reply.</summary>
        public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(10);

        /// <summary>Longest request sent (wpa_supplicant truncates over 8192 and then never answers).</summary>
        public int MaxRequestBytes { get; init; } = 4096;

        /// <summary>Longest reply or event accepted; a datagram that fills it is refused as possibly cut.</summary>
        public int MaxReplyBytes { get; init; } = 4096;

        /// <summary>Where our client sockets are bound (replies come back by sendto to this address).</summary>
        public string ClientDirectory { get; init; } = Path.GetTempPath();
    }

    /// <summary>
    /// A wpa_supplicant control interface (AF_UNIX datagrams, ctrl_iface_unix.c): a command socket for
    /// request/reply and a separate event socket that is ATTACHed (events can arrive before a reply, so they
    /// never share a socket). Each socket is bound to its own file in <see cref="WpaLinkOptions.ClientDirectory"/>
    /// because wpa_supplicant answers by sendto(). Requests are serialised; stale replies left by a request
    /// that timed out are drained before the next one is sent. <see cref="Reconnect"/> opens both sockets
    /// again and re-ATTACHes (after wpa_supplicant restarted, its socket is a new file and our old ones are dead).
    /// </summary>
    public sealed class WpaControlLink : IDisposable
    {
        private static int s_counter;
        private readonly object _gate = new();
        private readonly object _eventGate = new();
        private readonly WpaLinkOptions _options;
        private readonly Queue<string> _early = new();
        private Socket? _command;
        private Socket? _events;
        private string? _commandPath;
        private string? _eventPath;
        private bool _attached;

        public WpaControlLink(string socketPath, WpaLinkOptions? options = null)
        {
            SocketPath = socketPath;
            _options = options ?? WpaLinkOptions.Default;
        }

        /// <summary>wpa_supplicant's socket, e.g. <c>/run/wpa_supplicant/p2p-dev-wlan0</c>.</summary>
        public string SocketPath { get; }

        /// <summary>True while the event socket is attached.</summary>
        public bool Attached => _attached;

        /// <summary>Requests and replies that failed since start (timeouts, unreachable), for /metrics.</summary>
        public long Failures => Interlocked.Read(ref _failures);

        private long _failures;

        /// <summary>Sends <paramref name="command"/> and returns the reply text as sent (e.g. <c>PONG\n</c>, <c>FAIL\n</c>).</summary>
        public string Request(string command)
        {
            lock (_gate)
            {
                _command ??= Open(out _commandPath);
                return Exchange(_command, command, null);
            }
        }

        /// <summary>Opens the event socket and sends ATTACH on it; true when wpa_supplicant answered OK.</summary>
        public bool Attach()
        {
            lock (_eventGate)
            {
                _events ??= Open(out _eventPath);
                string reply = Exchange(_events, "ATTACH", _early);
                _attached = reply == "OK\n";
                return _attached;
            }
        }

        /// <summary>Sends DETACH on the event socket; true when wpa_supplicant answered OK.</summary>
        public bool Detach()
        {
            lock (_eventGate)
            {
                if (_events == null)
                {
                    return false;
                }

                _attached = false;
                return Exchange(_events, "DETACH", null) == "OK\n";
            }
        }

        /// <summary>
        /// The next event datagram (e.g. <c>&lt;3&gt;P2P-DEVICE-FOUND ...</c>), or null when none arrives within
        /// <paramref name="wait"/>, when not attached, or when the datagram was over the size limit (counted).
        /// Only one thread reads events.
        /// </summary>
        public string? ReceiveEvent(TimeSpan wait)
        {
            Socket? s;
            lock (_eventGate)
            {
                if (_early.Count > 0)
                {
                    return _early.Dequeue();
                }

                s = _events;
            }

            if (s == null || !_attached)
            {
                Thread.Sleep(wait);
                return null;
            }

            var buffer = new byte[_options.MaxReplyBytes + 1];
            try
            {
                if (!s.Poll(wait, SelectMode.SelectRead))
                {
                    return null;
                }

                int n = s.Receive(buffer);
                if (n > _options.MaxReplyBytes)
                {
                    OversizedEvents++;
                    return null;
                }

                return Encoding.ASCII.GetString(buffer, 0, n);
            }
            catch (SocketException)
            {
                return null;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
        }

        /// <summary>Event datagrams dropped for filling the buffer.</summary>
        public long OversizedEvents { get; private set; }

        /// <summary>Closes both sockets, opens them again and, when <paramref name="attach"/>, ATTACHes. True when PING and ATTACH worked.</summary>
        public bool Reconnect(bool attach)
        {
            CloseSockets();
            try
            {
                if (Request("PING") != "PONG\n")
                {
                    return false;
                }

                return !attach || Attach();
            }
            catch (WpaLinkException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            try
            {
                if (_attached)
                {
                    Detach();
                }
            }
            catch (WpaLinkException)
            {
                // Gone already: nothing to detach from.
            }

            CloseSockets();
        }

        private void CloseSockets()
        {
            lock (_gate)
            {
                Close(ref _command, ref _commandPath);
            }

            lock (_eventGate)
            {
                _attached = false;
                _early.Clear();
                Close(ref _events, ref _eventPath);
            }
        }

        private static void Close(ref Socket? socket, ref string? path)
        {
            socket?.Dispose();
            socket = null;
            if (path != null)
            {
                TryDelete(path);
                path = null;
            }
        }

        private Socket Open(out string? boundPath)
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            string path = Path.Combine(_options.ClientDirectory, "aether_wpa_" + Environment.ProcessId + "-" + Interlocked.Increment(ref s_counter));
            try
            {
                TryDelete(path);
                s.Bind(new UnixDomainSocketEndPoint(path));
                s.Connect(new UnixDomainSocketEndPoint(SocketPath));
                boundPath = path;
                return s;
            }
            catch (SocketException e)
            {
                s.Dispose();
                TryDelete(path);
                Interlocked.Increment(ref _failures);
                throw new WpaLinkException(WpaLinkFailure.Unreachable, "wpa_supplicant control socket " + SocketPath + " is not reachable (" + e.SocketErrorCode + ")");
            }
        }

        // Sends one request on s and waits for its reply. Datagrams that look like events ("<N>..." or
        // "IFNAME=...") are queued in early (the event socket) or dropped (the command socket is never attached).
        private string Exchange(Socket s, string command, Queue<string>? early)
        {
            byte[] request = Encoding.ASCII.GetBytes(command);
            if (request.Length > _options.MaxRequestBytes)
            {
                throw new WpaLinkException(WpaLinkFailure.RequestTooLarge, "request of " + request.Length + " bytes is over the " + _options.MaxRequestBytes + "-byte limit");
            }

            var buffer = new byte[_options.MaxReplyBytes + 1];
            try
            {
                // A reply to an earlier request that timed out must not answer this one.
                while (early == null && s.Available > 0)
                {
                    s.Receive(buffer);
                }

                s.Send(request);
                var deadline = DateTime.UtcNow + _options.ReplyTimeout;
                while (true)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || !s.Poll(left, SelectMode.SelectRead))
                    {
                        Interlocked.Increment(ref _failures);
                        throw new WpaLinkException(WpaLinkFailure.Timeout, "no reply to " + FirstWord(command) + " from " + SocketPath + " within " + _options.ReplyTimeout.TotalSeconds + " s");
                    }

                    int n = s.Receive(buffer);
                    if (n > _options.MaxReplyBytes)
                    {
                        throw new WpaLinkException(WpaLinkFailure.ReplyTooLarge, "reply to " + FirstWord(command) + " is over " + _options.MaxReplyBytes + " bytes");
                    }

                    string text = Encoding.ASCII.GetString(buffer, 0, n);
                    if (IsEvent(text))
                    {
                        if (early != null && early.Count < 256)
                        {
                            early.Enqueue(text);
                        }

                        continue;
                    }

                    return text;
                }
            }
            catch (SocketException e)
            {
                Interlocked.Increment(ref _failures);
                throw new WpaLinkException(WpaLinkFailure.Unreachable, "wpa_supplicant control socket " + SocketPath + " is not reachable (" + e.SocketErrorCode + ")");
            }
        }

        internal static bool IsEvent(string text) =>
            (text.Length > 2 && text[0] == '<' && char.IsAsciiDigit(text[1])) || text.StartsWith("IFNAME=", StringComparison.Ordinal) && text.Contains(" <", StringComparison.Ordinal);

        private static string FirstWord(string command)
        {
            int space = command.IndexOf(' ', StringComparison.Ordinal);
            return space < 0 ? command : command.Substring(0, space);
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
