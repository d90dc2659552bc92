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
            var body = RunningHub.TryGet(home, DashboardApi.KitPath, Timeout, MaxBytes, CancellationToken.None, out var address, out why);
            if (body == null)
            {
                if (address == null && why.StartsWith("no hub", StringComparison.Ordinal))
                {
                    why += " (start it with `aether hub --home " + home + "`)";
                }

                return null;
            }

            try
            {
                var kit = JsonSerializer.Deserialize(body, DashboardJsonContext.Default.KitSnapshot);
                why = kit == null ? "the hub at " + address + " sent an empty answer" : string.Empty;
                return kit;
            }
            catch (JsonException e)
            {
                why = "the hub at " + address + " sent an unreadable kit view (" + e.Message + ")";
                return null;
            }
        }
    }
}
