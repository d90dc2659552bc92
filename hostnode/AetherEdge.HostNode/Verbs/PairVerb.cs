using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// <c>aether pair</c>: on one device shows a one-time 6-digit code and waits; on the other,
    /// <c>--code</c> joins it. Both end up in each other's trust circle, or neither.
    /// </summary>
    public sealed class PairVerb : Command
    {
        /// <summary>How long <c>--code</c> without <c>--peer</c> looks for the waiting device by default.</summary>
        public const int DefaultFindSeconds = 10;

        private readonly SharedOptions _shared;
        private readonly Option<string?> _name = CliOptions.Text("--name", "what the other device will call this one (default: this node's name from aether init, else the host name)", "NAME");
        private readonly Option<string?> _code = CliOptions.Text("--code", "the 6-digit code shown on the other device: join it", "123456");
        private readonly Option<string?> _peer = CliOptions.Text("--peer", "with --code: dial the waiting device here instead of finding it by mDNS", "HOST:PORT");
        private readonly Option<int> _port = CliOptions.Int("--port", "without --code: the port to wait on (0: any free port)", PairingSession.DefaultPort, 0, 65535);
        private readonly Option<int?> _timeout = CliOptions.OptionalInt(
            "--timeout", "seconds to wait for the other device (default " + (int)PairingSession.DefaultLifetime.TotalSeconds +
            "), or with --code to look for it (default " + DefaultFindSeconds + ")", 1, 3600);

        private readonly Option<bool> _noMdns = CliOptions.Flag("--no-mdns", "do not advertise or browse on the LAN (the joining side then needs --peer)");

        public PairVerb(SharedOptions shared, CliContext context)
            : base("pair", "add a nearby device to the trust circle with a one-time code\n" +
                "Without --code: prints a 6-digit code, advertises itself on the LAN (mDNS _aetherpair._tcp,\n" +
                "unless --no-mdns) and waits (until paired, the timeout, or 3 wrong codes).\n" +
                "With --code: finds the waiting device on the LAN (or dials --peer) and proves the code;\n" +
                "if several devices are waiting it lists them and asks for --peer.\n" +
                "The code is proven with a password-authenticated key exchange (J-PAKE) inside mutually\n" +
                "authenticated TLS 1.3: a wrong try learns only that its one guess was wrong, and a device\n" +
                "in the middle learns nothing it can test offline. Both sides then trust each other.")
        {
            _shared = shared;
            Add(shared.Home);
            Add(_name);
            Add(_code);
            Add(_peer);
            Add(_port);
            Add(shared.Interface);
            Add(_timeout);
            Add(_noMdns);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            string? given = parse.GetValue(_name);
            string? codeText = parse.GetValue(_code);
            string? peerText = parse.GetValue(_peer);
            var iface = parse.GetValue(_shared.Interface);
            bool noMdns = parse.GetValue(_noMdns);
            if (codeText != null)
            {
                int find = parse.GetValue(_timeout) ?? DefaultFindSeconds;
                if (parse.WasGiven(_port))
                {
                    throw new UsageException("--port is where the showing side waits; with --code use --peer HOST:PORT");
                }

                if (noMdns && peerText == null)
                {
                    throw new UsageException("--no-mdns needs --peer HOST:PORT (the address shown on the other device)");
                }

                if (!PairingExchange.TryParseCode(codeText, out int code))
                {
                    throw new UsageException("--code must be the 6 digits shown on the other device, got '" + codeText + "'");
                }

                var endpoint = peerText != null ? ParseEndpoint(peerText) : null;
                var joinHome = StoreVerbSupport.OpenHome(_shared, parse, writes: true);
                endpoint ??= FindWaitingDevice(iface, TimeSpan.FromSeconds(find), context);
                return endpoint == null ? CliHost.ExitFailure : Join(joinHome.Path, NameOf(joinHome, given), endpoint, code, context);
            }

            if (peerText != null)
            {
                throw new UsageException("--peer needs --code (the code shown on that device)");
            }

            int port = parse.GetValue(_port);
            int timeout = parse.GetValue(_timeout) ?? (int)PairingSession.DefaultLifetime.TotalSeconds;
            var showHome = StoreVerbSupport.OpenHome(_shared, parse, writes: true);
            return Show(showHome.Path, NameOf(showHome, given), new IPEndPoint(iface ?? IPAddress.Any, port), TimeSpan.FromSeconds(timeout), !noMdns, context);
        }

        /// <summary>The name the other device records: --name, else the one init gave this node, else the host name.</summary>
        private static string NameOf(Home.NodeHome home, string? given) =>
            given ?? (string.IsNullOrWhiteSpace(home.Config.NodeName) ? Environment.MachineName : home.Config.NodeName);

        /// <summary>Browses for the device showing a code; prints why and returns null unless exactly one is waiting.</summary>
        private static IPEndPoint? FindWaitingDevice(IPAddress? iface, TimeSpan timeout, CliContext context)
        {
            IReadOnlyList<PeerInfo> waiting;
            try
            {
                waiting = PairingDiscovery.Find(iface, timeout, context.Cancellation);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message + "; pass --peer HOST:PORT");
            }

            if (waiting.Count == 1)
            {
                var ep = PairingDiscovery.EndpointOf(waiting[0]);
                context.Out.WriteLine("found " + waiting[0].Instance + " waiting to pair at " + ep);
                context.Out.Flush();
                return ep;
            }

            if (waiting.Count == 0)
            {
                context.Error.WriteLine("aether pair: no device waiting to pair was found on the local network within " + (int)timeout.TotalSeconds +
                    " s; run 'aether pair' on the other device first, or pass --peer HOST:PORT");
                return null;
            }

            context.Error.WriteLine("aether pair: " + waiting.Count + " devices are waiting to pair; pick one with --peer:");
            foreach (var p in waiting)
            {
                p.Txt.TryGetValue(AetherTxt.Fingerprint, out string? fp);
                context.Error.WriteLine("  " + p.Instance + " (" + (fp ?? "unknown id") + ")  --peer " + PairingDiscovery.EndpointOf(p));
            }

            return null;
        }

        private static int Show(string home, string name, IPEndPoint bind, TimeSpan lifetime, bool mdns, CliContext context)
        {
            using var identity = NodeIdentity.LoadOrCreate(home);
            var circle = new TrustCircle(home);
            var listener = new TcpListener(bind);
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                throw new IOException("cannot listen on " + bind + ": " + e.Message);
            }

            try
            {
                int code = PairingExchange.NewCode();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                context.Out.WriteLine("pairing code: " + PairingExchange.FormatCode(code));
                context.Out.WriteLine("this device:  " + identity.DeviceId + " (" + name + ")");
                context.Out.WriteLine("listening on port " + port + " for " + (int)lifetime.TotalSeconds + " s; on the other device run:");
                MdnsService? advert = null;
                if (mdns)
                {
                    try
                    {
                        advert = PairingDiscovery.Advertise(name, identity.DeviceId, port, bind.Address.Equals(IPAddress.Any) ? null : bind.Address);
                    }
                    catch (Exception e) when (e is ArgumentException or SocketException)
                    {
                        context.Error.WriteLine("aether pair: not advertising on the LAN (" + e.Message + "); the other device needs --peer");
                    }
                }

                if (advert != null)
                {
                    context.Out.WriteLine("  aether pair --code " + code.ToString("000000") + "   (same LAN: this device is found by mDNS)");
                }

                context.Out.WriteLine("  aether pair --code " + code.ToString("000000") + " --peer <this-address>:" + port + (advert != null ? "   (any network)" : string.Empty));
                context.Out.Flush();
                try
                {
                    return Wait(listener, identity, name, circle, code, lifetime, home, context);
                }
                finally
                {
                    advert?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
            finally
            {
                listener.Stop();
            }
        }

        private static int Wait(TcpListener listener, NodeIdentity identity, string name, TrustCircle circle, int code, TimeSpan lifetime, string home, CliContext context)
        {
            var result = PairingSession.ShowAsync(listener, identity, name, circle, code, lifetime, context.Cancellation, home).GetAwaiter().GetResult();
            if (result.Peer != null)
            {
                context.Out.WriteLine("paired with " + result.Peer.Id + " (" + result.Peer.Name + "); both devices now trust each other");
                ReportKey(context);
                return CliHost.ExitOk;
            }

            context.Error.WriteLine("aether pair: " + (result.Expired
                ? "code expired after " + (int)lifetime.TotalSeconds + " s without a match"
                : "code disabled after " + result.FailedAttempts + " wrong attempts") + "; nothing was trusted" +
                (result.Unfinished + result.TurnedAway > 0 ? " (" + (result.Unfinished + result.TurnedAway) + " other connections ended without a proof)" : string.Empty));
            return CliHost.ExitFailure;
        }

        private static int Join(string home, string name, IPEndPoint endpoint, int code, CliContext context)
        {
            using var identity = NodeIdentity.LoadOrCreate(home);
            var circle = new TrustCircle(home);
            PairingExchange.Outcome outcome;
            try
            {
                outcome = PairingSession.JoinAsync(endpoint, identity, name, circle, code, context.Cancellation, home).GetAwaiter().GetResult();
            }
            catch (SocketException e)
            {
                throw new IOException("cannot reach " + endpoint + ": " + e.Message);
            }
            catch (System.Security.Authentication.AuthenticationException e)
            {
                throw new IOException("TLS with " + endpoint + " failed: " + e.Message);
            }
            catch (OperationCanceledException) when (!context.Cancellation.IsCancellationRequested)
            {
                throw new IOException(endpoint + " did not finish pairing in time");
            }

            var peer = outcome.Peer;
            if (peer == null)
            {
                context.Error.WriteLine("aether pair: " + (outcome.Verdict == PairingVerdict.Closed
                    ? "that device no longer accepts its code (it paired, expired or was disabled); nothing was trusted"
                    : "the code did not match; nothing was trusted"));
                return CliHost.ExitFailure;
            }

            context.Out.WriteLine("paired with " + peer.Id + " (" + peer.Name + "); both devices now trust each other");
            ReportKey(context);
            return CliHost.ExitOk;
        }

        private static void ReportKey(CliContext context)
        {
            switch (PairingSession.KeyResult)
            {
                case UserKeyHandover.Result.Adopted:
                    context.Out.WriteLine("user key: adopted the other device's, so files put on either can be read on both");
                    break;
                case UserKeyHandover.Result.Gave:
                    context.Out.WriteLine("user key: the other device adopted this one's");
                    break;
                case UserKeyHandover.Result.KeptBothHaveData:
                    context.Out.WriteLine("user key: both devices already store files under different keys; each keeps its own (files are not readable across)");
                    break;
            }
        }

        internal static IPEndPoint ParseEndpoint(string text)
        {
            if (IPEndPoint.TryParse(text, out var ep) && ep.Port != 0)
            {
                return ep;
            }

            int colon = text.LastIndexOf(':');
            if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), out int port) && port is > 0 and <= 65535)
            {
                try
                {
                    var addresses = Dns.GetHostAddresses(text.Substring(0, colon));
                    var v4 = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
                    if (v4 != null)
                    {
                        return new IPEndPoint(v4, port);
                    }
                }
                catch (SocketException)
                {
                }
            }

            throw new UsageException("--peer must be HOST:PORT (e.g. 192.168.1.20:43218), got '" + text + "'");
        }
    }
}
