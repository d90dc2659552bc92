using System.Runtime.InteropServices;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Protocol;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Discovery;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether advertise</c>: run an mDNS responder for this node until SIGINT/SIGTERM.</summary>
    public sealed class AdvertiseVerb : IVerb
    {
        public string Name => "advertise";

        public string Summary => "advertise this node on the local network (mDNS/DNS-SD) until stopped";

        public string Usage =>
            "usage: aether advertise --name NAME [--port 43216] [--interface IP] [--kind hub]\n" +
            "                        [--storage-bytes SIZE] [--node-id ID] [--host LABEL] [--txt k=v,k2=v2]\n" +
            "  Probes NAME._aetherlight._tcp.local, renames to 'NAME (2)' on conflict, prints the claimed\n" +
            "  name on stdout, answers queries and sends goodbyes on SIGINT/SIGTERM.";

        public int Run(CommandLine args, CliContext context)
        {
            string name = args.RequiredString("name");
            int port = args.Int("port", AetherTxt.DefaultSyncPort, 1, 65535);
            var iface = PeersVerb.ParseAddress(args.String("interface"), "interface");
            string kind = args.String("kind") ?? "hub";
            long storage = args.Size("storage-bytes", 0);
            string nodeId = args.String("node-id") ?? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            string host = args.String("host") ?? "aether-" + nodeId.Substring(0, Math.Min(8, nodeId.Length));
            string? extra = args.String("txt");
            args.EnsureAllUsed(0);

            if (!Enum.TryParse<DeviceKind>(kind, ignoreCase: true, out _) || int.TryParse(kind, out _))
            {
                throw new UsageException($"option --kind must be one of {string.Join(", ", Enum.GetNames<DeviceKind>()).ToLowerInvariant()}, got '{kind}'");
            }

            AdvertiseName(name, "name");
            AdvertiseName(host, "host");
            MdnsAdvertisement ad;
            try
            {
                ad = new MdnsAdvertisement(name, host, port, AetherTxt.Build(nodeId, kind.ToLowerInvariant(), storage, ParseTxt(extra)));
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
