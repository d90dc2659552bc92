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
    public sealed class PairVerb : IVerb, IHasFlags
    {
        /// <summary>How long <c>--code</c> without <c>--peer</c> looks for the waiting device by default.</summary>
        public const int DefaultFindSeconds = 10;

        public ICollection<string> Flags { get; } = new[] { "no-mdns" };

        public string Name => "pair";

        public string Summary => "add a nearby device to the trust circle with a one-time code";

        public string Usage =>
            "usage: aether pair [--home DIR] [--name N] [--port 43218] [--interface IP] [--timeout 300] [--no-mdns]\n" +
            "       aether pair --code 123456 [--peer HOST:PORT | --interface IP --timeout 10] [--home DIR] [--name N]\n" +
            "  Without --code: prints a 6-digit code, advertises itself on the LAN (mDNS _aetherpair._tcp,\n" +
            "  unless --no-mdns) and waits (until paired, the timeout in seconds, or 3 wrong codes).\n" +
            "  With --code: finds the waiting device on the LAN (or dials --peer) and proves the code;\n" +
            "  if several devices are waiting it lists them and asks for --peer.\n" +
            "  The code is proven with a password-authenticated key exchange (J-PAKE) inside mutually\n" +
            "  authenticated TLS 1.3: a wrong try learns only that its one guess was wrong, and a device\n" +
            "  in the middle learns nothing it can test offline. Both sides then trust each other.";

        public int Run(CommandLine args, CliContext context)
        {
            string home = HomeDirectory.Resolve(args.String("home"));
            string name = args.String("name") ?? Environment.MachineName;
            string? codeText = args.String("code");
            if (codeText != null)
            {
                string? peerText = args.String("peer");
                var findOn = PeersVerb.ParseAddress(args.String("interface"), "interface");
                int find = args.Int("timeout", DefaultFindSeconds, 1, 3600);
                if (args.Flag("no-mdns") && peerText == null)
                {
                    throw new UsageException("--no-mdns needs --peer HOST:PORT (the address shown on the other device)");
                }

                args.EnsureAllUsed(0);
                if (!PairingExchange.TryParseCode(codeText, out int code))
                {
                    throw new UsageException("--code must be the 6 digits shown on the other device, got '" + codeText + "'");
                }

                var endpoint = peerText != null ? ParseEndpoint(peerText) : FindWaitingDevice(findOn, TimeSpan.FromSeconds(find), context);
                return endpoint == null ? CliHost.ExitFailure : Join(home, name, endpoint, code, context);
            }

            int port = args.Int("port", PairingSession.DefaultPort, 0, 65535);
            int timeout = args.Int("timeout", (int)PairingSession.DefaultLifetime.TotalSeconds, 1, 3600);
            string? bind = args.String("interface");
            bool mdns = !args.Flag("no-mdns");
            if (args.Has("peer"))
            {
                throw new UsageException("--peer needs --code (the code shown on that device)");
            }

            args.EnsureAllUsed(0);
            IPAddress address = IPAddress.Any;
            if (bind != null && !IPAddress.TryParse(bind, out address!))
            {
                throw new UsageException("--interface must be an IP address, got '" + bind + "'");
            }

            return Show(home, name, new IPEndPoint(address, port), TimeSpan.FromSeconds(timeout), mdns, context);
        }

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
