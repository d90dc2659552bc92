using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Makaretu.Dns;

namespace AetherEdge.MakaretuPeer
{
    /// <summary>
    /// A DNS-SD browser or responder built only on Makaretu.Dns.Multicast, so the interop tests meet a third mDNS
    /// implementation besides avahi and python-zeroconf. One line per event on stdout, like the python helpers.
    /// <code>
    /// browse SECONDS SERVICE [EXPECT_INSTANCE]
    ///   "Started", then "Found &lt;instance&gt; port=&lt;p&gt; host=&lt;h&gt; addrs=&lt;a,b&gt; txt=&lt;k=v;...&gt;" once an
    ///   instance's SRV, TXT and address are known, "Removed &lt;instance&gt;" on a goodbye. With EXPECT_INSTANCE it
    ///   exits 0 once that instance is found (1 on timeout).
    /// register SECONDS INSTANCE SERVICE PORT ADDRESS [KEY=VALUE ...]
    ///   answers for the instance until SECONDS pass, prints "Registered &lt;instance&gt;", then says goodbye.
    /// </code>
    /// Bad arguments exit 2. With MAKARETU_TRACE set, interfaces, messages and Makaretu's own log go to stderr.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            try
            {
                if (args.Length >= 2 && args[0] == "browse")
                {
                    return Browse(Seconds(args[1]), args.Length > 2 ? args[2] : "_aetherlight._tcp", args.Length > 3 ? args[3] : null);
                }

                if (args.Length >= 6 && args[0] == "register")
                {
                    return Register(Seconds(args[1]), args[2], args[3], ushort.Parse(args[4], CultureInfo.InvariantCulture), IPAddress.Parse(args[5]), args.Skip(6).ToArray());
                }
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine("bad argument: " + e.Message);
                return 2;
            }

