using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Peers
{
    /// <summary>Where a verb found the peers it will ask, and what it tried (said when it fails).</summary>
    public sealed class FoundPeers
    {
        public FoundPeers(IReadOnlyList<IPEndPoint> endPoints, string tried)
        {
            EndPoints = endPoints;
            Tried = tried;
        }

        public IReadOnlyList<IPEndPoint> EndPoints { get; }

        /// <summary>"3 peers from --peers" / "hub.run.json (2 peers), mDNS browse 3 s (no trusted peer)".</summary>
        public string Tried { get; }
    }

    /// <summary>
    /// Finds trusted peers for a verb without typed addresses: the addresses given (--peers) if any, else
    /// hub.json's static peers and the running hub's knowledge (HOME/hub.run.json), else a short mDNS browse
    /// keeping only instances whose fingerprint (TXT fp) is in the trust circle. Addresses are suggestions:
    /// every dial is TLS against the trust circle. The browse is bounded (<see cref="MaxBrowsed"/> endpoints).
    /// </summary>
    public static class TrustedPeerFinder
    {
        public const int MaxBrowsed = 16;

        public static readonly TimeSpan DefaultBrowse = TimeSpan.FromSeconds(3);

        public static FoundPeers Find(string home, IReadOnlyList<IPEndPoint>? given, IReadOnlyList<IPEndPoint> staticPeers, TimeSpan browse, CancellationToken cancellation)
        {
            if (given != null)
            {
                return new FoundPeers(given, given.Count + " peers from --peers (" + string.Join(", ", given) + ")");
            }

            var found = new List<IPEndPoint>(staticPeers);
            var tried = new List<string>();
            if (staticPeers.Count > 0)
            {
                tried.Add("hub.json (" + staticPeers.Count + " peers)");
            }

            var running = RunningPeersFile.Read(home);
            var fromHub = RunningPeersFile.EndPoints(running);
            tried.Add(running == null ? "the running hub (no " + RunningPeersFile.FileName + ")" : RunningPeersFile.FileName + " (" + fromHub.Count + " trusted peers)");
            foreach (var ep in fromHub)
            {
                if (!found.Contains(ep))
                {
                    found.Add(ep);
                }
            }

            if (found.Count == 0 && browse > TimeSpan.Zero)
            {
                var browsed = Browse(home, browse, cancellation);
                tried.Add("mDNS browse " + browse.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s (" +
                    (browsed.Count == 0 ? "no trusted peer answered" : browsed.Count + " trusted endpoints") + ")");
                found.AddRange(browsed);
            }

            return new FoundPeers(found, string.Join(", ", tried));
        }

        /// <summary>IPv4 endpoints of instances advertising a trusted fingerprint, heard within <paramref name="browse"/>.</summary>
        public static List<IPEndPoint> Browse(string home, TimeSpan browse, CancellationToken cancellation)
        {
            var circle = new TrustCircle(home);
            var found = new List<IPEndPoint>();
            var gate = new object();
            var service = new MdnsService(new MdnsServiceOptions { Browse = true });
            service.PeerResolved += (peer, isNew) =>
            {
                if (!peer.Txt.TryGetValue(AetherTxt.Fingerprint, out string? fp) || !DeviceId.TryParse(fp, out var id, out _) || !circle.Contains(id))
                {
                    return;
                }

                lock (gate)
                {
                    foreach (string a in peer.Addresses)
                    {
                        if (found.Count < MaxBrowsed && IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork &&
                            peer.Port > 0 && !found.Contains(new IPEndPoint(ip, peer.Port)))
                        {
                            found.Add(new IPEndPoint(ip, peer.Port));
                        }
                    }
                }
            };
            try
            {
                service.Start();
                cancellation.WaitHandle.WaitOne(browse);
            }
            catch (Exception e) when (e is ArgumentException or SocketException)
            {
                // No usable interface: nothing heard.
            }
            finally
            {
                service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            lock (gate)
            {
                return found.ToList();
            }
        }
    }
}
