using System.Net;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Peers
{
    /// <summary>A place a peer can be dialled, and what we know of it.</summary>
    public sealed class PeerEndpoint
    {
        public PeerEndpoint(IPEndPoint endPoint, DeviceId? id, string source)
        {
            EndPoint = endPoint;
            Id = id;
            Source = source;
        }

        public IPEndPoint EndPoint { get; }

        /// <summary>Device ID if advertised (mDNS TXT <c>fp</c>) or learned from a handshake.</summary>
        public DeviceId? Id { get; set; }

        /// <summary>"static", "mdns" or another discovery's name.</summary>
        public string Source { get; }

        /// <summary>A TLS handshake at this address proved <see cref="Id"/> (a suggestion that turned out true).</summary>
        public bool Proven { get; set; }

        public long LastSyncMilliseconds { get; set; } = long.MinValue;

        /// <summary>Dials at this address that failed since it last proved itself.</summary>
        public int Failures { get; set; }

        /// <summary>Order of the last suggestion (larger = heard more recently).</summary>
        internal long Heard { get; set; }
    }

    /// <summary>Why <see cref="PeerDirectory.Suggest"/> did not add an address.</summary>
    public enum SuggestResult
    {
        /// <summary>A new address for the device (worth a round).</summary>
        Added,

        /// <summary>Already known (refreshed).</summary>
        Known,

        /// <summary>Replaced one of the device's unproven addresses that failed a dial (the device's share was full).</summary>
        Replaced,

        /// <summary>The device's share holds no failed address to replace, or the table is full.</summary>
        Full,
    }

    /// <summary>
    /// Peers the hub may dial, from config and discovery. An address heard on the network is only a
    /// suggestion: dialling it still needs a TLS handshake with a trusted device, and what discovery may add
    /// is bounded so that a flood of announcements cannot grow the table or push out a proven address:
    /// at most <see cref="MaxPerDevice"/> suggested addresses per device and <see cref="MaxSuggested"/> in all.
    /// A device's full share takes a new address only in place of an unproven one that failed a dial: an address
    /// that works (proven, or not failed yet) is never pushed out by announcements, however many arrive.
    /// </summary>
    public sealed class PeerDirectory
    {
        public const int MaxPerDevice = 4;
        public const int MaxSuggested = 256;

        private readonly Dictionary<string, PeerEndpoint> _peers = new(StringComparer.Ordinal);
        private readonly object _gate = new();
        private long _heard;

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _peers.Count;
                }
            }
        }

        /// <summary>Adds an address the user configured (not bounded: the user typed it).</summary>
        public void Upsert(IPEndPoint endpoint, DeviceId? id, string source)
        {
            lock (_gate)
            {
                if (_peers.TryGetValue(endpoint.ToString(), out var old))
                {
                    old.Id ??= id;
                    return;
                }

                _peers[endpoint.ToString()] = new PeerEndpoint(endpoint, id, source) { Heard = ++_heard };
            }
        }

        /// <summary>
        /// Adds an address discovery heard for device <paramref name="id"/> (the caller has checked that the
        /// device is trusted and the address is on the link), within the bounds.
        /// </summary>
        public SuggestResult Suggest(IPEndPoint endpoint, DeviceId id, string source)
        {
            string key = endpoint.ToString();
            lock (_gate)
            {
                if (_peers.TryGetValue(key, out var old))
                {
                    // An address once proven for one device is not re-labelled by an announcement.
                    if (!old.Proven)
                    {
                        old.Id = id;
                    }

                    old.Heard = ++_heard;
                    return SuggestResult.Known;
                }

                PeerEndpoint? evict = null;
                int mine = 0;
                int suggested = 0;
                foreach (var p in _peers.Values)
                {
                    if (p.Source == "static")
                    {
                        continue;
                    }

                    suggested++;
                    if (p.Id == id)
                    {
                        mine++;
                        if (!p.Proven && p.Failures > 0 && (evict == null || p.Heard < evict.Heard))
                        {
                            evict = p;
                        }
                    }
                }

                if (mine < MaxPerDevice && suggested >= MaxSuggested)
                {
                    return SuggestResult.Full;
                }

                if (mine >= MaxPerDevice)
                {
                    if (evict == null)
                    {
                        return SuggestResult.Full;
                    }

                    _peers.Remove(evict.EndPoint.ToString());
                }

                _peers[key] = new PeerEndpoint(endpoint, id, source) { Heard = ++_heard };
                return evict == null ? SuggestResult.Added : SuggestResult.Replaced;
            }
        }

        /// <summary>Discovery says the address left: forgotten unless it was proven or configured.</summary>
        public void Remove(IPEndPoint endpoint)
        {
            lock (_gate)
            {
                if (_peers.TryGetValue(endpoint.ToString(), out var p) && !p.Proven && p.Source != "static")
                {
                    _peers.Remove(endpoint.ToString());
                }
            }
        }

        /// <summary>A handshake at <paramref name="endpoint"/> proved it is <paramref name="id"/>.</summary>
        public void Proved(IPEndPoint endpoint, DeviceId id)
        {
            lock (_gate)
            {
                if (_peers.TryGetValue(endpoint.ToString(), out var p))
                {
                    p.Id = id;
                    p.Proven = true;
                    p.Failures = 0;
                }
            }
        }

        /// <summary>A dial at <paramref name="endpoint"/> failed: an unproven address may now be replaced by a new suggestion.</summary>
        public void Failed(IPEndPoint endpoint)
        {
            lock (_gate)
            {
                if (_peers.TryGetValue(endpoint.ToString(), out var p))
                {
                    p.Failures++;
                }
            }
        }

        public IReadOnlyList<PeerEndpoint> Snapshot()
        {
            lock (_gate)
            {
                return _peers.Values.ToList();
            }
        }
    }
}
