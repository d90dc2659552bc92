using System.Net;
using System.Net.Sockets;
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
    /// feeds them to the hub's peer directory (source "mdns") and asks for a sync round. An advert is
    /// only a suggestion: the round dials it, and only a trusted device gets past the TLS handshake.
    /// Goodbyes are sent on shutdown.
    /// </summary>
    public sealed class HubDiscoveryService : BackgroundService
    {
        private readonly HubSettings _settings;
        private readonly LocalDevice _self;
        private readonly PeerDirectory _directory;
        private readonly SyncTrigger _trigger;
        private readonly DiscoveryMetrics _metrics;
        private readonly ILogger<HubDiscoveryService> _log;

        public HubDiscoveryService(HubSettings settings, LocalDevice self, PeerDirectory directory, SyncTrigger trigger, DiscoveryMetrics metrics, ILogger<HubDiscoveryService> log)
        {
            _metrics = metrics;
            _settings = settings;
            _self = self;
            _directory = directory;
            _trigger = trigger;
            _log = log;
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
            });
            service.NameClaimed += (name, link) => _log.LogInformation("mDNS: advertising '{Name}' on {Link}", name, link);
            service.NameConflict += (kind, old, renamed) =>
                _log.LogWarning("mDNS: {What} '{Old}' is taken on the network, renamed to '{New}'", MdnsService.ConflictKind(kind), old, renamed);
            service.LinkChanged += (link, what) => _log.LogInformation("mDNS: link {Link}: {What}; probing and announcing again", link, what);
            service.PeerResolved += (peer, isNew) => OnPeer(peer, own);
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

        private void OnPeer(PeerInfo peer, DeviceId own)
        {
            peer.Txt.TryGetValue(AetherTxt.Fingerprint, out string? fp);
            DeviceId? id = DeviceId.TryParse(fp, out var parsed, out _) ? parsed : null;
            if (id == own)
            {
                return;
            }

            bool added = false;
            foreach (var ep in Endpoints(peer))
            {
                added = true;
                _directory.Upsert(ep, id, "mdns");
            }

            if (added)
            {
                _log.LogInformation("mDNS: found {Instance} at {Addresses} port {Port}", peer.Instance, string.Join(", ", peer.Addresses), peer.Port);
                _trigger.Request();
            }
        }

        private static IEnumerable<IPEndPoint> Endpoints(PeerInfo peer)
        {
            foreach (var a in peer.Addresses)
            {
                if (IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork)
                {
                    yield return new IPEndPoint(ip, peer.Port);
                }
            }
        }
    }
}
