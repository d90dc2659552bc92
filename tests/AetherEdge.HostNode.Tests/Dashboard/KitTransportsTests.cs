using System.Net;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Peers;
using AetherEdge.TestSupport.Dashboard;
using AetherEdge.TestSupport.Mesh;

namespace AetherEdge.HostNode.Tests.Dashboard
{
    /// <summary>
    /// The kit view's "reachable by" and "last sync" per device, from what the hub's discovery, mesh links
    /// and mesh routes know (real hub container; the links and routes are simulated, as no radio is here).
    /// </summary>
    public sealed class KitTransportsTests : IDisposable
    {
        private readonly SimulatedKit _kit = new("reach-hub");

        public void Dispose() => _kit.Dispose();

        [Fact]
        public void Devices_ReachableByLanWifiDirectBleAndMeshHops_EachNamedByKind()
        {
            var desk = _kit.AddPeer("desk-a");
            var phone = _kit.AddPeer("phone-b");
            var far = _kit.AddPeer("far-c");
            // phone-b also answers on a Wi-Fi Direct group address, and over a (simulated) BLE link.
            _kit.Get<PeerDirectory>().Upsert(new IPEndPoint(IPAddress.Parse("192.168.49.1"), 43216), phone, "wifi-direct");
            _kit.Get<MeshLinks>().Attach(new SimulatedMeshLink(MeshAddress.Of(phone), 200, (_, _) => { }, MeshLinkKind.Ble));
            // far-c is two mesh links away, through desk-a; its mDNS address is forgotten.
            _kit.Get<PeerDirectory>().Remove(new IPEndPoint(IPAddress.Parse("192.0.2.3"), 43216));
            var now = DateTimeOffset.UtcNow;
            _kit.Get<MeshReachability>().Update(new MeshRoute(desk, MeshAddress.Of(desk), MeshAddress.Of(desk), 1, now, 1, Array.Empty<uint>()));
            _kit.Get<MeshReachability>().Update(new MeshRoute(far, MeshAddress.Of(far), MeshAddress.Of(desk), 2, now, 1, Array.Empty<uint>()));

            var devices = _kit.Get<KitView>().Snapshot().Devices.ToDictionary(d => d.Name);
            Assert.Equal(new[] { "lan 192.0.2.1:43216 (mdns)" }, devices["desk-a"].Transports);
            Assert.Equal(new[] { "ble link", "lan 192.0.2.2:43216 (mdns)", "wifi-direct 192.168.49.1:43216 (wifi-direct)" }, devices["phone-b"].Transports.OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal(new[] { "via mesh, 2 hops through desk-a" }, devices["far-c"].Transports);
            Assert.Equal(new[] { "this hub" }, devices["reach-hub"].Transports);
        }

        [Fact]
        public void Peers_LastSyncIsWhenTheirInventoryArrived_NeverBeforeOne()
        {
            var desk = _kit.AddPeer("desk-a");
            var before = DateTimeOffset.UtcNow;
            _kit.Get<PeerKnowledge>().Inventory(desk, Array.Empty<string>());
            _kit.Get<KitView>().Invalidate();
            var row = _kit.Get<KitView>().Snapshot().Devices.Single(d => d.Name == "desk-a");
            Assert.True(row.LastSyncUtc >= before, row.ToString());

            // Trusted but never synced with: no made-up time.
            _kit.Get<AetherEdge.HostNode.Trust.TrustCircle>().Add(SimulatedKit.FakeDevice("new-d"), "new-d", DateTimeOffset.UtcNow);
            _kit.Get<KitView>().Invalidate();
            Assert.Null(_kit.Get<KitView>().Snapshot().Devices.Single(d => d.Name == "new-d").LastSyncUtc);
        }
    }
}
