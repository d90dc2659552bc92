using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// mDNS for the hub: advertises <c>_aetherlight._tcp</c> with the sync port and the device ID in
    /// TXT <c>fp</c>, browses for other nodes, and hands resolved peers (ID pinned from <c>fp</c>)
    /// to the sync service, which dials them when they are in the trust circle.
    /// </summary>
    public sealed class DiscoveryHostedService : IHostedService, IAsyncDisposable
    {
        private readonly HubRuntime _hub;
        private readonly SyncHostedService _sync;
        private readonly ILogger<DiscoveryHostedService> _log;
        private MdnsService? _service;

        public DiscoveryHostedService(HubRuntime hub, SyncHostedService sync, ILogger<DiscoveryHostedService> log)
        {
            _hub = hub;
            _sync = sync;
            _log = log;
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!_hub.Settings.Mdns)
            {
                return Task.CompletedTask;
            }

            var id = _hub.Identity.DeviceId;
            string instance = new string(_hub.Settings.Name.Where(c => !char.IsControl(c)).Take(40).ToArray()).Trim();
            if (instance.Length == 0)
            {
                instance = "aether-" + id.Short.ToLowerInvariant();
            }

            var txt = AetherTxt.Build(id.Text, Core.Allocation.StorageAllocation.KindName(_hub.Settings.Kind), _hub.Settings.AllocationBytes,
                new[] { new KeyValuePair<string, string?>(AetherTxt.Fingerprint, id.Text) });
            var ad = new MdnsAdvertisement(instance, "aether-" + id.Short.ToLowerInvariant(), _hub.Settings.Port, txt);
            try
            {
                _service = MdnsService.Start(new MdnsServiceOptions { InterfaceAddress = _hub.Settings.Interface, Advertise = ad, Browse = true });
            }
            catch (Exception e) when (e is ArgumentException or SocketException)
            {
                _log.LogWarning("mDNS disabled: {Error} (static peers still work)", e.Message);
                return Task.CompletedTask;
            }

            _service.PeerResolved += OnResolved;
            _service.PeerLost += OnLost;
            _service.NameClaimed += (name, link) => _log.LogInformation("advertising '{Name}' on {Link}", name, link);
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_service != null)
            {
                await _service.DisposeAsync();
                _service = null;
            }
        }

        public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

        private void OnResolved(PeerInfo peer, bool isNew)
        {
            if (!peer.Txt.TryGetValue(AetherTxt.Fingerprint, out string? fp) || !DeviceId.TryParse(fp, out var id, out _) || id == _hub.Identity.DeviceId)
            {
                return;
            }

            var address = peer.Addresses.Select(a => IPAddress.TryParse(a, out var ip) ? ip : null)
                .Where(ip => ip != null)
                .OrderBy(ip => ip!.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
                .FirstOrDefault();
            if (address == null || peer.Port <= 0)
            {
                return;
            }

            _hub.Peers.Upsert(new IPEndPoint(address, peer.Port), id, "mdns");
            if (isNew)
            {
                _hub.CountDiscovered();
                _log.LogInformation("discovered {Instance} ({Id}) at {Address}:{Port}{Trust}", peer.Instance, id, address, peer.Port, _hub.Circle.Contains(id) ? string.Empty : " (not trusted)");
                _sync.Trigger();
            }
        }

        private void OnLost(PeerInfo peer)
        {
            foreach (string a in peer.Addresses)
            {
                if (IPAddress.TryParse(a, out var ip))
                {
                    _hub.Peers.Remove(new IPEndPoint(ip, peer.Port));
                }
            }
        }
    }
}
