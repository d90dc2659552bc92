using System.Collections.Concurrent;
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

        /// <summary>"static" or "mdns".</summary>
        public string Source { get; }

        public long LastSyncMilliseconds { get; set; } = long.MinValue;
    }

    /// <summary>
    /// Peers the hub may dial, from config and discovery. An address heard on the network is only a
    /// suggestion: dialling it still needs a TLS handshake with a trusted device.
    /// </summary>
    public sealed class PeerDirectory
    {
        private readonly ConcurrentDictionary<string, PeerEndpoint> _peers = new(StringComparer.Ordinal);

        public int Count => _peers.Count;

        public void Upsert(IPEndPoint endpoint, DeviceId? id, string source)
        {
            _peers.AddOrUpdate(
                endpoint.ToString(),
                _ => new PeerEndpoint(endpoint, id, source),
                (_, old) =>
                {
                    if (id != null)
                    {
                        old.Id = id;
                    }

                    return old;
                });
        }

        public void Remove(IPEndPoint endpoint) => _peers.TryRemove(endpoint.ToString(), out _);

        public IReadOnlyList<PeerEndpoint> Snapshot() => _peers.Values.ToList();
    }
}
