using AetherEdge.HostNode.Diagnostics;
using System.Globalization;
using Prometheus;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// The mesh's figures on the hub's registry: per transport (links up, bytes and packets each way, drops),
    /// the router (relayed packets, deliveries, retransmissions, failures), the relay (tunnels relayed, relay
    /// budget in use and its limit, bytes relayed, refusals), the devices known per hop count, and what
    /// became of knowledge records and membership statements. The mesh parts count with lock-free fields
    /// (the router is a core state machine without a metrics library); this publishes them when scraped.
    /// </summary>
    public sealed class MeshMetrics : IMetricsSource
    {
        private readonly MeshLinks _links;
        private readonly MeshRouterService _router;
        private readonly MeshTunnels _tunnels;
        private readonly MeshKnowledge _knowledge;
        private readonly MeshMembership _membership;
        private readonly MeshReachability _reach;

        private readonly Gauge _transportPeers;
        private readonly Counter _bytesSent, _bytesReceived, _packetsSent, _packetsReceived, _packetsDropped, _packetsRelayed, _transportReplays;
        private readonly Counter _relayed, _transmissions, _delivered, _duplicates, _replays, _retransmissions, _failed, _overflows;
        private readonly Gauge _relayTunnels, _relayBuffer, _relayLimit, _knownDevices;
        private readonly Counter _relayedBytes, _relayRefused, _tunnelsOpened, _farSkipped, _knowledgeRecords, _membershipStatements;

        public MeshMetrics(CollectorRegistry registry, MeshLinks links, MeshRouterService router, MeshTunnels tunnels, MeshKnowledge knowledge, MeshMembership membership, MeshReachability reach)
        {
            _links = links;
            _router = router;
            _tunnels = tunnels;
            _knowledge = knowledge;
            _membership = membership;
            _reach = reach;

            var m = Metrics.WithCustomRegistry(registry);
            var transport = new[] { "transport" };
            _transportPeers = m.CreateGauge("mesh_transport_peers", "Mesh links up now, by transport (lan, wifi-direct, ble).", transport);
            _bytesSent = m.CreateCounter("mesh_transport_bytes_sent_total", "Routed packet bytes sent, by transport.", transport);
            _bytesReceived = m.CreateCounter("mesh_transport_bytes_received_total", "Routed packet bytes received, by transport.", transport);
            _packetsSent = m.CreateCounter("mesh_transport_packets_sent_total", "Routed packets sent, by transport.", transport);
            _packetsReceived = m.CreateCounter("mesh_transport_packets_received_total", "Routed packets received, by transport.", transport);
            _packetsRelayed = m.CreateCounter("mesh_transport_relayed_packets_total", "Packets of other nodes this hub passed on, by the transport they left on.", transport);
            _transportReplays = m.CreateCounter("mesh_transport_replays_refused_total", "Sealed frames refused as replays (stale or nonce seen), by the transport they reached this hub on.", transport);
            _packetsDropped = m.CreateCounter("mesh_transport_packets_dropped_total", "Received packets dropped because the router's queue for the link was full, by transport.", transport);

            _relayed = m.CreateCounter("mesh_router_relayed_packets_total", "Packets this node relayed for others.");
            _transmissions = m.CreateCounter("mesh_router_transmissions_total", "Packets handed to links (originated, relayed, acks).");
            _delivered = m.CreateCounter("mesh_router_delivered_total", "Packets delivered to this node's mesh applications.");
            _duplicates = m.CreateCounter("mesh_router_duplicates_total", "Copies dropped as already seen.");
            _replays = m.CreateCounter("mesh_router_replays_total", "Copies dropped as older than the replay window.");
            _retransmissions = m.CreateCounter("mesh_router_retransmissions_total", "Reliable packets sent again.");
            _failed = m.CreateCounter("mesh_router_delivery_failed_total", "Reliable packets never acknowledged.");
            _overflows = m.CreateCounter("mesh_router_queue_overflows_total", "Packets dropped because the transmit queue was full.");

            _relayTunnels = m.CreateGauge("mesh_relay_tunnels", "Tunnels this hub relays now between other hubs.");
            _relayBuffer = m.CreateGauge("mesh_relay_buffer_bytes", "Relay buffer in use (windows and pipes of the tunnels relayed).");
            _relayLimit = m.CreateGauge("mesh_relay_buffer_limit_bytes", "Relay buffer limit (--relay-buffer).");
            _relayedBytes = m.CreateCounter("mesh_relayed_bytes_total", "Bytes relayed through this hub for others.");
            _relayRefused = m.CreateCounter("mesh_relay_refused_total", "Tunnel requests refused (no route, no hops left, budget spent, untrusted).");
            _tunnelsOpened = m.CreateCounter("mesh_tunnels_opened_total", "Tunnels this hub opened to sync with far hubs.");
            _farSkipped = m.CreateCounter("mesh_far_peers_skipped_total", "Far peers left out of a sync round, by reason (ble_only: behind a BLE link, shards pushed instead; backing_off: the last tunnel there was refused).", "reason");

            _knownDevices = m.CreateGauge("mesh_known_devices", "Devices heard through the mesh (signed records), by links away.", "hops");
            _knowledgeRecords = m.CreateCounter("mesh_knowledge_records_total", "Knowledge records received, by outcome.", "result");
            _membershipStatements = m.CreateCounter("mesh_membership_statements_total", "Membership statements, by outcome (signed = made here).", "result");
            registry.AddBeforeCollectCallback(Publish);
        }

        /// <summary>Copies the mesh parts' counts into the collectors (runs before every scrape).</summary>
        public void Publish()
        {
            foreach (var t in _links.Transports())
            {
                _transportPeers.WithLabels(t.Kind).Set(t.Links);
                _bytesSent.WithLabels(t.Kind).IncTo(t.BytesOut);
                _bytesReceived.WithLabels(t.Kind).IncTo(t.BytesIn);
                _packetsSent.WithLabels(t.Kind).IncTo(t.PacketsOut);
                _packetsReceived.WithLabels(t.Kind).IncTo(t.PacketsIn);
                _packetsDropped.WithLabels(t.Kind).IncTo(t.DroppedIn);
                _packetsRelayed.WithLabels(t.Kind).IncTo(t.RelayedOut);
                _transportReplays.WithLabels(t.Kind).IncTo(t.ReplaysRefused);
            }

            var r = _router.Snapshot;
            _relayed.IncTo(r.RelaysQueued);
            _transmissions.IncTo(r.Transmissions);
            _delivered.IncTo(r.Delivered);
            _duplicates.IncTo(r.Duplicates);
            _replays.IncTo(r.Replays);
            _retransmissions.IncTo(r.Retransmissions);
            _failed.IncTo(r.Failed);
            _overflows.IncTo(r.QueueOverflows);

            _relayTunnels.Set(_tunnels.Relaying);
            _relayBuffer.Set(_tunnels.RelayBytesInUse);
            _relayLimit.Set(_tunnels.Options.RelayBytes);
            _relayedBytes.IncTo(_tunnels.RelayedBytes);
            _relayRefused.IncTo(_tunnels.Refused);
            foreach (var skipped in _tunnels.Skipped())
            {
                _farSkipped.WithLabels(skipped.Key).IncTo(skipped.Value);
            }

            _tunnelsOpened.IncTo(_tunnels.Opened);

            // Hop counts come and go: a count nobody is at any more is removed, not left at its last value.
            var byHops = _reach.Snapshot(_tunnels.Options.ReachableFor).GroupBy(x => x.Hops).ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => g.Count(), StringComparer.Ordinal);
            foreach (var labels in _knownDevices.GetAllLabelValues().ToList())
            {
                if (!byHops.ContainsKey(labels[0]))
                {
                    _knownDevices.RemoveLabelled(labels);
                }
            }

            foreach (var kv in byHops)
            {
                _knownDevices.WithLabels(kv.Key).Set(kv.Value);
            }

            _knowledgeRecords.WithLabels("accepted").IncTo(_knowledge.Accepted);
            _knowledgeRecords.WithLabels("untrusted").IncTo(_knowledge.Untrusted);
            _knowledgeRecords.WithLabels("stale").IncTo(_knowledge.Stale);
            _knowledgeRecords.WithLabels("invalid").IncTo(_knowledge.Invalid);
            _membershipStatements.WithLabels("signed").IncTo(_membership.Signed);
            _membershipStatements.WithLabels("applied").IncTo(_membership.Applied);
            _membershipStatements.WithLabels("stale").IncTo(_membership.StaleCount);
            _membershipStatements.WithLabels("pending").IncTo(_membership.PendingCount);
            _membershipStatements.WithLabels("refused").IncTo(_membership.RefusedCount);
            _membershipStatements.WithLabels("invalid").IncTo(_membership.Invalid);
        }
    }
}
