using System.Diagnostics;
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
            hub = null;
            var state = RunningPeersFile.Read(home);
            if (state?.HttpAddress == null || !Alive(state.Pid)
                || !Uri.TryCreate(state.HttpAddress, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttp)
            {
                why = "no hub running on " + home;
                return null;
            }

            hub = address.ToString();
            try
            {
                using var http = new HttpClient { Timeout = timeout, MaxResponseContentBufferSize = MaxBytes };
                using var response = http.GetAsync(new Uri(address, DashboardApi.NodesPath), ct).GetAwaiter().GetResult();
                if (!response.IsSuccessStatusCode)
                {
                    why = "the hub at " + hub + " answered " + (int)response.StatusCode;
                    return null;
                }

                why = string.Empty;
                return JsonSerializer.Deserialize(response.Content.ReadAsByteArrayAsync(ct).GetAwaiter().GetResult(), DashboardJsonContext.Default.KitNodes);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
            {
                why = "no hub answers at " + hub;
                return null;
            }
        }

        private static bool Alive(int pid)
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                return !p.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
