using System.Globalization;
using System.Text;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// The mesh's figures in Prometheus text: per transport (links up, bytes and packets each way, drops),
    /// the router (relayed packets, deliveries, retransmissions, failures), the relay (tunnels relayed, relay
    /// budget in use and its limit, bytes relayed, refusals), the devices known per hop count, and what
    /// became of knowledge records and membership statements. Each counter lives next to the code that
    /// counts it; this only reads them.
    /// </summary>
    public sealed class MeshMetrics
    {
        private readonly MeshLinks _links;
        private readonly MeshRouterService _router;
        private readonly MeshTunnels _tunnels;
        private readonly MeshKnowledge _knowledge;
        private readonly MeshMembership _membership;
        private readonly MeshReachability _reach;

        public MeshMetrics(MeshLinks links, MeshRouterService router, MeshTunnels tunnels, MeshKnowledge knowledge, MeshMembership membership, MeshReachability reach)
        {
            _links = links;
            _router = router;
            _tunnels = tunnels;
            _knowledge = knowledge;
            _membership = membership;
            _reach = reach;
        }

        public void AppendTo(StringBuilder sb)
        {
            var transports = _links.Transports();
            Family(sb, "mesh_transport_peers", "gauge", "Mesh links up now, by transport (lan, wifi-direct, ble).", transports.Select(t => (Label("transport", t.Kind), (double)t.Links)));
            Family(sb, "mesh_transport_bytes_sent_total", "counter", "Routed packet bytes sent, by transport.", transports.Select(t => (Label("transport", t.Kind), (double)t.BytesOut)));
            Family(sb, "mesh_transport_bytes_received_total", "counter", "Routed packet bytes received, by transport.", transports.Select(t => (Label("transport", t.Kind), (double)t.BytesIn)));
            Family(sb, "mesh_transport_packets_sent_total", "counter", "Routed packets sent, by transport.", transports.Select(t => (Label("transport", t.Kind), (double)t.PacketsOut)));
            Family(sb, "mesh_transport_packets_received_total", "counter", "Routed packets received, by transport.", transports.Select(t => (Label("transport", t.Kind), (double)t.PacketsIn)));
            Family(sb, "mesh_transport_packets_dropped_total", "counter", "Received packets dropped because the router's queue for the link was full, by transport.", transports.Select(t => (Label("transport", t.Kind), (double)t.DroppedIn)));

            var r = _router.Snapshot;
            One(sb, "mesh_router_relayed_packets_total", "counter", "Packets this node relayed for others.", r.RelaysQueued);
            One(sb, "mesh_router_transmissions_total", "counter", "Packets handed to links (originated, relayed, acks).", r.Transmissions);
            One(sb, "mesh_router_delivered_total", "counter", "Packets delivered to this node's mesh applications.", r.Delivered);
            One(sb, "mesh_router_duplicates_total", "counter", "Copies dropped as already seen.", r.Duplicates);
            One(sb, "mesh_router_replays_total", "counter", "Copies dropped as older than the replay window.", r.Replays);
            One(sb, "mesh_router_retransmissions_total", "counter", "Reliable packets sent again.", r.Retransmissions);
            One(sb, "mesh_router_delivery_failed_total", "counter", "Reliable packets never acknowledged.", r.Failed);
            One(sb, "mesh_router_queue_overflows_total", "counter", "Packets dropped because the transmit queue was full.", r.QueueOverflows);

            One(sb, "mesh_relay_tunnels", "gauge", "Tunnels this hub relays now between other hubs.", _tunnels.Relaying);
            One(sb, "mesh_relay_buffer_bytes", "gauge", "Relay buffer in use (windows and pipes of the tunnels relayed).", _tunnels.RelayBytesInUse);
            One(sb, "mesh_relay_buffer_limit_bytes", "gauge", "Relay buffer limit (--relay-buffer).", _tunnels.Options.RelayBytes);
            One(sb, "mesh_relayed_bytes_total", "counter", "Bytes relayed through this hub for others.", _tunnels.RelayedBytes);
            One(sb, "mesh_relay_refused_total", "counter", "Tunnel requests refused (no route, no hops left, budget spent, untrusted).", _tunnels.Refused);
            One(sb, "mesh_tunnels_opened_total", "counter", "Tunnels this hub opened to sync with far hubs.", _tunnels.Opened);

            var known = _reach.Snapshot(_tunnels.Options.ReachableFor).GroupBy(x => x.Hops).OrderBy(g => g.Key);
            Family(sb, "mesh_known_devices", "gauge", "Devices heard through the mesh (signed records), by links away.", known.Select(g => (Label("hops", g.Key.ToString(CultureInfo.InvariantCulture)), (double)g.Count())));
            Family(sb, "mesh_knowledge_records_total", "counter", "Knowledge records received, by outcome.", new[]
            {
                (Label("result", "accepted"), (double)_knowledge.Accepted),
                (Label("result", "untrusted"), (double)_knowledge.Untrusted),
                (Label("result", "stale"), (double)_knowledge.Stale),
                (Label("result", "invalid"), (double)_knowledge.Invalid),
            });
            Family(sb, "mesh_membership_statements_total", "counter", "Membership statements, by outcome (signed = made here).", new[]
            {
                (Label("result", "signed"), (double)_membership.Signed),
                (Label("result", "applied"), (double)_membership.Applied),
                (Label("result", "stale"), (double)_membership.StaleCount),
                (Label("result", "pending"), (double)_membership.PendingCount),
                (Label("result", "refused"), (double)_membership.RefusedCount),
                (Label("result", "invalid"), (double)_membership.Invalid),
            });
        }

        private static string Label(string name, string value) => "{" + name + "=\"" + value + "\"}";

        private static void One(StringBuilder sb, string name, string type, string help, double value) =>
            Family(sb, name, type, help, new[] { (string.Empty, value) });

        private static void Family(StringBuilder sb, string name, string type, string help, IEnumerable<(string Labels, double Value)> samples)
        {
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in samples)
            {
                sb.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }
}
