using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.WifiDirect;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// <c>aether peers</c>: browse the LAN for AetherEdge nodes over mDNS/DNS-SD, plus the Wi-Fi Direct radio peers the
    /// hub running on this home found by P2P service discovery (interface "wifi-direct"), then list what that hub
    /// knows and a browse cannot see: BLE beacons and nodes it heard, and the kit's devices with how the hub reaches
    /// them (transport, hops, age, battery).
    /// </summary>
    public sealed class PeersVerb : Command
    {
        private static readonly TimeSpan s_hubTimeout = TimeSpan.FromSeconds(2);
        private readonly SharedOptions _shared;
        private readonly Option<double> _timeout = CliOptions.Double("--timeout", "seconds to browse", 5, 0.1, 86400, "S");
        private readonly Option<bool> _watch = CliOptions.Flag(
            "--watch", "print one JSON line per event (started, then added/updated/removed) as it happens");

        private readonly Option<string?> _waitFor = CliOptions.Text(
            "--wait-for", "stop as soon as this instance is resolved (exit 1 if it never is)", "INSTANCE");

        public PeersVerb(SharedOptions shared, CliContext context)
            : base("peers", "list AetherEdge nodes on the local network (mDNS/DNS-SD), and the Wi-Fi Direct peers the hub on\n" +
                "this home found by P2P service discovery (HOST 'wifi-direct (trusted)'; address = P2P device address),\n" +
                "then the BLE beacons and mesh devices that hub knows (transport, hops, age, battery)")
        {
            _shared = shared;
            Add(shared.Home);
            Add(_timeout);
            Add(shared.Interface);
            Add(shared.Json);
            Add(_waitFor);
            Add(_watch);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            double timeout = parse.GetValue(_timeout);
            var iface = parse.GetValue(_shared.Interface);
            bool json = parse.GetValue(_shared.Json);
            bool watch = parse.GetValue(_watch);
            string? waitFor = parse.GetValue(_waitFor);

            var found = new Dictionary<string, PeerInfo>(StringComparer.OrdinalIgnoreCase);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
            var gate = new object();
            var service = new MdnsService(new MdnsServiceOptions { InterfaceAddress = iface, Browse = true });
            service.PeerResolved += (peer, isNew) =>
            {
                lock (gate)
                {
                    found[peer.Instance + "@" + peer.Interface] = peer;
                    if (watch)
                    {
                        WriteEvent(context.Out, isNew ? "added" : "updated", peer);
                    }

                    if (waitFor != null && string.Equals(peer.Instance, waitFor, StringComparison.OrdinalIgnoreCase))
                    {
                        done.Cancel();
                    }
                }
            };
            service.PeerLost += peer =>
            {
                lock (gate)
                {
                    found.Remove(peer.Instance + "@" + peer.Interface);
                    if (watch)
                    {
                        WriteEvent(context.Out, "removed", peer);
                    }
                }
            };

            try
            {
                service.Start();
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            if (watch)
            {
                // Sockets are open and browsing has begun (events may already have been printed).
                lock (gate)
                {
                    context.Out.WriteLine("{\"event\":\"started\",\"unixMs\":" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + "}");
                    context.Out.Flush();
                }
            }

            if (json || watch)
            {
                // Compile the JSON writer while the first query is still waiting (§5.2 delay).
                using var warm = new Utf8JsonWriter(Stream.Null);
                WritePeer(warm, new PeerInfo("-", "-", Array.Empty<string>(), 0, new Dictionary<string, string?>(), null, null, "-"));
            }

            done.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(timeout));
            service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            List<PeerInfo> peers;
            lock (gate)
            {
                peers = found.Values.OrderBy(p => p.Instance, StringComparer.Ordinal).ThenBy(p => p.Interface, StringComparer.Ordinal).ToList();
            }

            if (!watch)
            {
                var radio = WifiDirectPeers.FromHub(_shared.HomePath(parse), TimeSpan.FromSeconds(2), out string why);
                peers.AddRange(radio);
                if (why.StartsWith("the hub", StringComparison.Ordinal))
                {
                    context.Error.WriteLine("aether peers: " + why);
                }

                // What only the running hub knows: BLE nodes it heard, kit devices beyond this link (hops, battery).
                string home = _shared.HomePath(parse);
                KitNodes? kit = HubKitClient.TryFetch(home, s_hubTimeout, context.Cancellation, out string? hub, out string hubWhy);
                var known = kit == null ? new List<HubKnown>() : HubKnown.From(kit);
                if (json)
                {
                    WriteJson(context.Out, peers, known);
                }
                else
                {
                    WriteTable(context.Out, peers);
                    context.Out.WriteLine();
                    if (kit != null)
                    {
                        HubKnown.WriteTable(context.Out, known, hub!);
                    }
                    else
                    {
                        context.Out.WriteLine("BLE beacons and devices reached over the mesh are listed by a running `aether hub` (" + hubWhy + ").");
                    }
                }
            }

            if (waitFor != null && !peers.Any(p => string.Equals(p.Instance, waitFor, StringComparison.OrdinalIgnoreCase)))
            {
                context.Error.WriteLine($"aether peers: '{waitFor}' was not found within {timeout.ToString(CultureInfo.InvariantCulture)} s");
                return CliHost.ExitFailure;
            }

            return CliHost.ExitOk;
        }

        internal static void WritePeer(Utf8JsonWriter w, PeerInfo p)
        {
            w.WriteStartObject();
            w.WriteString("instance", p.Instance);
            w.WriteString("host", p.Host);
            w.WriteStartArray("addresses");
            foreach (var a in p.Addresses)
            {
                w.WriteStringValue(a);
            }

            w.WriteEndArray();
            w.WriteNumber("port", p.Port);
            w.WriteStartObject("txt");
            foreach (var kv in p.Txt)
            {
                if (kv.Value == null)
                {
                    w.WriteNull(kv.Key);
                }
                else
                {
                    w.WriteString(kv.Key, kv.Value);
                }
            }

            w.WriteEndObject();
            if (p.DeviceKind == null)
            {
                w.WriteNull("deviceKind");
            }
            else
            {
                w.WriteString("deviceKind", p.DeviceKind);
            }

            if (p.StorageBytes is long s)
            {
                w.WriteNumber("storageBytes", s);
            }
            else
            {
                w.WriteNull("storageBytes");
            }

            w.WriteString("interface", p.Interface);
            w.WriteEndObject();
        }

        private static void WriteJson(TextWriter output, IReadOnlyList<PeerInfo> peers, IReadOnlyList<HubKnown> known)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartArray();
                foreach (var p in peers)
                {
                    WritePeer(w, p);
                }

                foreach (var k in known)
                {
                    k.Write(w);
                }

                w.WriteEndArray();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }

        private static void WriteEvent(TextWriter output, string kind, PeerInfo peer)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                w.WriteString("event", kind);
                w.WriteNumber("unixMs", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                w.WritePropertyName("peer");
                WritePeer(w, peer);
                w.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            output.Flush();
        }

        private static void WriteTable(TextWriter output, IReadOnlyList<PeerInfo> peers)
        {
            if (peers.Count == 0)
            {
                output.WriteLine("no peers found");
                return;
            }

            output.WriteLine($"{"INSTANCE",-28} {"HOST",-26} {"PORT",5} {"KIND",-8} {"STORAGE",9}  ADDRESSES");
            foreach (var p in peers)
            {
                string storage = p.StorageBytes is long s ? SizeText.Format(s) : "-";
                output.WriteLine($"{p.Instance,-28} {p.Host,-26} {p.Port,5} {p.DeviceKind ?? "-",-8} {storage,9}  {string.Join(", ", p.Addresses)}");
            }
        }
    }
}
