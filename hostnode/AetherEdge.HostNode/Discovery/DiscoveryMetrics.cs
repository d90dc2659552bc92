using System.Collections.Concurrent;

namespace AetherEdge.HostNode.Discovery
{
    /// <summary>
    /// Discovery counters for the hub's Prometheus endpoint. Peer counters are labelled by protocol
    /// ("mdns" here; Wi-Fi Direct and BLE add their own labels).
    /// </summary>
    public sealed class DiscoveryMetrics
    {
        public const string ProtocolMdns = "mdns";

        private readonly ConcurrentDictionary<string, Counter> _discovered = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Counter> _lost = new(StringComparer.Ordinal);
        private long _packetsReceived;
        private long _packetsMalformed;
        private long _nameConflicts;
        private long _linkChanges;
        private long _packetsOffLink;
        private long _unicastRepliesDropped;

        /// <summary>The process-wide instance the services report to.</summary>
        public static DiscoveryMetrics Shared { get; } = new();

        public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

        public long PacketsMalformed => Interlocked.Read(ref _packetsMalformed);

        public long NameConflicts => Interlocked.Read(ref _nameConflicts);

        public void PeerDiscovered(string protocol) => _discovered.GetOrAdd(protocol, _ => new Counter()).Increment();

        public void PeerLost(string protocol) => _lost.GetOrAdd(protocol, _ => new Counter()).Increment();

        public long Discovered(string protocol) => _discovered.TryGetValue(protocol, out var c) ? c.Value : 0;

        public long Lost(string protocol) => _lost.TryGetValue(protocol, out var c) ? c.Value : 0;

        public void PacketReceived() => Interlocked.Increment(ref _packetsReceived);

        public void PacketMalformed() => Interlocked.Increment(ref _packetsMalformed);

        public void NameConflict() => Interlocked.Increment(ref _nameConflicts);

        public long LinkChanges => Interlocked.Read(ref _linkChanges);

        public long PacketsOffLink => Interlocked.Read(ref _packetsOffLink);

        public void PacketOffLink() => Interlocked.Increment(ref _packetsOffLink);

        public void LinkChange() => Interlocked.Increment(ref _linkChanges);

        /// <summary>Unicast (legacy or QU) replies the responders withheld because a source exceeded its budget.</summary>
        public long UnicastRepliesDropped => Interlocked.Read(ref _unicastRepliesDropped);

        public void UnicastRepliesDroppedBy(long count) => Interlocked.Add(ref _unicastRepliesDropped, count);

        /// <summary>One-line help per metric name of <see cref="Snapshot"/>.</summary>
        public static string Help(string name) => name switch
        {
            "aether_discovery_peers_discovered_total" => "Peers discovered (new service instances resolved), by protocol.",
            "aether_discovery_peers_lost_total" => "Peers lost (goodbye, expiry, POOF or link change), by protocol.",
            "aether_mdns_packets_received_total" => "mDNS packets received on all interfaces.",
            "aether_mdns_packets_malformed_total" => "mDNS packets dropped because they did not parse.",
            "aether_mdns_name_conflicts_total" => "Names lost to another host, leading to a rename.",
            "aether_mdns_link_changes_total" => "Interface changes after which names were probed and announced again.",
            "aether_mdns_packets_off_link_total" => "Unicast mDNS packets dropped because the source is not on the receiving link.",
            "aether_mdns_unicast_replies_dropped_total" => "Unicast (legacy or QU) mDNS replies withheld because the querier's address, or all queriers together, exceeded the reply budget.",
            _ => name,
        };

        /// <summary>Every counter as (metric name, protocol label or null, value), for an exporter.</summary>
        public IReadOnlyList<(string Name, string? Protocol, long Value)> Snapshot()
        {
            var list = new List<(string, string?, long)>();
            foreach (var kv in _discovered)
            {
                list.Add(("aether_discovery_peers_discovered_total", kv.Key, kv.Value.Value));
            }

            foreach (var kv in _lost)
            {
                list.Add(("aether_discovery_peers_lost_total", kv.Key, kv.Value.Value));
            }

            list.Add(("aether_mdns_packets_received_total", null, PacketsReceived));
            list.Add(("aether_mdns_packets_malformed_total", null, PacketsMalformed));
            list.Add(("aether_mdns_name_conflicts_total", null, NameConflicts));
            list.Add(("aether_mdns_link_changes_total", null, LinkChanges));
            list.Add(("aether_mdns_packets_off_link_total", null, PacketsOffLink));
            list.Add(("aether_mdns_unicast_replies_dropped_total", null, UnicastRepliesDropped));
            return list;
        }

        private sealed class Counter
        {
            private long _value;

            public long Value => Interlocked.Read(ref _value);

            public void Increment() => Interlocked.Increment(ref _value);
        }
    }
}
