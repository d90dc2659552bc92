using System.Diagnostics;

namespace AetherEdge.HostNode.Peers
{
    /// <summary>
    /// The hub running on a home, for the verbs that ask it what only it knows (<c>ls</c>, <c>status --mesh</c>,
    /// <c>peers</c>, a <c>put</c> handed over): HOME/hub.run.json names its process and HTTP address; the process
    /// must still be alive (a file left by a killed hub is not believed). No hub is a normal answer with a
    /// one-line reason, never an exception.
    /// </summary>
    public static class RunningHub
    {
        /// <summary>The running hub's HTTP address, or null with <paramref name="why"/> saying in one line why there is none.</summary>
        public static Uri? TryLocate(string home, out string why)
        {
            var state = RunningPeersFile.Read(home);
            if (state == null)
            {
                why = "no hub is running on " + home;
                return null;
            }

            if (!Alive(state.Pid))
            {
                why = "no hub is running on " + home + ": the hub that wrote " + RunningPeersFile.PathOf(home) + " (pid " + state.Pid + ") is not running";
                return null;
            }

            if (state.HttpAddress == null || !Uri.TryCreate(state.HttpAddress, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttp)
            {
                why = "the hub on " + home + " has not published its HTTP address yet (try again in a few seconds)";
                return null;
            }

            why = string.Empty;
            return address;
        }

        /// <summary>
        /// <c>GET PATH</c> on the running hub, at most <paramref name="maxBytes"/> and <paramref name="timeout"/>: the
        /// body, or null with <paramref name="why"/> (no hub, an error status, no answer). <paramref name="address"/>
        /// is the hub's address when one was found.
        /// </summary>
        public static byte[]? TryGet(string home, string path, TimeSpan timeout, int maxBytes, CancellationToken cancellation, out Uri? address, out string why)
        {
            address = TryLocate(home, out why);
            if (address == null)
            {
                return null;
            }

            try
            {
                using var http = new HttpClient { Timeout = timeout, MaxResponseContentBufferSize = maxBytes };
                using var answer = http.GetAsync(new Uri(address, path), cancellation).GetAwaiter().GetResult();
                if (!answer.IsSuccessStatusCode)
                {
                    why = "the hub at " + address + " answered " + (int)answer.StatusCode + " for " + path;
                    return null;
                }

                return answer.Content.ReadAsByteArrayAsync(cancellation).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                why = "the hub at " + address + " did not answer for " + path + " (" + e.Message + ")";
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