            Console.Error.WriteLine("usage: browse SECONDS [SERVICE [EXPECT]] | register SECONDS INSTANCE SERVICE PORT ADDRESS [K=V ...]");
            return 2;
        }

        private static TimeSpan Seconds(string text) =>
            TimeSpan.FromSeconds(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));

        private static int Browse(TimeSpan duration, string serviceText, string? expect)
        {
            var service = new DomainName(serviceText + ".local");
            var found = new Browser(service);
            using var mdns = new MulticastService { UseIpv6 = false };
            using var sd = new ServiceDiscovery(mdns);
            sd.ServiceInstanceDiscovered += (_, e) =>
            {
                if (found.Add(e.ServiceInstanceName))
                {
                    mdns.SendQuery(e.ServiceInstanceName, DnsClass.IN, DnsType.SRV);
                    mdns.SendQuery(e.ServiceInstanceName, DnsClass.IN, DnsType.TXT);
                }
            };
            sd.ServiceInstanceShutdown += (_, e) => Console.WriteLine("Removed " + e.ServiceInstanceName.Labels[0]);
            mdns.AnswerReceived += (_, e) => found.Learn(e.Message.Answers.Concat(e.Message.AdditionalRecords));
            Trace(mdns);
            mdns.Start();
            Console.WriteLine("Started");

            var deadline = DateTime.UtcNow + duration;
            var nextQuery = DateTime.MinValue;
            while (DateTime.UtcNow < deadline)
            {
                if (DateTime.UtcNow >= nextQuery)
                {
                    sd.QueryServiceInstances(service);
                    foreach (var host in found.HostsWithoutAddress())
                    {
                        mdns.SendQuery(host, DnsClass.IN, DnsType.A);
                    }

                    nextQuery = DateTime.UtcNow.AddSeconds(1);
                }

                foreach (string line in found.NewlyResolved())
                {
                    Console.WriteLine(line);
                }

                if (expect != null && found.IsResolved(expect))
                {
                    return 0;
                }

                Thread.Sleep(20);
            }

            return expect == null ? 0 : 1;
        }

        private static int Register(TimeSpan duration, string instance, string serviceText, ushort port, IPAddress address, string[] txt)
        {
            var profile = new ServiceProfile(instance, serviceText, port, new[] { address });
            foreach (string pair in txt)
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new FormatException("TXT entry '" + pair + "' is not KEY=VALUE");
                }

                profile.AddProperty(pair.Substring(0, eq), pair.Substring(eq + 1));
            }

            using var mdns = new MulticastService { UseIpv6 = false };
            using var sd = new ServiceDiscovery(mdns);
            sd.Advertise(profile);
            Trace(mdns);
            mdns.Start();
            sd.Announce(profile);
            Console.WriteLine("Registered " + instance + " host=" + profile.HostName);
            Thread.Sleep(duration);
            sd.Unadvertise(profile);
            return 0;
        }

        /// <summary>With MAKARETU_TRACE set, every interface found and message heard goes to stderr.</summary>
        private static void Trace(MulticastService mdns)
        {
            if (Environment.GetEnvironmentVariable("MAKARETU_TRACE") == null)
            {
                return;
            }

            var log = new Common.Logging.Simple.CapturingLoggerFactoryAdapter();
            Common.Logging.LogManager.Adapter = log;
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var e in log.LoggerEvents.ToArray())
                {
                    Console.Error.WriteLine("log " + e.Level + " " + e.Source.Name + ": " + e.RenderedMessage + " " + e.Exception?.GetType().Name + " " + e.Exception?.Message);
                }
            };
            mdns.NetworkInterfaceDiscovered += (_, e) =>
                Console.Error.WriteLine("nics: " + string.Join(",", e.NetworkInterfaces.Select(n => n.Name)));
            mdns.QueryReceived += (_, e) => Console.Error.WriteLine("query from " + e.RemoteEndPoint + ": " + e.Message.Questions.FirstOrDefault());
            mdns.AnswerReceived += (_, e) => Console.Error.WriteLine("answer from " + e.RemoteEndPoint + ": " + string.Join(" | ", e.Message.Answers));
            mdns.MalformedMessage += (_, bytes) => Console.Error.WriteLine("malformed: " + bytes.Length + " bytes");
        }

        /// <summary>What the browser has heard, joined by name: instance → SRV/TXT, host → addresses.</summary>
        private sealed class Browser
        {
            private readonly object _gate = new();
            private readonly DomainName _service;
            private readonly Dictionary<DomainName, SRVRecord?> _srv = new();
            private readonly Dictionary<DomainName, TXTRecord> _txt = new();
            private readonly Dictionary<DomainName, SortedSet<string>> _addresses = new();
            private readonly HashSet<string> _printed = new(StringComparer.Ordinal);

            public Browser(DomainName service)
            {
                _service = service;
            }

            public bool Add(DomainName instance)
            {
                lock (_gate)
                {
                    return _srv.TryAdd(instance, null);
                }
            }

            public void Learn(IEnumerable<ResourceRecord> records)
            {
                lock (_gate)
                {
                    foreach (var record in records)
                    {
                        switch (record)
                        {
                            case PTRRecord ptr when ptr.Name == _service:
                                _srv.TryAdd(ptr.DomainName, null);
                                break;
                            case SRVRecord srv:
                                _srv[srv.Name] = srv;
                                break;
                            case TXTRecord txt:
                                _txt[txt.Name] = txt;
                                break;
                            case AddressRecord a when a.Address.AddressFamily == AddressFamily.InterNetwork:
                                if (!_addresses.TryGetValue(a.Name, out var set))
                                {
                                    _addresses[a.Name] = set = new SortedSet<string>(StringComparer.Ordinal);
                                }

                                set.Add(a.Address.ToString());
                                break;
                        }
                    }
                }
            }

            public DomainName[] HostsWithoutAddress()
            {
                lock (_gate)
                {
                    return _srv.Values
                        .Where(s => s != null && !_addresses.ContainsKey(s.Target))
                        .Select(s => s!.Target)
                        .ToArray();
                }
            }

            public bool IsResolved(string instance)
            {
                lock (_gate)
                {
                    return _printed.Contains(instance);
                }
            }

            public List<string> NewlyResolved()
            {
                var lines = new List<string>();
                lock (_gate)
                {
                    foreach (var (name, srv) in _srv)
                    {
                        string label = name.Labels[0];
                        if (srv == null || _printed.Contains(label) || !_txt.TryGetValue(name, out var txt)
                            || !_addresses.TryGetValue(srv.Target, out var addresses))
                        {
                            continue;
                        }

                        _printed.Add(label);
                        string pairs = string.Join(";", txt.Strings.OrderBy(s => s, StringComparer.Ordinal));
                        lines.Add($"Found {label} port={srv.Port} host={srv.Target} addrs={string.Join(",", addresses)} txt={pairs}");
                    }
                }

                return lines;
            }
        }
    }
}
