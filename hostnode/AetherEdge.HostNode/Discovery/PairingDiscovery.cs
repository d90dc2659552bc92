using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Discovery
{
    /// <summary>
    /// Finds a device that is showing a pairing code: while <c>aether pair</c> waits it advertises
    /// <c>NAME._aetherpair._tcp.local</c> on the pairing port with TXT <c>fp</c> (its device ID), and
    /// <c>aether pair --code</c> browses for it, so nobody types an address. The code exchange itself
    /// stays the proof: a fake advertiser gets one online guess at the typed code (J-PAKE) and nothing trusted.
    /// </summary>
    public static class PairingDiscovery
    {
        public const string ServiceType = "_aetherpair._tcp.local";

        /// <summary>After the first waiting device shows up, listen this much longer for others (ambiguity check).</summary>
        public static readonly TimeSpan SettleAfterFirst = TimeSpan.FromSeconds(1);

        /// <summary>Starts advertising; dispose the result to send goodbyes.</summary>
        public static MdnsService Advertise(string name, DeviceId id, int port, IPAddress? iface)
        {
            var txt = new AetherEdge.Core.Dns.TxtProperties();
            txt.Add(AetherTxt.Fingerprint, id.Text);
            txt.Add(AetherTxt.Version, AetherTxt.SoftwareVersion);
            var service = new MdnsService(new MdnsServiceOptions
            {
                InterfaceAddress = iface,
                ServiceType = ServiceType,
                Advertise = new MdnsAdvertisement(AetherTxt.InstanceLabel(name), AetherTxt.HostLabel("aether-pair-", id.Text), port, txt),
            });
            service.Start();
            return service;
        }

        /// <summary>
        /// Browses for devices waiting to pair: returns when one was found and <see cref="SettleAfterFirst"/>
        /// passed without another, or at <paramref name="timeout"/>. One entry per device ID (or instance).
        /// </summary>
        public static IReadOnlyList<PeerInfo> Find(IPAddress? iface, TimeSpan timeout, CancellationToken cancellation)
        {
            var found = new Dictionary<string, PeerInfo>(StringComparer.Ordinal);
            var gate = new object();
            using var first = new ManualResetEventSlim();
            var service = new MdnsService(new MdnsServiceOptions { InterfaceAddress = iface, ServiceType = ServiceType, Browse = true });
            service.PeerResolved += (peer, isNew) =>
            {
                if (!peer.Addresses.Any(a => IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork))
                {
                    return;
                }

                lock (gate)
                {
                    peer.Txt.TryGetValue(AetherTxt.Fingerprint, out string? fp);
                    found[fp ?? peer.Instance] = peer;
                }

                first.Set();
            };
            service.PeerLost += peer =>
            {
                lock (gate)
                {
                    peer.Txt.TryGetValue(AetherTxt.Fingerprint, out string? fp);
                    found.Remove(fp ?? peer.Instance);
                }
            };

            service.Start();
            try
            {
                var deadline = DateTime.UtcNow + timeout;
                if (first.Wait(timeout, cancellation))
                {
                    var settle = deadline - DateTime.UtcNow;
                    cancellation.WaitHandle.WaitOne(settle < SettleAfterFirst ? (settle > TimeSpan.Zero ? settle : TimeSpan.Zero) : SettleAfterFirst);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            lock (gate)
            {
                return found.Values.OrderBy(p => p.Instance, StringComparer.Ordinal).ToList();
            }
        }

        /// <summary>The IPv4 endpoint to dial for a found device.</summary>
        public static IPEndPoint EndpointOf(PeerInfo peer)
        {
            var ip = peer.Addresses.Select(a => IPAddress.Parse(a)).First(a => a.AddressFamily == AddressFamily.InterNetwork);
            return new IPEndPoint(ip, peer.Port);
        }
    }
}
