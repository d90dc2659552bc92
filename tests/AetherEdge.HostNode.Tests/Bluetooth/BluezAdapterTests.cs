using System.Net.Sockets;
using System.Text;
using AetherEdge.HostNode.Bluetooth;
using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// Opening and losing the BlueZ layer the way a hosted service will: every "no Bluetooth here" outcome is one
    /// exception type with a reason, within the call timeout; bluetoothd or the bus going away cancels Lost.
    /// </summary>
    public class BluezAdapterTests
    {
        private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(5);

        [Fact]
        public async Task Open_WithSimulatedBluez_ReadsAdapterAddressAndBluetoothdName()
        {
            using var bus = new PrivateBus();
            using SimulatedBluez bluez = await SimulatedBluez.StartAsync(bus.Address);
            await using BluezAdapter adapter = await BluezAdapter.OpenAsync(bus.Address, callTimeout: s_limit);
            Assert.Equal(BluezNames.DefaultAdapterPath, adapter.AdapterPath);
            Assert.Equal(SimulatedBluez.AdapterAddress, adapter.Address);
            Assert.Equal(bluez.UniqueName, adapter.BluezUniqueName);
            Assert.StartsWith(":1.", adapter.UniqueName);
            Assert.False(adapter.Lost.IsCancellationRequested);
        }

        [Fact]
        public async Task Open_BusWithoutBluetoothd_FailsWithNoBluetoothd()
        {
            using var bus = new PrivateBus();
            var ex = await Assert.ThrowsAsync<BluetoothUnavailableException>(() => BluezAdapter.OpenAsync(bus.Address, callTimeout: s_limit));
            Assert.Equal(BluetoothUnavailableReason.NoBluetoothd, ex.Reason);
            Assert.Contains("bluetoothd is not running", ex.Message);
        }

        [Fact]
        public async Task Open_AdapterBluetoothdDoesNotHave_FailsWithNoAdapter()
        {
            using var bus = new PrivateBus();
            using SimulatedBluez bluez = await SimulatedBluez.StartAsync(bus.Address);
            var ex = await Assert.ThrowsAsync<BluetoothUnavailableException>(() => BluezAdapter.OpenAsync(bus.Address, "/org/bluez/hci1", s_limit));
            Assert.Equal(BluetoothUnavailableReason.NoAdapter, ex.Reason);
            Assert.Contains("/org/bluez/hci1", ex.Message);
        }

        [Fact]
        public async Task Open_NoSocketAtAddress_FailsWithBusUnreachable()
        {
            string path = Path.Combine(Path.GetTempPath(), "aether-no-bus-" + Guid.NewGuid().ToString("N"));
            var ex = await Assert.ThrowsAsync<BluetoothUnavailableException>(() => BluezAdapter.OpenAsync("unix:path=" + path, callTimeout: s_limit));
            Assert.Equal(BluetoothUnavailableReason.BusUnreachable, ex.Reason);
            Assert.Contains(path, ex.Message);
        }

        [Fact]
        public async Task Open_BadAddress_FailsWithBusUnreachable()
        {
            var ex = await Assert.ThrowsAsync<BluetoothUnavailableException>(() => BluezAdapter.OpenAsync("nonsense", callTimeout: s_limit));
            Assert.Equal(BluetoothUnavailableReason.BusUnreachable, ex.Reason);
        }

        [Fact]
        public async Task Open_ServerRejectsAuthentication_FailsWithBusUnreachable()
        {
            BluetoothUnavailableException ex = await OpenAgainstScriptedServer(async s =>
            {
                Assert.StartsWith("AUTH EXTERNAL", await ReadLine(s));
                await s.SendAsync(Encoding.ASCII.GetBytes("REJECTED EXTERNAL\r\n"));
            }, s_limit);
            Assert.Equal(BluetoothUnavailableReason.BusUnreachable, ex.Reason);
        }

        [Fact]
        public async Task Open_ServerNeverAnswers_FailsWithBusUnreachableWithinTheTimeout()
        {
            BluetoothUnavailableException ex = await OpenAgainstScriptedServer(async s =>
            {
                // stay silent until the client gives up and closes its end
                using var cts = new CancellationTokenSource(s_limit);
                while (await s.ReceiveAsync(new byte[64], cts.Token) > 0)
                {
                }
            }, TimeSpan.FromMilliseconds(300));
            Assert.Equal(BluetoothUnavailableReason.BusUnreachable, ex.Reason);
            Assert.Contains("handshake", ex.Message);
        }

        [Fact]
        public async Task Lost_WhenBluetoothdLeaves_IsCancelledAndCallsNeverReachItsSuccessor()
        {
            using var bus = new PrivateBus();
            SimulatedBluez first = await SimulatedBluez.StartAsync(bus.Address);
            await using BluezAdapter adapter = await BluezAdapter.OpenAsync(bus.Address, callTimeout: s_limit);
            var peripheral = new GattPeripheral(adapter, new CollectingReceiver(), 0xFFFF, new byte[] { 1 }, "aether-hub");
            await peripheral.RegisterAsync();
            first.Dispose();
            await CancelledWithin(adapter.Lost, s_limit);
            await peripheral.DisposeAsync(); // closing after the loss is quiet: nothing left to unregister

            // bluetoothd restarts under the same name: the old adapter's calls must not reach the new instance
            using SimulatedBluez second = await SimulatedBluez.StartAsync(bus.Address);
            await using var central = new BleCentral(adapter);
            await Assert.ThrowsAsync<DBusOwnerChangedException>(() => central.StartScanAsync());
            Assert.Null(second.DiscoveryFilter);
            Assert.False(second.Discovering);

            await using BluezAdapter reopened = await BluezAdapter.OpenAsync(bus.Address, callTimeout: s_limit);
            Assert.Equal(second.UniqueName, reopened.BluezUniqueName);
        }

        [Fact]
        public async Task Lost_WhenTheBusGoesAway_IsCancelled()
        {
            var bus = new PrivateBus();
            using SimulatedBluez bluez = await SimulatedBluez.StartAsync(bus.Address);
            BluezAdapter adapter = await BluezAdapter.OpenAsync(bus.Address, callTimeout: s_limit);
            var peripheral = new GattPeripheral(adapter, new CollectingReceiver(), 0xFFFF, new byte[] { 1 }, "aether-hub");
            await peripheral.RegisterAsync();
            bus.Dispose();
            await CancelledWithin(adapter.Lost, s_limit);

            // a host closing in the wrong order still closes quietly
            await adapter.DisposeAsync();
            await peripheral.DisposeAsync();
        }

        private static async Task CancelledWithin(CancellationToken token, TimeSpan limit)
        {
            var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (token.Register(() => cancelled.TrySetResult()))
            {
                await cancelled.Task.WaitAsync(limit);
            }
        }

        private static async Task<BluetoothUnavailableException> OpenAgainstScriptedServer(Func<Socket, Task> script, TimeSpan timeout)
        {
            string dir = Path.Combine(Path.GetTempPath(), "aether-fake-bus-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, "bus");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            try
            {
                Task server = Task.Run(async () =>
                {
                    using Socket peer = await listener.AcceptAsync();
                    await script(peer);
                });
                var ex = await Assert.ThrowsAsync<BluetoothUnavailableException>(() => BluezAdapter.OpenAsync("unix:path=" + path, callTimeout: timeout));
                await server.WaitAsync(s_limit);
                return ex;
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        private static async Task<string> ReadLine(Socket s)
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
            {
                if (await s.ReceiveAsync(one) == 0)
                {
                    break;
                }

                if (one[0] != 0)
                {
                    line.Append((char)one[0]);
                }
            }

            return line.ToString().TrimEnd();
        }
    }
}
