using System.Net.Sockets;
using System.Text;
using AetherEdge.Core.WifiDirect;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// SIMULATION of wpa_supplicant 2.10's P2P device interface (we have no P2P radio): one AF_UNIX datagram socket
    /// per device speaking the real protocol (bound-client replies, ATTACH/DETACH monitors, <c>&lt;3&gt;</c> events) with
    /// README-P2P's reply and event formats, plus the group interface's own socket (<c>WPS_PBC</c>) while it owns a
    /// group. Devices on one <see cref="SimulatedAir"/> see each other while both run P2P_FIND, answer service
    /// discovery from what P2P_SERVICE_ADD stored, negotiate, join, and re-invoke persistent groups (LIST_NETWORKS,
    /// GET_NETWORK p2p_client_list, P2P_INVITE); the air builds the group interfaces (see <see cref="SimulatedAir"/>).
    /// </summary>
    internal sealed class SimulatedWpaSupplicant : IDisposable
    {
        private readonly SimulatedAir _air;
        private readonly Socket _socket;
        private readonly List<string> _monitors = new();
        private readonly Dictionary<string, string> _services = new(StringComparer.Ordinal);
        private Socket? _groupSocket;
        private volatile bool _stopped;

        public SimulatedWpaSupplicant(SimulatedAir air, string directory, string? netns, string address)
        {
            _air = air;
            Namespace = netns;
            Address = address;
            Directory = directory;
            System.IO.Directory.CreateDirectory(directory);
            SocketPath = Path.Combine(directory, "p2p-dev-wlan0");
            _socket = Bind(SocketPath);
            new Thread(() => Serve(_socket, Handle)) { IsBackground = true, Name = "sim-wpa " + address }.Start();
            air.Add(this);
        }

        /// <summary>The network namespace its group interfaces go to; null: no interfaces (in-process tests).</summary>
        public string? Namespace { get; }

        public string Address { get; }

        public string Directory { get; }

        public string SocketPath { get; }

        public bool Finding { get; private set; }

        public bool WantsServices { get; private set; }

        public int? ConnectIntent { get; set; }

        public string? ConnectTo { get; set; }

        /// <summary>The group it is in (as GO or client), or null.</summary>
        public SimulatedGroup? Group { get; set; }

        /// <summary>wpa_supplicant's persistent_reconnect: accept invitations to known persistent groups by itself.</summary>
        public bool PersistentReconnect { get; set; } = true;

        /// <summary>A rogue device: answers service discovery with this (someone else's) TLV hex instead of its own.</summary>
        public string? SpoofedServiceHex { get; set; }

        /// <summary>A rogue group owner lets anyone join without WPS_PBC on its side.</summary>
        public bool AcceptsAnyJoin { get; set; }

        /// <summary>Persistent groups it stored (its network blocks with <c>[P2P-PERSISTENT]</c>).</summary>
        public List<SimulatedNetwork> Networks { get; } = new();

        public List<string> Commands { get; } = new();

        /// <summary>What SET changed (name → value).</summary>
        public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

        public int CountCommands(string prefix)
        {
            lock (Commands)
            {
                return Commands.Count(c => c.StartsWith(prefix, StringComparison.Ordinal));
            }
        }

        /// <summary>The Bonjour TLVs (response form) of everything P2P_SERVICE_ADD stored, or the spoofed ones.</summary>
        public string ServiceResponseHex()
        {
            if (SpoofedServiceHex != null)
            {
                return SpoofedServiceHex;
            }

            var sb = new StringBuilder();
            lock (_services)
            {
                foreach (var (query, rdata) in _services)
                {
                    byte[] data = Hex.Decode(query + rdata);
                    int len = data.Length + 3;
                    sb.Append(Hex.Encode(new[] { (byte)len, (byte)(len >> 8), (byte)1, (byte)1, (byte)0 })).Append(Hex.Encode(data));
                }
            }

            return sb.ToString();
        }

        public void Event(string text)
        {
            byte[] data = Encoding.ASCII.GetBytes("<3>" + text);
            lock (_monitors)
            {
                foreach (string m in _monitors.ToList())
                {
                    try
                    {
                        _socket.SendTo(data, new UnixDomainSocketEndPoint(m));
                    }
                    catch (SocketException)
                    {
                        _monitors.Remove(m);
                    }
                }
            }
        }

        /// <summary>Opens or closes the group interface's control socket (<c>DIR/p2p-wlan0-0</c>) while it owns a group.</summary>
        public void GroupSocket(bool open)
        {
            _groupSocket?.Dispose();
            _groupSocket = null;
            if (open)
            {
                var s = Bind(Path.Combine(Directory, SimulatedAir.GroupInterface));
                _groupSocket = s;
                new Thread(() => Serve(s, HandleGroup)) { IsBackground = true, Name = "sim-wpa-group " + Address }.Start();
            }
        }

        public void Dispose()
        {
            _stopped = true;
            _socket.Dispose();
            _groupSocket?.Dispose();
            File.Delete(SocketPath);
        }

        private static Socket Bind(string path)
        {
            File.Delete(path);
            var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            s.Bind(new UnixDomainSocketEndPoint(path));
            return s;
        }

        private void Serve(Socket socket, Func<string, string, string> handle)
        {
            var buffer = new byte[8192];
            while (!_stopped)
            {
                System.Net.EndPoint from = new UnixDomainSocketEndPoint("/");
                int n;
                try
                {
                    n = socket.ReceiveFrom(buffer, ref from);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                string command = Encoding.ASCII.GetString(buffer, 0, n);
                lock (Commands)
                {
                    Commands.Add(command);
                }

                try
                {
                    socket.SendTo(Encoding.ASCII.GetBytes(handle(command, ((UnixDomainSocketEndPoint)from).ToString())), from);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }
            }
        }

        private string HandleGroup(string command, string client)
        {
            string[] w = command.Split(' ');
            return w[0] == "WPS_PBC" && w.Length == 2 ? (_air.AcceptJoin(this, w[1].ToLowerInvariant()) ? "OK\n" : "FAIL\n")
                : w[0] == "PING" ? "PONG\n" : "UNKNOWN COMMAND\n";
        }

        private string Handle(string command, string client)
        {
            string[] w = command.Split(' ');
            switch (w[0])
            {
                case "PING": return "PONG\n";
                case "ATTACH":
                    lock (_monitors)
                    {
                        _monitors.Add(client);
                    }

                    return "OK\n";
                case "DETACH":
                    lock (_monitors)
                    {
                        return _monitors.Remove(client) ? "OK\n" : "FAIL\n";
                    }

                case "SET" when w.Length == 3:
                    lock (Commands)
                    {
                        Settings[w[1]] = w[2];
                    }

                    return "OK\n";
                case "P2P_SERVICE_ADD" when w.Length == 4 && w[1] == "bonjour":
                    lock (_services)
                    {
                        _services[w[2]] = w[3];
                    }

                    return "OK\n";
                case "P2P_SERVICE_DEL" when w.Length >= 3:
                    lock (_services)
                    {
                        return _services.Remove(w[2]) ? "OK\n" : "FAIL\n";
                    }

                case "P2P_FIND":
                    Finding = true;
                    _air.Discover();
                    return "OK\n";
                case "P2P_STOP_FIND":
                    Finding = false;
                    return "OK\n";
                case "P2P_SERV_DISC_REQ" when w.Length == 3:
                    WantsServices = true;
                    _air.Discover();
                    return "1\n";
                case "LIST_NETWORKS":
                    lock (Networks)
                    {
                        return "network id / ssid / bssid / flags\n" + string.Concat(Networks.Select(n => n.Id + "\t" + n.Ssid + "\t" + n.GoAddress + "\t[DISABLED][P2P-PERSISTENT]\n"));
                    }

                case "GET_NETWORK" when w.Length == 3 && w[2] == "p2p_client_list":
                    lock (Networks)
                    {
                        var n = Networks.FirstOrDefault(x => x.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == w[1]);
                        return n == null || n.Clients.Count == 0 ? "FAIL\n" : string.Join(' ', n.Clients);
                    }

                case "REMOVE_NETWORK" when w.Length == 2:
                    lock (Networks)
                    {
                        return Networks.RemoveAll(n => n.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == w[1]) > 0 ? "OK\n" : "FAIL\n";
                    }

                case "P2P_CONNECT" when w.Length >= 4 && w[3] == "join":
                    return _air.Join(this, w[1].ToLowerInvariant()) ? "OK\n" : "FAIL\n";
                case "P2P_CONNECT" when w.Length >= 3:
                    int intent = w.Where(x => x.StartsWith("go_intent=", StringComparison.Ordinal)).Select(x => int.Parse(x.AsSpan(10), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(7);
                    return _air.Connect(this, w[1].ToLowerInvariant(), intent, w.Contains("persistent")) ? "OK\n" : "FAIL\n";
                case "P2P_INVITE" when w.Length == 3 && w[1].StartsWith("persistent=", StringComparison.Ordinal) && w[2].StartsWith("peer=", StringComparison.Ordinal):
                    return int.TryParse(w[1].AsSpan(11), out int id) && _air.Invite(this, id, w[2].Substring(5).ToLowerInvariant()) ? "OK\n" : "FAIL\n";
                case "P2P_GROUP_ADD":
                    return _air.StartAutonomous(this, w.Contains("persistent")) ? "OK\n" : "FAIL\n";
                case "P2P_GROUP_REMOVE" when w.Length == 2:
                    return _air.Remove(this) ? "OK\n" : "FAIL\n";
                case "P2P_CANCEL":
                    ConnectTo = null;
                    return "OK\n";
                default: return "UNKNOWN COMMAND\n";
            }
        }
    }

    /// <summary>SIMULATION: a persistent group as a device stored it (id, SSID, the GO's device address, clients if ours).</summary>
    internal sealed record SimulatedNetwork(int Id, string Ssid, string GoAddress)
    {
        public List<string> Clients { get; } = new();
    }

    /// <summary>SIMULATION: a group on the air: its GO, clients, SSID and whether it is persistent.</summary>
    internal sealed class SimulatedGroup
    {
        public SimulatedGroup(SimulatedWpaSupplicant owner, string ssid, bool persistent)
        {
            Owner = owner;
            Ssid = ssid;
            Persistent = persistent;
        }

        public SimulatedWpaSupplicant Owner { get; }

        public string Ssid { get; }

        public bool Persistent { get; }

        public List<(SimulatedWpaSupplicant Device, string Port)> Clients { get; } = new();

        public HashSet<string> PendingJoins { get; } = new(StringComparer.Ordinal);
    }
}
