using System.Text.Json;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Peers;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// Asks the hub running on a home (found by its <c>hub.run.json</c>: pid and HTTP address) what it knows,
    /// <c>GET /api/nodes</c> (read-only, no secret, no file rows): the kit's devices with their transports and the
    /// BLE nodes it heard. A verb uses it to show what only a running hub can know; no hub running is a normal
    /// answer, not an error. The answer is bounded (<see cref="MaxBytes"/>) and waited for at most the given time.
    /// </summary>
    internal static class HubKitClient
    {
        public const int MaxBytes = 4 * 1024 * 1024;

        /// <summary>The hub's devices and BLE nodes, or null with the reason; <paramref name="hub"/> is its address when known.</summary>
        public static KitNodes? TryFetch(string home, TimeSpan timeout, CancellationToken ct, out string? hub, out string why)
        {
            var body = RunningHub.TryGet(home, DashboardApi.NodesPath, timeout, MaxBytes, ct, out var address, out why);
            hub = address?.ToString();
            if (body == null)
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize(body, DashboardJsonContext.Default.KitNodes);
            }
            catch (JsonException e)
            {
                why = "the hub at " + hub + " sent an unreadable answer (" + e.Message + ")";
                return null;
            }
        }
    }
}
