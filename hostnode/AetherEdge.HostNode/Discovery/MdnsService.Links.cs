using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace AetherEdge.HostNode.Discovery
{
    public sealed partial class MdnsService
    {
        /// <summary>Address-change notifications arrive in bursts (DAD, routes); act once they settle.</summary>
        public static readonly TimeSpan LinkSettle = TimeSpan.FromMilliseconds(300);

        /// <summary>
        /// .NET on Linux signals IPv4 address changes only; an interface that comes up with just its IPv6 link-local
        /// address (a Wi-Fi Direct group whose owner hands out none) is found by looking this often.
        /// </summary>
        public static readonly TimeSpan LinkPoll = TimeSpan.FromSeconds(3);

        private long _linksChangedAtMs = long.MaxValue;
        private long _nextLinkPollMs;

        /// <summary>Link changes acted on since start (tests and logs).</summary>
        public int LinkChanges { get; private set; }

        /// <summary>An interface appeared, vanished or changed address: (interface name, what happened).</summary>
        public event Action<string, string>? LinkChanged;

        private void WatchLinks() => NetworkChange.NetworkAddressChanged += OnAddressChanged;

        private void UnwatchLinks() => NetworkChange.NetworkAddressChanged -= OnAddressChanged;

        private void OnAddressChanged(object? sender, EventArgs e)
        {
            lock (_gate)
            {
                _linksChangedAtMs = _clock.MonotonicMilliseconds;
            }

            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }

        /// <summary>Called under the gate by the timer loop: when changes settled, re-reads the interfaces.</summary>
        private long ApplyLinkChanges(long now)
        {
            if (_linksChangedAtMs == long.MaxValue)
            {
                if (now < _nextLinkPollMs)
                {
                    return _nextLinkPollMs;
                }

                _nextLinkPollMs = now + (long)LinkPoll.TotalMilliseconds;
                if (!LinksDiffer())
                {
                    return _nextLinkPollMs;
                }

                _linksChangedAtMs = now;
            }

            long due = _linksChangedAtMs + (long)LinkSettle.TotalMilliseconds;
            if (now < due)
            {
                return due;
            }

            _linksChangedAtMs = long.MaxValue;
            RefreshLinks(now);
            return long.MaxValue;
        }

        /// <summary>
        /// RFC 6762 §8 after a link change: new interfaces start probing and browsing, interfaces whose
        /// addresses changed re-probe and re-announce with the new address records (and re-confirm their
        /// cache, §10.3), and vanished interfaces are dropped (goodbyes are attempted).
        /// </summary>
        private void RefreshLinks(long now)
        {
            IReadOnlyList<MdnsNetworkInterface> links;
            try
            {
                links = MdnsNetworkInterface.Select(_options.InterfaceAddress);
            }
            catch (ArgumentException)
            {
                links = Array.Empty<MdnsNetworkInterface>();
            }

            LinkChanges++;
            _options.Metrics.LinkChange();
            var seen = new HashSet<int>();
            foreach (var link in links)
            {
                seen.Add(link.Index);
                if (!_byIndex.TryGetValue(link.Index, out var nic))
                {
                    Join(link);
                    nic = new Nic(this, link);
                    _byIndex[link.Index] = nic;
                    nic.Core.Responder?.Start(now);
                    nic.Core.Browser?.Start(now);
                    LinkChanged?.Invoke(link.Name, "up");
                    continue;
                }

                if (SameAddresses(nic.Link, link))
                {
                    continue;
                }

                Join(link);
                nic.Link = link;
                var addresses = link.Addresses.Select(a => a.GetAddressBytes()).ToArray();
                if (nic.Core.Responder is { } responder && !responder.UpdateAddresses(addresses, now))
                {
                    responder.LinkChanged(now);
                }

                nic.Core.Browser?.LinkChanged(now);
                LinkChanged?.Invoke(link.Name, "addresses " + string.Join(", ", link.Addresses));
            }

            foreach (int index in _byIndex.Keys.Where(i => !seen.Contains(i)).ToList())
            {
                var gone = _byIndex[index];
                gone.Core.Responder?.Stop(now);
                gone.Core.Browser?.Stop();
                _byIndex.Remove(index);
                LinkChanged?.Invoke(gone.Link.Name, "down");
            }
        }

        private void Join(MdnsNetworkInterface link)
        {
            try
            {
                if (_v4 != null && link.Ipv4 != null)
                {
                    _v4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group4, link.Ipv4));
                }
            }
            catch (SocketException)
            {
                // Already a member on this interface (EADDRINUSE): membership follows the interface, not the address.
            }

            try
            {
                _v6?.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(Group6, link.Index));
            }
            catch (SocketException)
            {
                // Already joined, or no IPv6 on this link.
            }
        }

        private bool LinksDiffer()
        {
            IReadOnlyList<MdnsNetworkInterface> links;
            try
            {
                links = MdnsNetworkInterface.Select(_options.InterfaceAddress);
            }
            catch (ArgumentException)
            {
                links = Array.Empty<MdnsNetworkInterface>();
            }

            return links.Count != _byIndex.Count || links.Any(l => !_byIndex.TryGetValue(l.Index, out var nic) || !SameAddresses(nic.Link, l));
        }

        private static bool SameAddresses(MdnsNetworkInterface a, MdnsNetworkInterface b) =>
            a.Addresses.Select(x => x.ToString()).Order(StringComparer.Ordinal).SequenceEqual(b.Addresses.Select(x => x.ToString()).Order(StringComparer.Ordinal));
    }
}
