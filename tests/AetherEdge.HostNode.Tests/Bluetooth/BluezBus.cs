using System.Collections.Concurrent;
using AetherEdge.HostNode.Bluetooth;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>Class fixture: a private dbus-daemon with a <see cref="SimulatedBluez"/> owning org.bluez on it.</summary>
    public sealed class BluezBus : IAsyncLifetime
    {
        public PrivateBus Bus { get; } = new();

        public SimulatedBluez Bluez { get; private set; } = null!;

        /// <summary>Opens the layer's adapter on this bus, as the hub's hosted service would on the system bus.</summary>
        public Task<BluezAdapter> OpenAdapterAsync() => BluezAdapter.OpenAsync(Bus.Address, callTimeout: TimeSpan.FromSeconds(5));

        public async Task InitializeAsync()
        {
            Bluez = await SimulatedBluez.StartAsync(Bus.Address);
        }

        public Task DisposeAsync()
        {
            Bluez?.Dispose();
            Bus.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>Collects what a link delivers.</summary>
    internal sealed class CollectingReceiver : IBleLinkReceiver
    {
        public BlockingCollection<(string Peer, byte[] Value, int Mtu)> Received { get; } = new();

        public void OnReceived(string peer, byte[] value, int mtu) => Received.Add((peer, value, mtu));

        public (string Peer, byte[] Value, int Mtu) Next()
        {
            Assert.True(Received.TryTake(out (string, byte[], int) item, TimeSpan.FromSeconds(5)), "nothing received within 5 s");
            return item;
        }
    }
}
