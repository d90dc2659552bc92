using System.Net;
using System.Net.Sockets;
using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.HostNode.Discovery
{
    /// <summary>What to advertise: instance label, host label, port and TXT.</summary>
    public sealed record MdnsAdvertisement(string InstanceName, string HostLabel, int Port, TxtProperties Txt);

    /// <summary>Options of <see cref="MdnsService"/>.</summary>
    public sealed class MdnsServiceOptions
    {
        /// <summary>Run on the interface holding this address only; null: every suitable interface.</summary>
        public IPAddress? InterfaceAddress { get; init; }

        public MdnsAdvertisement? Advertise { get; init; }

        public bool Browse { get; init; }

        public string ServiceType { get; init; } = AetherTxt.ServiceType;

        public bool UseIpv6 { get; init; } = true;

        /// <summary>
        /// With no <see cref="InterfaceAddress"/> and no suitable interface yet, start anyway and take links as they
        /// come up (a field kit's hub starts before its Wi-Fi Direct group exists); otherwise Start throws.
        /// </summary>
        public bool WaitForLinks { get; init; }

        public DiscoveryMetrics Metrics { get; init; } = DiscoveryMetrics.Shared;
    }

    /// <summary>
    /// The hub side of mDNS: owns the UDP 5353 sockets (one per address family, shared by every
    /// interface, demultiplexed by IP_PKTINFO), feeds packets and time to one core
    /// <see cref="MdnsInterface"/> per network interface and sends what they emit.
    /// </summary>
    public sealed partial class MdnsService : IAsyncDisposable
    {
        public static readonly IPAddress Group4 = IPAddress.Parse("224.0.0.251");
        public static readonly IPAddress Group6 = IPAddress.Parse("ff02::fb");

        private readonly object _gate = new();
        private readonly SemaphoreSlim _wake = new(0);
        private readonly CancellationTokenSource _stop = new();
        private readonly SystemClock _clock = new();
        private readonly SystemRandom _random = new();
        private readonly MdnsServiceOptions _options;
        private readonly Dictionary<int, Nic> _byIndex = new();
        private readonly List<Task> _loops = new();
        private Socket? _v4;
        private Socket? _v6;
        private bool _disposed;

        /// <summary>Creates the service; attach event handlers, then call <see cref="Start()"/>.</summary>
        public MdnsService(MdnsServiceOptions options)
        {
            _options = options;
        }

        /// <summary>A responder claimed a name on an interface: (instance label, interface name).</summary>
        public event Action<string, string>? NameClaimed;

        /// <summary>A conflict renamed the instance or the host: (which name, old, new), names as <see cref="ConflictName"/> shows them.</summary>
        public event Action<MdnsNameKind, string, string>? NameConflict;

        /// <summary>How logs word a conflict: "host name" or "service instance name".</summary>
        public static string ConflictKind(MdnsNameKind kind) => kind == MdnsNameKind.Host ? "host name" : "service instance name";

        /// <summary>A conflicting label as users see it: host labels with their ".local".</summary>
        public static string ConflictName(MdnsNameKind kind, string label) => kind == MdnsNameKind.Host ? label + ".local" : label;

        public event Action<PeerInfo, bool>? PeerResolved;

        public event Action<PeerInfo>? PeerLost;

        public IReadOnlyList<MdnsNetworkInterface> Interfaces
        {
            get
            {
                lock (_gate)
                {
                    return _byIndex.Values.Select(n => n.Link).ToList();
                }
            }
        }

        /// <summary>Creates and starts a service (handlers attached later may miss early events).</summary>
        public static MdnsService Start(MdnsServiceOptions options)
        {
            var service = new MdnsService(options);
            service.Start();
            return service;
        }

        /// <summary>Opens sockets and starts probing/browsing. Throws <see cref="ArgumentException"/> for a bad interface.</summary>
        public void Start()
        {
            try
            {
                Open();
            }
            catch
            {
                CloseSockets();
                throw;
            }
        }

        private void Open()
        {
            IReadOnlyList<MdnsNetworkInterface> links;
            try
            {
                links = MdnsNetworkInterface.Select(_options.InterfaceAddress);
            }
            catch (ArgumentException) when (_options.WaitForLinks && _options.InterfaceAddress == null)
            {
                links = Array.Empty<MdnsNetworkInterface>();
            }

            _v4 = OpenV4(links);
            if (_options.UseIpv6)
            {
                _v6 = TryOpenV6(links);
            }

            long now = _clock.MonotonicMilliseconds;
            lock (_gate)
            {
                foreach (var link in links)
                {
                    var nic = new Nic(this, link);
                    _byIndex[link.Index] = nic;
                    nic.Core.Responder?.Start(now);
                    nic.Core.Browser?.Start(now);
                }
            }

            _loops.Add(Task.Run(() => ReceiveLoop(_v4, _stop.Token)));
            if (_v6 != null)
            {
                _loops.Add(Task.Run(() => ReceiveLoop(_v6, _stop.Token)));
            }

            WatchLinks();
            _loops.Add(Task.Run(() => TimerLoop(_stop.Token)));
            if (_options.Browse)
            {
                _ = Task.Run(() => MdnsWarmUp.Run(DnsName.Parse(_options.ServiceType)));
            }
        }

        private static Socket OpenV4(IReadOnlyList<MdnsNetworkInterface> links)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            // On .NET 10 ReuseAddress sets SO_REUSEADDR and SO_REUSEPORT: coexist with avahi (§15.1).
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Any, MdnsLimits.Port));
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.IpTimeToLive, 255);
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            foreach (var link in links)
            {
                if (link.Ipv4 != null)
                {
                    s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group4, link.Ipv4));
                }
            }

            return s;
        }

        private static Socket? TryOpenV6(IReadOnlyList<MdnsNetworkInterface> links)
        {
            Socket? s = null;
            try
            {
                s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
                s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                s.DualMode = false;
                s.Bind(new IPEndPoint(IPAddress.IPv6Any, MdnsLimits.Port));
                s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
                s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
                s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, true);
                int joined = 0;
                foreach (var link in links)
                {
                    try
                    {
                        s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(Group6, link.Index));
                        joined++;
                    }
                    catch (SocketException)
                    {
                        // No IPv6 on this link (e.g. lo without MULTICAST): IPv4 still serves it.
                    }
                }

                // No link yet: keep the socket, links that come up later join on it (RefreshLinks).
                if (joined == 0 && links.Count > 0)
                {
                    s.Dispose();
                    return null;
                }

                return s;
            }
            catch (SocketException)
            {
                s?.Dispose();
                return null;
            }
        }

        private async Task ReceiveLoop(Socket socket, CancellationToken ct)
        {
            var buffer = new byte[DnsLimits.MaxMessageLength];
            EndPoint any = socket.AddressFamily == AddressFamily.InterNetwork
                ? new IPEndPoint(IPAddress.Any, 0)
                : new IPEndPoint(IPAddress.IPv6Any, 0);
            while (!ct.IsCancellationRequested)
            {
                SocketReceiveMessageFromResult r;
                try
                {
                    r = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                var source = (IPEndPoint)r.RemoteEndPoint;
                var dest = r.PacketInformation.Address;
                bool unicastDest = dest.AddressFamily == AddressFamily.InterNetwork
                    ? !dest.Equals(Group4)
                    : !dest.IsIPv6Multicast;
                _options.Metrics.PacketReceived();
                lock (_gate)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    // Interfaces come and go with link changes; the map is only touched under the gate.
                    if (!_byIndex.TryGetValue(r.PacketInformation.Interface, out var nic))
                    {
                        continue;
                    }

                    // Unicast mDNS must come from this link (§11); multicast to 224.0.0.251/ff02::fb cannot be routed here.
                    if (unicastDest && !nic.Link.IsOnLink(source.Address))
                    {
                        _options.Metrics.PacketOffLink();
                        continue;
                    }

                    long before = nic.Core.MalformedPackets;
                    long withheld = nic.Core.Responder?.UnicastRepliesDropped ?? 0;
                    var from = new MdnsSource(source, source.Address, source.Port, unicastDest, nic.Link.Holds(source.Address));
                    nic.Core.Receive(buffer, 0, r.ReceivedBytes, from, _clock.MonotonicMilliseconds);
                    if (nic.Core.MalformedPackets != before)
                    {
                        _options.Metrics.PacketMalformed();
                    }

                    withheld = (nic.Core.Responder?.UnicastRepliesDropped ?? 0) - withheld;
                    if (withheld > 0)
                    {
                        _options.Metrics.UnicastRepliesDroppedBy(withheld);
                    }
                }

                if (_wake.CurrentCount == 0)
                {
                    _wake.Release();
                }
            }
        }

        private async Task TimerLoop(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                long wake = long.MaxValue;
                long now;
                lock (_gate)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    now = _clock.MonotonicMilliseconds;
                    wake = ApplyLinkChanges(now);
                    foreach (var nic in _byIndex.Values)
                    {
                        nic.Core.Step(now);
                        wake = Math.Min(wake, nic.Core.NextWakeMs);
                    }
                }

                long delay = wake == long.MaxValue ? 1000 : Math.Clamp(wake - now, 1, 1000);
                try
                {
                    await _wake.WaitAsync(TimeSpan.FromMilliseconds(delay), ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        /// <summary>Sends goodbyes for advertised records, stops the loops and closes the sockets.</summary>
        public async ValueTask DisposeAsync()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                long now = _clock.MonotonicMilliseconds;
                foreach (var nic in _byIndex.Values)
                {
                    nic.Core.Responder?.Stop(now);
                    nic.Core.Browser?.Stop();
                }

                _disposed = true;
            }

            UnwatchLinks();
            _stop.Cancel();
            CloseSockets();
            try
            {
                await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loops end on their own once the sockets are closed; nothing is left to flush.
            }

            _stop.Dispose();
            _wake.Dispose();
        }

        private void CloseSockets()
        {
            _v4?.Dispose();
            _v6?.Dispose();
        }
    }
}
