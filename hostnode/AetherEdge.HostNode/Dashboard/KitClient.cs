using System.Diagnostics;
using System.Text.Json;
using AetherEdge.HostNode.Peers;

namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>
    /// The running hub's <see cref="KitSnapshot"/> for a verb on the same home (<c>aether ls</c>,
    /// <c>aether status --mesh</c>): the page's own <c>GET /api/kit</c>, at the address the hub wrote to
    /// HOME/hub.run.json. One model, rendered by the page and by <see cref="KitText"/>.
    /// </summary>
    public static class KitClient
    {
        /// <summary>How long a verb waits for the hub's answer.</summary>
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

        /// <summary>Largest answer read (1,000 files and 50 devices take about 400 KB).</summary>
        public const int MaxBytes = 64 * 1024 * 1024;

        /// <summary>The snapshot, or null with <paramref name="why"/> saying in one line why there is none.</summary>
        public static KitSnapshot? TryRead(string home, out string why)
        {
            var state = RunningPeersFile.Read(home);
            if (state == null)
            {
                why = "no hub is running on " + home + " (start it with `aether hub --home " + home + "`)";
                return null;
            }

            if (!Alive(state.Pid))
            {
                why = "the hub that wrote " + RunningPeersFile.PathOf(home) + " (pid " + state.Pid + ") is not running; start it with `aether hub --home " + home + "`";
                return null;
            }

            if (state.HttpAddress == null || !Uri.TryCreate(state.HttpAddress, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttp)
            {
                why = "the hub on " + home + " has not published its HTTP address yet (try again in a few seconds)";
                return null;
            }

            try
            {
                using var http = new HttpClient { Timeout = Timeout, MaxResponseContentBufferSize = MaxBytes };
                using var answer = http.GetAsync(new Uri(address, DashboardApi.KitPath)).GetAwaiter().GetResult();
                if (!answer.IsSuccessStatusCode)
                {
                    why = "the hub at " + address + " answered " + (int)answer.StatusCode + " for " + DashboardApi.KitPath;
                    return null;
                }

                var body = answer.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                var kit = JsonSerializer.Deserialize(body, DashboardJsonContext.Default.KitSnapshot);
                why = kit == null ? "the hub at " + address + " sent an empty answer" : string.Empty;
                return kit;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                why = "the hub at " + address + " did not answer (" + e.Message + ")";
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
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return false;
            }
        }
    }
}
