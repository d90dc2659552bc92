using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using AetherEdge.Core.WifiDirect;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// SIMULATION of wpa_supplicant 2.10's P2P device interface (we have no P2P radio): one AF_UNIX datagram socket
    /// per device speaking the real protocol (bound-client replies, ATTACH/DETACH monitors, <c>&lt;3&gt;</c> events) with
    /// README-P2P's reply and event formats. Devices on one <see cref="SimulatedAir"/> see each other while both
    /// run P2P_FIND, answer service discovery from what P2P_SERVICE_ADD stored, and when a GO negotiation completes
    /// the air creates a veth pair named <c>p2p-wlan0-0</c> between the two devices' network namespaces, so
    /// addresses, mDNS, TLS and sync above it are real. Times follow real wpa_supplicant: a peer is found within one
    /// find cycle of the social channels (<see cref="SimulatedAir.FindDelay"/>, ~1 s) and negotiation + WPS + 4-way
    /// handshake take ~1.5 s (<see cref="SimulatedAir.FormDelay"/>).
    /// </summary>
    internal sealed class SimulatedWpaSupplicant : IDisposable
    {
        private readonly SimulatedAir _air;
        private readonly Socket _socket;
        private readonly List<string> _monitors = new();
        private readonly Dictionary<string, string> _services = new(StringComparer.Ordinal);
        private readonly Thread _thread;
        private volatile bool _stopped;

        public SimulatedWpaSupplicant(SimulatedAir air, string directory, string netns, string address)
        {
            _air = air;
            Namespace = netns;
            Address = address;
            Directory.CreateDirectory(directory);
            SocketPath = Path.Combine(directory, "p2p-dev-wlan0");
            File.Delete(SocketPath);
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            _socket.Bind(new UnixDomainSocketEndPoint(SocketPath));
            _thread = new Thread(Serve) { IsBackground = true, Name = "sim-wpa " + address };
            _thread.Start();
            air.Add(this);
        }

        public string Namespace { get; }

        public string Address { get; }

        public string SocketPath { get; }

        public bool Finding { get; private set; }

        public bool WantsServices { get; private set; }

        public int? ConnectIntent { get; set; }

        public string? ConnectTo { get; set; }

        public string? GroupInterface { get; set; }

        public List<string> Commands { get; } = new();

        /// <summary>The Bonjour TLVs (response form) of everything P2P_SERVICE_ADD stored.</summary>
        public string ServiceResponseHex()
        {
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

        public void Dispose()
        {
            _stopped = true;
            _socket.Dispose();
            File.Delete(SocketPath);
        }

        private void Serve()
        {
            var buffer = new byte[8192];
            while (!_stopped)
            {
                System.Net.EndPoint from = new UnixDomainSocketEndPoint("/");
                int n;
                try
                {
                    n = _socket.ReceiveFrom(buffer, ref from);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                string client = ((UnixDomainSocketEndPoint)from).ToString();
                string command = Encoding.ASCII.GetString(buffer, 0, n);
                lock (Commands)
                {
                    Commands.Add(command);
                }

                string reply = Handle(command, client);
                try
                {
                    _socket.SendTo(Encoding.ASCII.GetBytes(reply), from);
                }
                catch (SocketException)
                {
                }
            }
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
                case "LIST_NETWORKS": return "network id / ssid / bssid / flags\n";
                case "P2P_CONNECT" when w.Length >= 3:
                    int intent = w.Where(x => x.StartsWith("go_intent=", StringComparison.Ordinal)).Select(x => int.Parse(x.AsSpan(10), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(7);
                    return _air.Connect(this, w[1].ToLowerInvariant(), intent) ? "OK\n" : "FAIL\n";
                case "P2P_GROUP_REMOVE" when w.Length == 2:
                    _air.Remove(this);
                    return "OK\n";
                case "P2P_CANCEL": return "OK\n";
                case "P2P_INVITE": return "FAIL\n";
                default: return "UNKNOWN COMMAND\n";
            }
        }
    }

    /// <summary>SIMULATION: the radio space shared by simulated devices (who hears whom, group formation as veth).</summary>
    internal sealed class SimulatedAir
    {
        public static readonly TimeSpan FindDelay = TimeSpan.FromSeconds(1);
        public static readonly TimeSpan FormDelay = TimeSpan.FromMilliseconds(1500);
        private readonly List<SimulatedWpaSupplicant> _devices = new();
        private readonly HashSet<(string, string)> _found = new();
        private readonly HashSet<(string, string)> _answered = new();
        private readonly object _gate = new();

        public void Add(SimulatedWpaSupplicant d)
        {
            lock (_gate)
            {
                _devices.Add(d);
            }
        }

        /// <summary>Every pair both finding hears each other after <see cref="FindDelay"/>; service requests get answers.</summary>
        public void Discover()
        {
            Task.Delay(FindDelay).ContinueWith(_ =>
            {
                lock (_gate)
                {
                    foreach (var a in _devices)
                    {
                        foreach (var b in _devices)
                        {
                            if (a == b || !a.Finding || !b.Finding)
                            {
                                continue;
                            }

                            if (_found.Add((a.Address, b.Address)))
                            {
                                a.Event("P2P-DEVICE-FOUND " + b.Address + " p2p_dev_addr=" + b.Address + " pri_dev_type=1-0050F204-2 name='sim' config_methods=0x188 dev_capab=0x25 group_capab=0x0 new=1");
                            }

                            if (a.WantsServices && _answered.Add((a.Address, b.Address)))
                            {
                                a.Event("P2P-SERV-DISC-RESP " + b.Address + " 1 " + b.ServiceResponseHex());
                            }
                        }
                    }
                }
            }, TaskScheduler.Default);
        }

        public bool Connect(SimulatedWpaSupplicant from, string to, int intent)
        {
            SimulatedWpaSupplicant? peer;
            lock (_gate)
            {
                peer = _devices.FirstOrDefault(d => d.Address == to);
                if (peer == null || from.GroupInterface != null)
                {
                    return false;
                }

                from.ConnectTo = to;
                from.ConnectIntent = intent;
                if (peer.ConnectTo != from.Address)
                {
                    peer.Event("P2P-GO-NEG-REQUEST " + from.Address + " dev_passwd_id=4 go_intent=" + intent);
                    return true;
                }
            }

            var (go, client) = intent > peer.ConnectIntent || (intent == peer.ConnectIntent && string.CompareOrdinal(from.Address, to) < 0) ? (from, peer) : (peer, from);
            Task.Delay(FormDelay).ContinueWith(_ => Form(go, client), TaskScheduler.Default);
            return true;
        }

        public void Remove(SimulatedWpaSupplicant d)
        {
            lock (_gate)
            {
                var peer = _devices.FirstOrDefault(p => p != d && p.GroupInterface != null && (p.ConnectTo == d.Address || d.ConnectTo == p.Address));
                foreach (var x in new[] { d, peer })
                {
                    if (x?.GroupInterface != null)
                    {
                        Ip("-n", x.Namespace, "link", "del", x.GroupInterface);
                        x.Event("P2P-GROUP-REMOVED " + x.GroupInterface + " " + "GO reason=REQUESTED");
                        x.GroupInterface = null;
                        x.ConnectTo = null;
                    }
                }
            }
        }

        private static void Form(SimulatedWpaSupplicant go, SimulatedWpaSupplicant client)
        {
            string tag = "s" + Environment.ProcessId % 10000;
            Ip("link", "add", tag + "g", "type", "veth", "peer", "name", tag + "c");
            Ip("link", "set", tag + "g", "netns", go.Namespace);
            Ip("link", "set", tag + "c", "netns", client.Namespace);
            Ip("-n", go.Namespace, "link", "set", tag + "g", "name", "p2p-wlan0-0");
            Ip("-n", client.Namespace, "link", "set", tag + "c", "name", "p2p-wlan0-0");
            Ip("-n", go.Namespace, "link", "set", "p2p-wlan0-0", "up");
            Ip("-n", client.Namespace, "link", "set", "p2p-wlan0-0", "up");
            go.GroupInterface = "p2p-wlan0-0";
            client.GroupInterface = "p2p-wlan0-0";
            go.Event("P2P-GO-NEG-SUCCESS role=GO freq=2437 ht40=0 peer_dev=" + client.Address + " peer_iface=" + client.Address + " wps_method=PBC");
            client.Event("P2P-GO-NEG-SUCCESS role=client freq=2437 ht40=0 peer_dev=" + go.Address + " peer_iface=" + go.Address + " wps_method=PBC");
            go.Event("P2P-GROUP-FORMATION-SUCCESS ");
            client.Event("P2P-GROUP-FORMATION-SUCCESS ");
            go.Event("P2P-GROUP-STARTED p2p-wlan0-0 GO ssid=\"DIRECT-sim\" freq=2437 passphrase=\"simulated\" go_dev_addr=" + go.Address + " [PERSISTENT]");
            client.Event("P2P-GROUP-STARTED p2p-wlan0-0 client ssid=\"DIRECT-sim\" freq=2437 psk=00 go_dev_addr=" + go.Address + " [PERSISTENT] ip_addr=192.168.42.11 ip_mask=255.255.255.0 go_ip_addr=192.168.42.1");
            go.Event("AP-STA-CONNECTED " + client.Address + " p2p_dev_addr=" + client.Address + " ip_addr=192.168.42.11");
        }

        private static void Ip(params string[] args)
        {
            var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            p.StandardError.ReadToEnd();
            p.WaitForExit(10_000);
        }
    }
}
