using System.Net;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Identity;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Decides which addresses an mDNS announcement may suggest to the hub. Announcements are unauthenticated,
    /// so discovery may only suggest, never steer: an address is taken only for a device whose fingerprint
    /// (TXT <c>fp</c>) is in the trust circle (the TLS handshake then proves it), that sits on the link the
    /// announcement arrived on, and that is not this hub itself (our own addresses off loopback, our sync and
    /// metrics ports on loopback). Untrusted instances are never dialled: pairing has its own service type.
    /// Every refusal is counted by reason (<c>aether_discovery_suggestions_refused_total</c>).
    /// </summary>
    public sealed class DiscoveryGate
    {
        public const string NoFingerprint = "no_fingerprint";
        public const string Untrusted = "untrusted";
        public const string Self = "self";
        public const string OffLink = "off_link";
        public const string OwnAddress = "own_address";
        public const string BadPort = "bad_port";
        public const string TableFull = "table_full";

        private static readonly string[] s_reasons = { NoFingerprint, Untrusted, Self, OffLink, OwnAddress, BadPort, TableFull };

        private readonly DeviceId _own;
        private readonly Func<DeviceId, bool> _trusted;
        private readonly int _syncPort;
        private readonly int _httpPort;
        private readonly Counter _refused;

        /// <summary>Counts into <paramref name="metrics"/> (the hub's registry), or a private registry.</summary>
        public DiscoveryGate(DeviceId own, Func<DeviceId, bool> trusted, int syncPort, int httpPort, IMetricFactory? metrics = null)
        {
            _own = own;
            _trusted = trusted;
            _syncPort = syncPort;
            _httpPort = httpPort;
            metrics ??= Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());
            _refused = metrics.CreateCounter(
                "aether_discovery_suggestions_refused_total",
                "mDNS announcements (per address) not taken as peers to dial, by reason.",
                new[] { "reason" });
            foreach (string r in s_reasons)
            {
                _refused.WithLabels(r);
            }
        }

        /// <summary>Suggestions refused for <paramref name="reason"/> so far.</summary>
        public long Refused(string reason) => (long)_refused.WithLabels(reason).Value;

        /// <summary>The device an announcement names, or the reason it names none we would dial (counted).</summary>
        public string? CheckDevice(string? fingerprint, out DeviceId id)
        {
            id = default;
            string? why = null;
            if (!DeviceId.TryParse(fingerprint, out id, out _))
            {
                why = NoFingerprint;
            }
            else if (id == _own)
            {
                why = Self;
            }
            else if (!_trusted(id))
            {
                why = Untrusted;
            }

            return why == null ? null : Count(why);
        }

        /// <summary>Null when <paramref name="address"/>:<paramref name="port"/> heard on <paramref name="link"/> may be dialled, else the reason (counted).</summary>
        public string? CheckAddress(IPAddress address, int port, MdnsNetworkInterface? link)
        {
            if (port <= 0 || port > 65535)
            {
                return Count(BadPort);
            }

            if (link == null || !link.IsOnLink(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.Broadcast))
            {
                return Count(OffLink);
            }

            bool loopback = link.Ipv4 != null && IPAddress.IsLoopback(link.Ipv4);
            if (link.Holds(address) && (!loopback || port == _syncPort || port == _httpPort))
            {
                // On a real link no other hub shares our address; on loopback (hubs side by side on one
                // machine) only our own ports are ours.
                return Count(OwnAddress);
            }

            return null;
        }

        /// <summary>Counts a suggestion refused for <paramref name="reason"/> (one of the constants); returns the reason.</summary>
        public string Count(string reason)
        {
            _refused.WithLabels(reason).Inc();
            return reason;
        }
    }
}
