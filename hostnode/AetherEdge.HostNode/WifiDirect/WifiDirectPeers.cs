using System.Globalization;
using System.Text.Json;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Http;
using AetherEdge.HostNode.Peers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>
    /// The hub's Wi-Fi Direct radio peers for <c>aether peers</c>: <c>GET /api/wifi-direct/peers</c> on the hub's HTTP
    /// host answers the peers whose P2P service discovery carried <c>_aetherlight._tcp</c> data (an unauthenticated
    /// claim, marked trusted only when it names a device of the circle), and the verb reads it at the address the hub
    /// wrote to HOME/hub.run.json, as <c>aether ls</c> reads /api/kit.
    /// </summary>
    public sealed class WifiDirectPeers : IHttpEndpoints
    {
        public const string Path = "/api/wifi-direct/peers";

        /// <summary>Largest answer a verb reads (64 peers of a few hundred bytes each).</summary>
        public const int MaxBytes = 256 * 1024;

        private readonly WifiDirectService _service;

        public WifiDirectPeers(WifiDirectService service) => _service = service;

        public void Map(IEndpointRouteBuilder routes) => routes.MapGet(Path, (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(Json(_service.Peers, _service.Group));
        });

        /// <summary>The answer: {"group": {"interface","role"} or null, "peers": [{address, instance, nodeId, deviceType, storageBytes, version, trusted, groupOwner}]}.</summary>
        public static string Json(IReadOnlyList<P2pPeerView> peers, P2pGroup? group)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                if (group == null)
                {
                    w.WriteNull("group");
                }
                else
                {
                    w.WriteStartObject("group");
                    w.WriteString("interface", group.Interface);
                    w.WriteString("role", group.Role == P2pRole.GroupOwner ? "go" : "client");
                    w.WriteEndObject();
                }

                w.WriteStartArray("peers");
                foreach (var p in peers.Where(p => p.Service != null).OrderBy(p => p.Address, StringComparer.Ordinal))
                {
                    var s = p.Service!;
                    w.WriteStartObject();
                    w.WriteString("address", p.Address);
                    w.WriteString("instance", s.InstanceLabel);
                    w.WriteString("nodeId", s.NodeId);
                    w.WriteString("deviceType", s.DeviceType);
                    w.WriteNumber("storageBytes", s.StorageBytes);
                    w.WriteString("version", s.Version);
                    w.WriteBoolean("trusted", p.Trusted);
                    w.WriteBoolean("groupOwner", p.IsGroupOwner);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>
        /// The radio peers of the hub running on <paramref name="home"/> as <c>aether peers</c> rows (interface
        /// "wifi-direct", address = P2P device address, port = the group port); empty when no hub runs there or it does
        /// not answer (then <paramref name="why"/> says so in one line).
        /// </summary>
        public static IReadOnlyList<PeerInfo> FromHub(string home, TimeSpan timeout, out string why)
        {
            var body = RunningHub.TryGet(home, Path, timeout, MaxBytes, CancellationToken.None, out var address, out why);
            if (body == null)
            {
                why += address == null ? ": Wi-Fi Direct peers not listed" : string.Empty;
                return Array.Empty<PeerInfo>();
            }

            try
            {
                return Parse(body);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                why = "the hub at " + address + " sent unreadable Wi-Fi Direct peers (" + e.Message + ")";
                return Array.Empty<PeerInfo>();
            }
        }

        /// <summary>Rows from the endpoint's answer (throws <see cref="JsonException"/>/<see cref="InvalidOperationException"/> on a bad one).</summary>
        public static IReadOnlyList<PeerInfo> Parse(byte[] json)
        {
            using var doc = JsonDocument.Parse(json);
            var rows = new List<PeerInfo>();
            foreach (var p in doc.RootElement.GetProperty("peers").EnumerateArray())
            {
                string address = p.GetProperty("address").GetString()!;
                var txt = new SortedDictionary<string, string?>(StringComparer.Ordinal)
                {
                    [AetherTxt.NodeId] = p.GetProperty("nodeId").GetString(),
                    [AetherTxt.DeviceType] = p.GetProperty("deviceType").GetString(),
                    [AetherTxt.StorageBytes] = p.GetProperty("storageBytes").GetInt64().ToString(CultureInfo.InvariantCulture),
                    [AetherTxt.Version] = p.GetProperty("version").GetString(),
                };
                rows.Add(new PeerInfo(
                    p.GetProperty("instance").GetString()!,
                    p.GetProperty("trusted").GetBoolean() ? "wifi-direct (trusted)" : "wifi-direct (not trusted)",
                    new[] { address },
                    WifiDirectOptions.DefaultGroupPort,
                    txt,
                    p.GetProperty("deviceType").GetString(),
                    p.GetProperty("storageBytes").GetInt64(),
                    "wifi-direct"));
            }

            return rows;
        }
    }
}
