using System.Diagnostics;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// SIMULATION: the radio space shared by simulated wpa_supplicants. A group is a bridge named
    /// <c>p2p-wlan0-0</c> in the GO's network namespace, and each client a veth pair from that bridge to an interface
    /// named <c>p2p-wlan0-0</c> in the client's namespace, so up to 8 devices share one L2 segment as in a real group
    /// (the bridge adds a software hop a radio does not have; tests/bench/wifi-direct.sh measures it). Devices with
    /// no namespace get no interfaces (in-process tests of the control protocol).
    /// Times, from what each step exchanges over the air in wpa_supplicant 2.10 (README-P2P; the hwsim P2P tests
    /// wait seconds, not tens of seconds, for each): <see cref="FindDelay"/> one find cycle (scan of the social
    /// channels 1/6/11, then 100-300 ms listen windows) until DEVICE-FOUND and the SD answer; <see cref="FormDelay"/>
    /// GO negotiation (3 frames), WPS provisioning (M1-M8) and the 4-way handshake with IP allocation;
    /// <see cref="JoinDelay"/> provisioning + WPS + association to a running GO; <see cref="InviteDelay"/> invitation
    /// request/response and association with the stored credentials (no WPS).
    /// </summary>
    internal sealed class SimulatedAir
    {
        public const string GroupInterface = "p2p-wlan0-0";
        public static readonly TimeSpan FindDelay = TimeSpan.FromSeconds(1);
        public static readonly TimeSpan FormDelay = TimeSpan.FromMilliseconds(1500);
        public static readonly TimeSpan JoinDelay = TimeSpan.FromMilliseconds(1000);
        public static readonly TimeSpan InviteDelay = TimeSpan.FromMilliseconds(500);
        private readonly List<SimulatedWpaSupplicant> _devices = new();
        private readonly HashSet<(string, string)> _found = new();
        private readonly HashSet<(string, string)> _answered = new();
        private readonly object _gate = new();
        private int _ports;

        /// <summary>GO negotiations that end in <c>P2P-GO-NEG-FAILURE status=1</c> (as when the peer is busy) before one succeeds.</summary>
        public int FailNegotiations { get; set; }

        /// <summary>
        /// False: group owners hand out no address in the 4-way handshake (a GO that is not wpa_supplicant with
        /// ip_addr_go, e.g. a phone): clients' GROUP-STARTED has no ip_addr/ip_mask/go_ip_addr, nor the GO's AP-STA-CONNECTED an ip_addr.
        /// </summary>
        public bool AllocatesAddresses { get; set; } = true;

        /// <summary>Negotiations completed (successful or failed), for tests that must see none (re-invocation).</summary>
        public int Negotiations { get; private set; }

        public void Add(SimulatedWpaSupplicant d)
        {
            lock (_gate)
            {
                _devices.Add(d);
            }
        }

        /// <summary>Every pair both finding hears each other after <see cref="FindDelay"/>; service requests get answers.</summary>
        public void Discover() => Later(FindDelay, () =>
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
                        string groupCapab = b.Group?.Owner == b ? "0x1" : "0x0";
                        a.Event("P2P-DEVICE-FOUND " + b.Address + " p2p_dev_addr=" + b.Address + " pri_dev_type=1-0050F204-2 name='sim' config_methods=0x188 dev_capab=0x25 group_capab=" + groupCapab + " new=1");
                    }

                    if (a.WantsServices && _answered.Add((a.Address, b.Address)))
                    {
                        a.Event("P2P-SERV-DISC-RESP " + b.Address + " 1 " + b.ServiceResponseHex());
                    }
                }
            }
        });

        public bool Connect(SimulatedWpaSupplicant from, string to, int intent, bool persistent)
        {
            lock (_gate)
            {
                var peer = Find(to);
                if (peer == null || from.Group != null)
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

                var (go, client) = intent > peer.ConnectIntent || (intent == peer.ConnectIntent && string.CompareOrdinal(from.Address, to) < 0) ? (from, peer) : (peer, from);
                Later(FormDelay, () =>
                {
                    Negotiations++;
                    go.ConnectTo = client.ConnectTo = null;
                    if (FailNegotiations > 0)
                    {
                        FailNegotiations--;
                        go.Event("P2P-GO-NEG-FAILURE status=1");
                        client.Event("P2P-GO-NEG-FAILURE status=1");
                        return;
                    }

                    go.Event("P2P-GO-NEG-SUCCESS role=GO freq=2437 ht40=0 peer_dev=" + client.Address + " peer_iface=" + client.Address + " wps_method=PBC");
                    client.Event("P2P-GO-NEG-SUCCESS role=client freq=2437 ht40=0 peer_dev=" + go.Address + " peer_iface=" + go.Address + " wps_method=PBC");
                    var g = StartGroup(go, "DIRECT-" + go.Address.Substring(15, 2) + "sim", persistent, negotiated: true);
                    AddClient(g, client, negotiated: true);
                });
                return true;
            }
        }

        /// <summary>P2P_GROUP_ADD: an autonomous group owner (what a rogue device runs to lure clients).</summary>
        public bool StartAutonomous(SimulatedWpaSupplicant d, bool persistent)
        {
            lock (_gate)
            {
                if (d.Group != null)
                {
                    return false;
                }

                StartGroup(d, "DIRECT-" + d.Address.Substring(15, 2) + "own", persistent, negotiated: false);
                return true;
            }
        }

        /// <summary><c>P2P_CONNECT addr pbc join</c>: the GO hears a PBC provisioning request and must answer WPS_PBC (a rogue lets anyone in).</summary>
        public bool Join(SimulatedWpaSupplicant from, string to)
        {
            lock (_gate)
            {
                var go = Find(to);
                var g = go?.Group;
                if (g == null || g.Owner != go || from.Group != null)
                {
                    return false;
                }

                if (go.AcceptsAnyJoin)
                {
                    Later(JoinDelay, () => AddClient(g, from, negotiated: false));
                    return true;
                }

                g.PendingJoins.Add(from.Address);
                go.Event("P2P-PROV-DISC-PBC-REQ " + from.Address + " p2p_dev_addr=" + from.Address + " pri_dev_type=1-0050F204-2 name='sim' config_methods=0x188 dev_capab=0x25 group_capab=0x0");
                return true;
            }
        }

        /// <summary>WPS_PBC on the GO's group interface: the pending joiner comes in.</summary>
        public bool AcceptJoin(SimulatedWpaSupplicant go, string address)
        {
            lock (_gate)
            {
                var g = go.Group;
                var joiner = Find(address);
                if (g == null || g.Owner != go || joiner == null || !g.PendingJoins.Remove(address))
                {
                    return false;
                }

                Later(JoinDelay, () => AddClient(g, joiner, negotiated: false));
                return true;
            }
        }

        /// <summary>A stranger who learned the passphrase associates anyway (tests of threat 4 on the GO side).</summary>
        public void JoinAnyway(SimulatedWpaSupplicant stranger, SimulatedWpaSupplicant go)
        {
            lock (_gate)
            {
                AddClient(go.Group ?? throw new InvalidOperationException("no group to join"), stranger, negotiated: false);
            }
        }

        /// <summary>
        /// <c>P2P_INVITE persistent=id peer=addr</c>: the peer accepts by itself (persistent_reconnect=1) when it stored the
        /// same group; the roles are the stored ones and no negotiation or WPS runs. Otherwise INVITATION-RESULT status=8
        /// (unknown group) or, without persistent_reconnect, INVITATION-RECEIVED there and status=1 here.
        /// </summary>
        public bool Invite(SimulatedWpaSupplicant from, int id, string to)
        {
            lock (_gate)
            {
                var net = from.Networks.FirstOrDefault(n => n.Id == id);
                var peer = Find(to);
                if (net == null || peer == null || from.Group != null)
                {
                    return false;
                }

                Later(InviteDelay, () =>
                {
                    var theirs = peer.Networks.FirstOrDefault(n => n.Ssid == net.Ssid);
                    if (theirs == null)
                    {
                        from.Event("P2P-INVITATION-RESULT status=8 ");
                        return;
                    }

                    if (!peer.PersistentReconnect || peer.Group != null)
                    {
                        peer.Event("P2P-INVITATION-RECEIVED sa=" + from.Address + " persistent=" + theirs.Id + " freq=2437");
                        from.Event("P2P-INVITATION-RESULT status=1 ");
                        return;
                    }

                    peer.Event("P2P-INVITATION-ACCEPTED sa=" + from.Address + " persistent=" + theirs.Id + " freq=2437");
                    from.Event("P2P-INVITATION-RESULT status=0 " + net.GoAddress);
                    var (go, client) = net.GoAddress == from.Address ? (from, peer) : (peer, from);
                    AddClient(StartGroup(go, net.Ssid, persistent: true, negotiated: false), client, negotiated: false);
                });
                return true;
            }
        }

        /// <summary>P2P_GROUP_REMOVE: a GO ends the group for everyone; a client leaves it.</summary>
        public bool Remove(SimulatedWpaSupplicant d)
        {
            lock (_gate)
            {
                var g = d.Group;
                if (g == null)
                {
                    return false;
                }

                if (g.Owner == d)
                {
                    foreach (var (client, port) in g.Clients)
                    {
                        Ip(d.Namespace, "link", "del", port);
                        client.Group = null;
                        client.Event("P2P-GROUP-REMOVED " + GroupInterface + " client reason=GO_ENDING_SESSION");
                    }

                    Ip(d.Namespace, "link", "del", GroupInterface);
                    d.Group = null;
                    d.GroupSocket(false);
                    d.Event("P2P-GROUP-REMOVED " + GroupInterface + " GO reason=REQUESTED");
                    return true;
                }

                var entry = g.Clients.First(c => c.Device == d);
                g.Clients.Remove(entry);
                Ip(g.Owner.Namespace, "link", "del", entry.Port);
                d.Group = null;
                d.Event("P2P-GROUP-REMOVED " + GroupInterface + " client reason=REQUESTED");
                g.Owner.Event("AP-STA-DISCONNECTED " + d.Address + " p2p_dev_addr=" + d.Address);
                return true;
            }
        }

        private SimulatedGroup StartGroup(SimulatedWpaSupplicant go, string ssid, bool persistent, bool negotiated)
        {
            if (go.Group is { } running && running.Owner == go)
            {
                return running;
            }

            var g = new SimulatedGroup(go, ssid, persistent);
            Ip(go.Namespace, "link", "add", GroupInterface, "type", "bridge");
            Ip(go.Namespace, "link", "set", GroupInterface, "up");
            go.Group = g;
            go.GroupSocket(true);
            if (persistent)
            {
                Store(go, ssid, go.Address, null);
            }

            if (negotiated)
            {
                go.Event("P2P-GROUP-FORMATION-SUCCESS ");
            }

            go.Event("P2P-GROUP-STARTED " + GroupInterface + " GO ssid=\"" + ssid + "\" freq=2437 passphrase=\"simulated\" go_dev_addr=" + go.Address + (persistent ? " [PERSISTENT]" : string.Empty));
            return g;
        }

        private void AddClient(SimulatedGroup g, SimulatedWpaSupplicant client, bool negotiated)
        {
            if (client.Group != null || g.Owner.Group != g)
            {
                return;
            }

            int n = ++_ports;
            string tag = "w" + (Environment.ProcessId % 10000) + "x" + n;
            if (client.Namespace != null && g.Owner.Namespace != null)
            {
                Run("link", "add", tag + "g", "type", "veth", "peer", "name", tag + "c");
                Run("link", "set", tag + "g", "netns", g.Owner.Namespace);
                Run("link", "set", tag + "c", "netns", client.Namespace);
                // A bridge port carries no addresses of its own (the radio's group interface is one interface).
                Run("netns", "exec", g.Owner.Namespace, "sysctl", "-qw", "net.ipv6.conf." + tag + "g.disable_ipv6=1");
                Ip(g.Owner.Namespace, "link", "set", tag + "g", "master", GroupInterface);
                Ip(g.Owner.Namespace, "link", "set", tag + "g", "up");
                Ip(client.Namespace, "link", "set", tag + "c", "name", GroupInterface);
                Ip(client.Namespace, "link", "set", GroupInterface, "up");
            }

            client.Group = g;
            g.Clients.Add((client, tag + "g"));
            if (g.Persistent)
            {
                Store(client, g.Ssid, g.Owner.Address, null);
                Store(g.Owner, g.Ssid, g.Owner.Address, client.Address);
            }

            string ip = "192.168.42." + (10 + n);
            if (negotiated)
            {
                client.Event("P2P-GROUP-FORMATION-SUCCESS ");
            }

            client.Event("P2P-GROUP-STARTED " + GroupInterface + " client ssid=\"" + g.Ssid + "\" freq=2437 psk=" + new string('5', 64) + " go_dev_addr=" + g.Owner.Address
                + (g.Persistent ? " [PERSISTENT]" : string.Empty) + (AllocatesAddresses ? " ip_addr=" + ip + " ip_mask=255.255.255.0 go_ip_addr=192.168.42.1" : string.Empty));
            g.Owner.Event("AP-STA-CONNECTED " + client.Address + " p2p_dev_addr=" + client.Address + (AllocatesAddresses ? " ip_addr=" + ip : string.Empty));
        }

        private static void Store(SimulatedWpaSupplicant d, string ssid, string goAddress, string? client)
        {
            lock (d.Networks)
            {
                var net = d.Networks.FirstOrDefault(x => x.Ssid == ssid);
                if (net == null)
                {
                    net = new SimulatedNetwork(d.Networks.Count, ssid, goAddress);
                    d.Networks.Add(net);
                }

                if (client != null && !net.Clients.Contains(client))
                {
                    net.Clients.Add(client);
                }
            }
        }

        private SimulatedWpaSupplicant? Find(string address) => _devices.FirstOrDefault(d => d.Address == address);

        private void Later(TimeSpan delay, Action action) => Task.Delay(delay).ContinueWith(
            _ =>
            {
                lock (_gate)
                {
                    action();
                }
            },
            TaskScheduler.Default);

        // Inside a device's namespace; a device without one has no interfaces.
        private static void Ip(string? ns, params string[] args)
        {
            if (ns != null)
            {
                Run(new[] { "-n", ns }.Concat(args).ToArray());
            }
        }

        private static void Run(params string[] args)
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
