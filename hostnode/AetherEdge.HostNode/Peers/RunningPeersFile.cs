using System.Net;
using System.Text.Json;

namespace AetherEdge.HostNode.Peers
{
    /// <summary>One trusted peer a running hub knows how to reach.</summary>
    public sealed class RunningPeer
    {
        public string EndPoint { get; set; } = string.Empty;

        public string DeviceId { get; set; } = string.Empty;

        /// <summary>How the hub learnt the address: "mdns", "static", "ble", ...</summary>
        public string Source { get; set; } = string.Empty;
    }

    /// <summary>What HOME/hub.run.json holds.</summary>
    public sealed class RunningPeersState
    {
        public int Pid { get; set; }

        public long UpdatedMs { get; set; }

        public List<RunningPeer> Peers { get; set; } = new();

        /// <summary>Where the hub's HTTP port answers on this device (dashboard, /api/kit), e.g. <c>http://127.0.0.1:43217/</c>.</summary>
        public string? HttpAddress { get; set; }
    }

    /// <summary>
    /// HOME/hub.run.json: the trusted peers a running hub found (by mDNS, static configuration, ...) and its
    /// HTTP address, so other verbs on the same home (<c>aether get</c>, <c>ls</c>, <c>status --mesh</c>) reach
    /// them without typed addresses. Written by the
    /// hub (temp + rename) when its trusted peers change, deleted when it stops. Only a suggestion: every
    /// dial is still TLS with the trust circle's certificates, so a stale or edited file can waste a dial,
    /// never trust a stranger.
    /// </summary>
    public static class RunningPeersFile
    {
        public const string FileName = "hub.run.json";

        /// <summary>Most peers read from the file (it is a suggestion; a bigger one is cut).</summary>
        public const int MaxPeers = 64;

        /// <summary>Largest file read.</summary>
        public const int MaxBytes = 64 * 1024;

        public static string PathOf(string home) => Path.Combine(home, FileName);

        public static void Write(string home, RunningPeersState state)
        {
            string path = PathOf(home);
            string temp = path + ".tmp-" + Environment.ProcessId;
            File.WriteAllText(temp, JsonSerializer.Serialize(state));
            File.Move(temp, path, true);
        }

        public static void Delete(string home) => File.Delete(PathOf(home));

        /// <summary>The file's state, or null when there is none or it is unreadable (it is only a suggestion).</summary>
        public static RunningPeersState? Read(string home)
        {
            string path = PathOf(home);
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists || info.Length > MaxBytes)
                {
                    return null;
                }

                return JsonSerializer.Deserialize<RunningPeersState>(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The endpoints in the file that parse, at most <see cref="MaxPeers"/>.</summary>
        public static IReadOnlyList<IPEndPoint> EndPoints(RunningPeersState? state)
        {
            var list = new List<IPEndPoint>();
            foreach (var p in state?.Peers ?? new List<RunningPeer>())
            {
                if (list.Count < MaxPeers && IPEndPoint.TryParse(p.EndPoint, out var ep) && ep.Port != 0 && !list.Contains(ep))
                {
                    list.Add(ep);
                }
            }

            return list;
        }
    }
}
