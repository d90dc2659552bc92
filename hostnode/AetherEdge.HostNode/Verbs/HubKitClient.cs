using System.Net;
using System.Text.Json;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Hub;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// Asks the hub running for a home what it knows (<c>GET /api/kit</c> on its HTTP port, read-only, no secret):
    /// BLE nodes it heard and the kit's devices with their transports. A verb uses it to show what only a running
    /// hub can know; no hub answering is a normal answer, not an error.
    /// </summary>
    internal static class HubKitClient
    {
        /// <summary>The hub's dashboard address for <paramref name="homePath"/>, or null (with the reason) when hub.json gives none.</summary>
        public static Uri? Address(string homePath, out string? why)
        {
            why = null;
            HubSettings settings;
            try
            {
                settings = HubSettings.Load(homePath);
            }
            catch (IOException e)
            {
                why = e.Message;
                return null;
            }

            if (settings.HttpPort == 0)
            {
                why = Path.Combine(homePath, HubSettings.HubFileName) + " sets httpPort 0 (any free port)";
                return null;
            }

            var address = settings.HttpBind.Equals(IPAddress.Any) || settings.HttpBind.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : settings.HttpBind;
            return new UriBuilder("http", address.ToString(), settings.HttpPort, "/").Uri;
        }

        /// <summary>The hub's snapshot, or null (with the reason) when no hub answers there within <paramref name="timeout"/>.</summary>
        public static KitSnapshot? TryFetch(Uri page, TimeSpan timeout, CancellationToken ct, out string? why)
        {
            why = null;
            try
            {
                using var http = new HttpClient { Timeout = timeout };
                using var response = http.GetAsync(new Uri(page, DashboardApi.KitPath), ct).GetAwaiter().GetResult();
                if (!response.IsSuccessStatusCode)
                {
                    why = "the hub at " + page + " answered " + (int)response.StatusCode;
                    return null;
                }

                using var body = response.Content.ReadAsStream(ct);
                return JsonSerializer.Deserialize(body, DashboardJsonContext.Default.KitSnapshot);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException)
            {
                why = "no hub answers at " + page;
                return null;
            }
        }
    }
}
