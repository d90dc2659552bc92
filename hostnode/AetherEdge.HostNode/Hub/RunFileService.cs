using System.Net;
using AetherEdge.HostNode.Http;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Trust;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Keeps HOME/hub.run.json (<see cref="RunningPeersFile"/>) equal to the trusted peers this hub can
    /// reach, so <c>aether get</c> on the same home finds them without --peers. Checks every
    /// <see cref="Interval"/>, writes only on change, deletes the file on stop.
    /// </summary>
    public sealed class RunFileService : BackgroundService
    {
        public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

        private readonly HubSettings _settings;
        private readonly PeerDirectory _directory;
        private readonly TrustCircle _circle;
        private readonly HttpHost _http;

        public RunFileService(HubSettings settings, PeerDirectory directory, TrustCircle circle, HttpHost http)
        {
            _settings = settings;
            _directory = directory;
            _circle = circle;
            _http = http;
        }

        /// <summary>The address a verb on this device reaches the HTTP port at (a wildcard bind answers on loopback).</summary>
        public string? HttpAddress()
        {
            if (_http.BoundPort == 0)
            {
                return null;
            }

            var bind = _settings.HttpBind.Equals(IPAddress.Any) || _settings.HttpBind.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : _settings.HttpBind;
            return new UriBuilder("http", bind.ToString(), _http.BoundPort, "/").Uri.ToString();
        }

        /// <summary>The peers the file should list now: endpoints whose device is in the trust circle.</summary>
        public List<RunningPeer> TrustedPeers()
        {
            var list = new List<RunningPeer>();
            foreach (var p in _directory.Snapshot().OrderBy(p => p.EndPoint.ToString(), StringComparer.Ordinal))
            {
                if (p.Id is { } id && _circle.Contains(id) && list.Count < RunningPeersFile.MaxPeers)
                {
                    list.Add(new RunningPeer { EndPoint = p.EndPoint.ToString(), DeviceId = id.Text, Source = p.Source });
                }
            }

            return list;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            string written = "-";
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    var peers = TrustedPeers();
                    string? http = HttpAddress();
                    string key = http + " " + string.Join(",", peers.Select(p => p.EndPoint + "=" + p.DeviceId));
                    if (key != written)
                    {
                        try
                        {
                            RunningPeersFile.Write(_settings.Home, new RunningPeersState
                            {
                                Pid = Environment.ProcessId,
                                UpdatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                                Peers = peers,
                                HttpAddress = http,
                            });
                            written = key;
                        }
                        catch (IOException)
                        {
                            // A full or read-only home: the file is a convenience; try again next time.
                        }
                    }

                    await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            finally
            {
                try
                {
                    RunningPeersFile.Delete(_settings.Home);
                }
                catch (IOException)
                {
                    // Left behind: readers treat it as a suggestion only.
                }
            }
        }
    }
}
