using System.Collections.Concurrent;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// The live mesh connections to neighbour hubs, at most one per neighbour. When two connections to the
    /// same neighbour exist (both dialled at once), both sides keep the one dialled by the smaller device ID,
    /// so they agree without talking.
    /// </summary>
    public sealed class MeshConnections
    {
        private readonly ConcurrentDictionary<DeviceId, MeshConnection> _live = new();
        private readonly object _gate = new();

        public MeshConnections(NodeIdentity self)
        {
            Self = self.DeviceId;
        }

        public DeviceId Self { get; }

        public int Count => _live.Count;

        public bool Has(DeviceId peer) => _live.ContainsKey(peer);

        public MeshConnection? Find(DeviceId peer) => _live.TryGetValue(peer, out var c) ? c : null;

        public MeshConnection? FindByNode(uint node)
        {
            foreach (var c in _live.Values)
            {
                if (c.Neighbour == node)
                {
                    return c;
                }
            }

            return null;
        }

        public IReadOnlyList<MeshConnection> Snapshot() => _live.Values.ToList();

        /// <summary>Registers <paramref name="c"/>; false (close it) when the kept connection to that peer is another.</summary>
        public bool TryAdd(MeshConnection c)
        {
            lock (_gate)
            {
                if (_live.TryGetValue(c.Peer, out var old))
                {
                    if (!Prefer(c, old))
                    {
                        return false;
                    }

                    _ = old.DisposeAsync().AsTask();
                }

                _live[c.Peer] = c;
                return true;
            }
        }

        public void Remove(MeshConnection c)
        {
            lock (_gate)
            {
                if (_live.TryGetValue(c.Peer, out var current) && ReferenceEquals(current, c))
                {
                    _live.TryRemove(c.Peer, out _);
                }
            }
        }

        // The connection dialled by the smaller device ID wins; equal diallers (a redial): the newer one.
        private bool Prefer(MeshConnection candidate, MeshConnection existing)
        {
            DeviceId dialler(MeshConnection c) => c.Dialled ? Self : c.Peer;
            int cmp = string.CompareOrdinal(dialler(candidate).Text, dialler(existing).Text);
            return cmp <= 0;
        }
    }
}
