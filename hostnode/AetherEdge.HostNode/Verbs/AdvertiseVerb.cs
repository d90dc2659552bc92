using System.CommandLine;
using System.Runtime.InteropServices;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Protocol;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Discovery;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether advertise</c>: run an mDNS responder for this node until SIGINT/SIGTERM.</summary>
    public sealed class AdvertiseVerb : Command
    {
        private readonly SharedOptions _shared;
        private readonly Option<string?> _name = CliOptions.Text("--name", "the instance name to claim (1 to 63 bytes of UTF-8)", "NAME").AsRequired();
        private readonly Option<int> _port = CliOptions.Int("--port", "the sync port to advertise", AetherTxt.DefaultSyncPort, 1, 65535);
        private readonly Option<long> _storage = CliOptions.Size("--storage-bytes", "storage to advertise in TXT storage_bytes", 0);
        private readonly Option<string?> _nodeId = CliOptions.Text("--node-id", "TXT node_id (default: 16 random hex digits)", "ID");
        private readonly Option<string?> _host = CliOptions.Text("--host", "host label (default: aether-<first 8 of the node id>)", "LABEL");
        private readonly Option<string?> _txt = CliOptions.Text("--txt", "extra TXT entries", "k=v,k2=v2");

        public AdvertiseVerb(SharedOptions shared, CliContext context)
            : base("advertise", "advertise this node on the local network (mDNS/DNS-SD) until stopped\n" +
                "Probes NAME._aetherlight._tcp.local, renames to 'NAME (2)' on conflict, prints the claimed\n" +
                "name on stdout, answers queries and sends goodbyes on SIGINT/SIGTERM. --kind defaults to hub.")
        {
            _shared = shared;
            Add(_name);
            Add(_port);
            Add(shared.Interface);
            Add(shared.Kind);
            Add(_storage);
            Add(_nodeId);
            Add(_host);
            Add(_txt);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            string name = parse.GetValue(_name)!;
            int port = parse.GetValue(_port);
            var iface = parse.GetValue(_shared.Interface);
            string kind = StorageAllocation.KindName(parse.GetValue(_shared.Kind) ?? DeviceKind.Hub);
            long storage = parse.GetValue(_storage);
            string nodeId = parse.GetValue(_nodeId) ?? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            string host = parse.GetValue(_host) ?? "aether-" + nodeId.Substring(0, Math.Min(8, nodeId.Length));
            string? extra = parse.GetValue(_txt);

            AdvertiseName(name, "name");
            AdvertiseName(host, "host");
            MdnsAdvertisement ad;
            try
            {
                ad = new MdnsAdvertisement(name, host, port, AetherTxt.Build(nodeId, kind, storage, ParseTxt(extra)));
                ad.Txt.ToStrings();
            }
            catch (ProtocolViolationException e)
            {
                throw new UsageException(e.Message);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });
            using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });

            var service = new MdnsService(new MdnsServiceOptions { InterfaceAddress = iface, Advertise = ad });
            string? lastPrinted = null;
            service.NameClaimed += (instance, link) =>
            {
                if (instance != lastPrinted)
                {
                    lastPrinted = instance;
                    context.Out.WriteLine(instance);
                    context.Out.Flush();
                }
            };
            service.NameConflict += (kind, old, renamed) =>
            {
                context.Error.WriteLine($"aether advertise: {MdnsService.ConflictKind(kind)} conflict: '{old}' is taken, trying '{renamed}'");
                context.Error.Flush();
            };

            service.LinkChanged += (link, what) =>
            {
                context.Error.WriteLine($"aether advertise: link {link}: {what}; probing and announcing again");
                context.Error.Flush();
            };

            long startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            try
            {
                service.Start();
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            context.Error.WriteLine($"aether advertise: probing '{name}' (unixMs {startedMs})");
            context.Error.Flush();

            stop.Token.WaitHandle.WaitOne();
            service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            long withheld = DiscoveryMetrics.Shared.UnicastRepliesDropped;
            if (withheld > 0)
            {
                context.Error.WriteLine($"aether advertise: withheld {withheld} unicast replies over the per-querier budget");
                context.Error.Flush();
            }

            return CliHost.ExitOk;
        }

        private static void AdvertiseName(string label, string option)
        {
            int bytes = System.Text.Encoding.UTF8.GetByteCount(label);
            if (bytes == 0 || bytes > 63)
            {
                throw new UsageException($"option --{option} must be 1 to 63 bytes of UTF-8, got {bytes}");
            }
        }

        private static List<KeyValuePair<string, string?>> ParseTxt(string? text)
        {
            var list = new List<KeyValuePair<string, string?>>();
            if (string.IsNullOrEmpty(text))
            {
                return list;
            }

            foreach (var part in text.Split(','))
            {
                int eq = part.IndexOf('=');
                if (eq == 0 || part.Length == 0)
                {
                    throw new UsageException($"option --txt entries must be key=value or key, got '{part}'");
                }

                list.Add(eq < 0 ? new(part, null) : new(part.Substring(0, eq), part.Substring(eq + 1)));
            }

            return list;
        }
    }
}
