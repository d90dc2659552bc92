using AetherEdge.HostNode.Diagnostics;
using Prometheus;

namespace AetherEdge.HostNode.Discovery
{
    /// <summary>
    /// Discovery counters, on the hub's registry when the hub made it. Peer counters are labelled by
    /// protocol ("mdns" here, "static" for configured peers; Wi-Fi Direct and BLE add their own labels).
    /// </summary>
    public sealed class DiscoveryMetrics : IMetricsSource
    {
        public const string ProtocolMdns = "mdns";
        public const string ProtocolStatic = "static";

        private readonly Counter _discovered;
        private readonly Counter _lost;
        private readonly Counter _packetsReceived;
        private readonly Counter _packetsMalformed;
        private readonly Counter _nameConflicts;
        private readonly Counter _linkChanges;
        private readonly Counter _packetsOffLink;
        private readonly Counter _unicastRepliesDropped;

        /// <summary>Counts into a private registry (verbs that run discovery without a hub).</summary>
        public DiscoveryMetrics()
            : this(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()))
        {
        }

        public DiscoveryMetrics(IMetricFactory metrics)
        {
            var byProtocol = new[] { "protocol" };
            _discovered = metrics.CreateCounter("mesh_peers_discovered_total", "Peers discovered (new service instances resolved; static = configured), by protocol.", byProtocol);
            _lost = metrics.CreateCounter("mesh_peers_lost_total", "Peers lost (goodbye, expiry, POOF or link change), by protocol.", byProtocol);
            _packetsReceived = metrics.CreateCounter("aether_mdns_packets_received_total", "mDNS packets received on all interfaces.");
            _packetsMalformed = metrics.CreateCounter("aether_mdns_packets_malformed_total", "mDNS packets dropped because they did not parse.");
            _nameConflicts = metrics.CreateCounter("aether_mdns_name_conflicts_total", "Names lost to another host, leading to a rename.");
            _linkChanges = metrics.CreateCounter("aether_mdns_link_changes_total", "Interface changes after which names were probed and announced again.");
            _packetsOffLink = metrics.CreateCounter("aether_mdns_packets_off_link_total", "Unicast mDNS packets dropped because the source is not on the receiving link.");
            _unicastRepliesDropped = metrics.CreateCounter(
                "aether_mdns_unicast_replies_dropped_total",
                "Unicast (legacy or QU) mDNS replies withheld because the querier's address, or all queriers together, exceeded the reply budget.");

            // Shown as 0 before the first one rather than missing.
            _discovered.WithLabels(ProtocolMdns);
            _discovered.WithLabels(ProtocolStatic);
            _lost.WithLabels(ProtocolMdns);
        }

        /// <summary>The process-wide instance verbs without a hub report to (a hub has its own).</summary>
        public static DiscoveryMetrics Shared { get; } = new();

        public long PacketsReceived => (long)_packetsReceived.Value;

        public long PacketsMalformed => (long)_packetsMalformed.Value;

        public long NameConflicts => (long)_nameConflicts.Value;

        public long LinkChanges => (long)_linkChanges.Value;

        public long PacketsOffLink => (long)_packetsOffLink.Value;

        /// <summary>Unicast (legacy or QU) replies the responders withheld because a source exceeded its budget.</summary>
        public long UnicastRepliesDropped => (long)_unicastRepliesDropped.Value;

        public void PeerDiscovered(string protocol) => _discovered.WithLabels(protocol).Inc();

        public void PeerLost(string protocol) => _lost.WithLabels(protocol).Inc();

        public long Discovered(string protocol) => (long)_discovered.WithLabels(protocol).Value;

        public long Lost(string protocol) => (long)_lost.WithLabels(protocol).Value;

        public void PacketReceived() => _packetsReceived.Inc();

        public void PacketMalformed() => _packetsMalformed.Inc();

        public void NameConflict() => _nameConflicts.Inc();

        public void PacketOffLink() => _packetsOffLink.Inc();

        public void LinkChange() => _linkChanges.Inc();

        public void UnicastRepliesDroppedBy(long count) => _unicastRepliesDropped.Inc(count);
    }
}
