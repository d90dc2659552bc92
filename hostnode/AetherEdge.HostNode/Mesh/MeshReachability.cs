using System.Collections.Concurrent;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>How this hub reaches a device it heard of through the mesh (a verified knowledge record).</summary>
    public sealed record MeshRoute(DeviceId Device, uint Node, uint Via, int Hops, DateTimeOffset Heard, long Sequence, IReadOnlyList<uint> Neighbours);

    /// <summary>
    /// Devices heard through the mesh: which neighbour leads to each (the router's learnt next hop when its
    /// record arrived), how many links away, when. Written by the knowledge handler on the router thread,
    /// read by tunnels, metrics and the sync service. Bounded by the trust circle (only trusted devices'
    /// records are kept).
    /// </summary>
    public sealed class MeshReachability
    {
        private readonly ConcurrentDictionary<DeviceId, MeshRoute> _routes = new();
        private readonly TimeProvider _clock;

        public MeshReachability(TimeProvider clock)
        {
            _clock = clock;
        }

        public void Update(MeshRoute route) => _routes[route.Device] = route;

        public void Forget(DeviceId device) => _routes.TryRemove(device, out _);

        /// <summary>The route to <paramref name="device"/> if heard within <paramref name="maxAge"/>.</summary>
        public MeshRoute? Find(DeviceId device, TimeSpan maxAge) =>
            _routes.TryGetValue(device, out var r) && _clock.GetUtcNow() - r.Heard <= maxAge ? r : null;

        /// <summary>The device whose node id is <paramref name="node"/>, if one was heard.</summary>
        public DeviceId? DeviceOf(uint node)
        {
            foreach (var r in _routes.Values)
            {
                if (r.Node == node)
                {
                    return r.Device;
                }
            }

            return null;
        }

        /// <summary>Every device heard within <paramref name="maxAge"/>, nearest first.</summary>
        public IReadOnlyList<MeshRoute> Snapshot(TimeSpan maxAge)
        {
            var now = _clock.GetUtcNow();
            return _routes.Values.Where(r => now - r.Heard <= maxAge).OrderBy(r => r.Hops).ThenBy(r => r.Device.Text, StringComparer.Ordinal).ToList();
        }
    }
}
