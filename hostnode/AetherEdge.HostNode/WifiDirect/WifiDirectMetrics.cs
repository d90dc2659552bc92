using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Discovery;
using Prometheus;

namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>Wi-Fi Direct figures on /metrics, published from the service's counters when scraped (names in WifiDirect/README.md).</summary>
    public sealed class WifiDirectMetrics : IMetricsSource
    {
        /// <summary>The protocol label of peers found by P2P service discovery in <c>mesh_peers_discovered_total</c>.</summary>
        public const string Protocol = "wifi-direct";

        private readonly WifiDirectService _service;
        private readonly DiscoveryMetrics _discovery;
        private readonly Counter _discovered, _untrusted, _formations, _failures, _declined, _groups, _idle, _unverified, _strangers, _refused, _malformed, _bytes;
        private readonly Gauge _active, _peers, _radioPeers;

        public WifiDirectMetrics(CollectorRegistry registry, WifiDirectService service, DiscoveryMetrics discovery)
        {
            _service = service;
            _discovery = discovery;
            _ = _discovery.Discovered(Protocol); // the series shows 0 before the first peer
            var m = Metrics.WithCustomRegistry(registry);
            _discovered = m.CreateCounter("wifi_direct_peers_discovered_total", "Radio peers whose P2P service discovery named a device in the trust circle.");
            _untrusted = m.CreateCounter("wifi_direct_untrusted_peers_total", "P2P service-discovery answers naming an AetherEdge device outside the circle (ignored).");
            _formations = m.CreateCounter("wifi_direct_formations_total", "Group formations (negotiation, join or persistent re-invite) started.");
            _failures = m.CreateCounter("wifi_direct_formation_failures_total", "Group formations that failed or timed out (retried with backoff).");
            _declined = m.CreateCounter("wifi_direct_declined_total", "Formations this device's power rules declined, by reason.", "reason");
            _groups = m.CreateCounter("wifi_direct_groups_started_total", "Groups started.");
            _idle = m.CreateCounter("wifi_direct_groups_removed_idle_total", "Groups removed after the idle time.");
            _unverified = m.CreateCounter("wifi_direct_groups_left_unverified_total", "Groups left because no trusted device proved itself there (rogue group owner; its address is avoided).");
            _strangers = m.CreateCounter("wifi_direct_strangers_joined_total", "Stations in our group that are no trusted peer we know (they get no shard).");
            _refused = m.CreateCounter("wifi_direct_requests_refused_total", "Negotiation or join requests not answered (unknown, avoided, full group, power rules).");
            _malformed = m.CreateCounter("wifi_direct_events_malformed_total", "wpa_supplicant events or service-discovery data that did not parse (skipped).");
            _bytes = m.CreateCounter("aether_link_bytes_total", "Bytes over a link type, by link and direction.", "link", "direction");
            _active = m.CreateGauge("wifi_direct_group_active", "1 while in a group, by our role.", "role");
            _peers = m.CreateGauge("wifi_direct_group_peers", "Devices in our group besides us.");
            _radioPeers = m.CreateGauge("wifi_direct_radio_peers", "Radio peers known now (bounded table).");
            registry.AddBeforeCollectCallback(Publish);
        }

        private void Publish()
        {
            var c = _service.Counters;
            _discovered.IncTo(c.TrustedPeersDiscovered);

            // The kit-wide "peers discovered per protocol" family, next to mdns and static.
            for (long gap = c.TrustedPeersDiscovered - _discovery.Discovered(Protocol); gap > 0; gap--)
            {
                _discovery.PeerDiscovered(Protocol);
            }

            _untrusted.IncTo(c.UntrustedPeers);
            _formations.IncTo(c.FormationsStarted);
            _failures.IncTo(c.FormationFailures);
            _declined.WithLabels("battery").IncTo(c.DeclinedBattery);
            _declined.WithLabels("network").IncTo(c.DeclinedNetwork);
            _groups.IncTo(c.GroupsStarted);
            _idle.IncTo(c.GroupsRemovedIdle);
            _unverified.IncTo(c.GroupsLeftUnverified);
            _strangers.IncTo(c.StrangersJoined);
            _refused.IncTo(c.RequestsRefused);
            _malformed.IncTo(c.MalformedEvents);
            _bytes.WithLabels("wifi-direct", "received").IncTo(_service.GroupBytesReceived);
            _bytes.WithLabels("wifi-direct", "sent").IncTo(_service.GroupBytesSent);
            var g = _service.Group;
            _active.WithLabels("go").Set(g?.Role == P2pRole.GroupOwner ? 1 : 0);
            _active.WithLabels("client").Set(g?.Role == P2pRole.Client ? 1 : 0);
            _peers.Set(_service.GroupPeers);
            _radioPeers.Set(_service.Peers.Count);
        }
    }
}
