using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// mDNS for <c>aether hub</c>: advertises <c>NAME._aetherlight._tcp.local</c> on the sync port with TXT
    /// node_id/device_type/storage_bytes/version and <c>fp</c> (the device ID), browses for other nodes and
    /// feeds them to the hub's peer directory (source "mdns"). An advert is only a suggestion:
    /// <see cref="DiscoveryGate"/> takes only on-link addresses of trusted devices that are not this hub, the
    /// directory bounds how many, and the TLS handshake proves them. Only a new address asks for a round, at
    /// most one per <see cref="MinRoundGap"/> (a flood of announcements cannot drive rounds). Refusals are
    /// logged at a bounded rate. Goodbyes are sent on shutdown.
    /// </summary>
    public sealed class HubDiscoveryService : BackgroundService
    {
        public static readonly TimeSpan MinRoundGap = TimeSpan.FromSeconds(5);

        private readonly HubSettings _settings;
        private readonly LocalDevice _self;
        private readonly PeerDirectory _directory;
        private readonly SyncTrigger _trigger;
        private readonly DiscoveryGate _gate;
        private readonly TimeProvider _clock;
        private readonly DiscoveryMetrics _metrics;
        private readonly ILogger<HubDiscoveryService> _log;
        private readonly LogBudget _budget;
        private long _lastRound = long.MinValue;
        private int _roundPending;

        public HubDiscoveryService(HubSettings settings, LocalDevice self, PeerDirectory directory, SyncTrigger trigger, DiscoveryMetrics metrics, DiscoveryGate gate, TimeProvider clock, ILogger<HubDiscoveryService> log)
        {
            _metrics = metrics;
            _settings = settings;
            _self = self;
            _directory = directory;
            _trigger = trigger;
            _gate = gate;
            _clock = clock;
            _log = log;
            _budget = new LogBudget(PeerDialer.LogLinesPerMinute, clock);
        }

        /// <summary>The advertisement for this hub (instance name clipped to one 63-byte label).</summary>
        public static MdnsAdvertisement Advertisement(HubSettings settings, DeviceId id)
        {
            var txt = AetherTxt.Build(id.Text, settings.Kind.ToString().ToLowerInvariant(), settings.AllocationBytes,
                new[] { new KeyValuePair<string, string?>(AetherTxt.Fingerprint, id.Text) });
            return new MdnsAdvertisement(AetherTxt.InstanceLabel(settings.Name), AetherTxt.HostLabel("aether-", id.Text), settings.Port, txt);
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var own = _self.Id;
            var service = new MdnsService(new MdnsServiceOptions
            {
                InterfaceAddress = _settings.Interface,
                Advertise = Advertisement(_settings, own),
                Browse = true,
                Metrics = _metrics,
                WaitForLinks = true,
            });
            service.NameClaimed += (name, link) => _log.LogInformation("mDNS: advertising '{Name}' on {Link}", name, link);
            service.NameConflict += (kind, old, renamed) =>
                _log.LogWarning("mDNS: {What} '{Old}' is taken on the network, renamed to '{New}'", MdnsService.ConflictKind(kind), old, renamed);
            service.LinkChanged += (link, what) => _log.LogInformation("mDNS: link {Link}: {What}; probing and announcing again", link, what);
            service.PeerResolved += (peer, isNew) => OnPeer(peer, service);
            service.PeerLost += peer =>
            {
                _log.LogInformation("mDNS: {Instance} left (goodbye or expired)", peer.Instance);
                foreach (var ep in Endpoints(peer))
                {
                    _directory.Remove(ep);
                }
            };
            try
            {
                service.Start();
                if (service.Interfaces.Count == 0)
                {
                    _log.LogInformation("mDNS waiting: no up, multicast-capable interface yet; it starts on each one that comes up");
                }
            }
            catch (Exception e) when (e is ArgumentException or SocketException)
            {
                _log.LogError("mDNS disabled: {Reason}", e.Message);
                return;
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Shutdown: fall through to the goodbyes.
            }
            finally
            {
                await service.DisposeAsync().ConfigureAwait(false);
            }
        }

        private void OnPeer(PeerInfo peer, MdnsService service)
        {
            peer.Txt.TryGetValue(AetherTxt.Fingerprint, out string? fp);
            string? why = _gate.CheckDevice(fp, out var id);
            if (why == DiscoveryGate.Self)
            {
                return;
            }

            if (why != null)
            {
                Refused(peer, why);
                return;
            }

            var link = service.Interfaces.FirstOrDefault(l => l.Name == peer.Interface);
            bool added = false, onLink = false;
            foreach (var ep in Endpoints(peer))
            {
                // IPv4 first; an IPv6 link-local address only when no IPv4 one is on this link (a Wi-Fi Direct
                // client whose group owner handed out no address), so LAN peers keep one address each.
                if (onLink && ep.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    break;
                }

                why = _gate.CheckAddress(ep.Address, ep.Port, link);
                if (why != null)
                {
                    Refused(peer, why + " " + ep);
                    continue;
                }

                onLink = true;

                var result = _directory.Suggest(ep, id, "mdns");
                if (result == SuggestResult.Full)
                {
                    Refused(peer, _gate.Count(DiscoveryGate.TableFull) + " " + ep);
                }

                added |= result is SuggestResult.Added or SuggestResult.Replaced;
            }

            if (added)
            {
                if (_budget.TryTake("found", out long withheld))
                {
                    _log.LogInformation("mDNS: found {Instance} ({Device}) at {Addresses} port {Port}{Withheld}", peer.Instance, id.Short, string.Join(", ", peer.Addresses), peer.Port, LogBudget.Withheld(withheld));
                }

                AskForRound();
            }
        }

        private void Refused(PeerInfo peer, string why)
        {
            if (_budget.TryTake("refused", out long withheld))
            {
                _log.LogInformation("mDNS: not dialling {Instance} at {Addresses} port {Port}: {Reason}{Withheld}",
                    peer.Instance, string.Join(", ", peer.Addresses), peer.Port, why, LogBudget.Withheld(withheld));
            }
        }

        /// <summary>A round now, or one round once <see cref="MinRoundGap"/> has passed since the last one asked for.</summary>
        private void AskForRound()
        {
            long now = _clock.GetTimestamp();
            long gap = (long)(MinRoundGap.TotalSeconds * _clock.TimestampFrequency);
            long last = Interlocked.Read(ref _lastRound);
            if (last == long.MinValue || now - last >= gap)
            {
                Interlocked.Exchange(ref _lastRound, now);
                _trigger.Request();
                return;
            }

            if (Interlocked.Exchange(ref _roundPending, 1) == 0)
            {
                var wait = TimeSpan.FromSeconds((double)(last + gap - now) / _clock.TimestampFrequency);
                _ = Task.Delay(wait, _clock).ContinueWith(
                    _ =>
                    {
                        Interlocked.Exchange(ref _lastRound, _clock.GetTimestamp());
                        Interlocked.Exchange(ref _roundPending, 0);
                        try
                        {
                            _trigger.Request();
                        }
                        catch (ObjectDisposedException)
                        {
                            // The hub stopped meanwhile.
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }

        /// <summary>The peer's IPv4 addresses, then its IPv6 link-local ones (scoped to the arrival interface).</summary>
        private static IEnumerable<IPEndPoint> Endpoints(PeerInfo peer)
        {
            var v6 = new List<IPEndPoint>();
            foreach (var a in peer.Addresses)
            {
                if (!IPAddress.TryParse(a, out var ip))
                {
                    continue;
                }

                if (ip.AddressFamily == AddressFamily.InterNetwork)
                {
                    yield return new IPEndPoint(ip, peer.Port);
                }
                else if (ip.IsIPv6LinkLocal && ip.ScopeId != 0)
                {
                    v6.Add(new IPEndPoint(ip, peer.Port));
                }
            }

            foreach (var ep in v6)
            {
                yield return ep;
            }
        }
    }
}
