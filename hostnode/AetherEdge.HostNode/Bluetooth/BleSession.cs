using System.Collections.Concurrent;
using System.Threading.Channels;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Gatt;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Mesh;
using Microsoft.Extensions.Logging;
using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>
    /// One life of the BLE transport on one open adapter (until bluetoothd goes away or the hub stops): the
    /// GATT peripheral, the central's scan and connections, and the links made from both. Three loops: the
    /// D-Bus reader delivers values and device updates (never blocks), a connector dials candidates one at
    /// a time, a stepper drives every link's GATT timers every <see cref="BleMeshService.StepMilliseconds"/>.
    /// </summary>
    internal sealed class BleSession : IBleLinkReceiver, IAsyncDisposable
    {
        private readonly BleMeshService _service;
        private readonly BluezAdapter _adapter;
        private readonly MeshLinks _links;
        private readonly BleOptions _options;
        private readonly ILogger _log;
        private readonly ConcurrentDictionary<string, GattMeshLink> _outbound = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, GattMeshLink> _inbound = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, long> _backoffUntil = new(StringComparer.Ordinal);
        private readonly Channel<(BleDevice Device, BleBeacon Beacon)> _candidates =
            Channel.CreateBounded<(BleDevice, BleBeacon)>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropWrite });

        private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);
        private GattPeripheral? _peripheral;
        private BleCentral? _central;

        public BleSession(BleMeshService service, BluezAdapter adapter, MeshLinks links, BleOptions options, ILogger log)
        {
            _service = service;
            _adapter = adapter;
            _links = links;
            _options = options;
            _log = log;
        }

        public async Task RunAsync(CancellationToken stoppingToken)
        {
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _adapter.Lost);
            CancellationToken ct = session.Token;
            var peripheral = new GattPeripheral(_adapter, this, BeaconAdvertisement.CompanyId, _service.OwnAdvertisement(), _options.LocalName);
            _peripheral = peripheral;
            try
            {
                await peripheral.RegisterAsync().ConfigureAwait(false);
            }
            catch (DBusErrorReplyException e)
            {
                // e.g. no LE advertising on this controller: stay a central
                _log.LogWarning("bluetooth: cannot serve the shard service ({Error}); scanning only", e.ErrorMessage);
            }

            var central = new BleCentral(_adapter);
            _central = central;
            central.DeviceUpdated += OnDevice;
            await central.StartScanAsync().ConfigureAwait(false);
            foreach (BleDevice d in central.Devices)
            {
                OnDevice(d);
            }

            Task connector = Task.Run(() => ConnectLoopAsync(ct));
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    StepLinks();
                    await Task.Delay(BleMeshService.StepMilliseconds, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }

            _candidates.Writer.TryComplete();
            await connector.ConfigureAwait(false);
        }

        private void StepLinks()
        {
            long now = _service.Now();
            foreach (KeyValuePair<string, GattMeshLink> e in _outbound)
            {
                if (e.Value.IsClosed)
                {
                    Forget(_outbound, e.Key, e.Value, now);
                    _service.MarkConnected(e.Key, false);
                }
                else
                {
                    e.Value.Step();
                }
            }

            foreach (KeyValuePair<string, GattMeshLink> e in _inbound)
            {
                if (!e.Value.IsClosed && now - e.Value.LastHeardMilliseconds > (long)_options.InboundIdle.TotalMilliseconds)
                {
                    e.Value.Close();
                }

                if (e.Value.IsClosed)
                {
                    Forget(_inbound, e.Key, e.Value, now);
                }
                else
                {
                    e.Value.Step();
                }
            }
        }

        private void Forget(ConcurrentDictionary<string, GattMeshLink> map, string path, GattMeshLink link, long now)
        {
            if (map.TryRemove(KeyValuePair.Create(path, link)))
            {
                _backoffUntil[path] = now + (long)_options.ReconnectBackoff.TotalMilliseconds;
                _ = link.DisposeAsync().AsTask();
                _log.LogInformation("bluetooth: link closed: {Link}", link.Description);
            }
        }

        // D-Bus reader: must not block. Decides whether the device is worth a connection.
        private void OnDevice(BleDevice device)
        {
            BleBeacon? beacon = _service.Recognise(device, _outbound.ContainsKey(device.Path));
            if (beacon == null || beacon.NodeId == _options.NodeId || beacon.NodeId == RoutingLimits.NoNode || beacon.NodeId == RoutingLimits.Broadcast)
            {
                return;
            }

            // Beacons are dialled by everyone; of two hubs (or a hub and a laptop) the smaller node id dials.
            bool dial = beacon.Kind == DeviceKind.Beacon || _options.NodeId < beacon.NodeId;
            if (!dial || _outbound.ContainsKey(device.Path) || _outbound.Count >= _options.MaxCentralLinks
                || (_backoffUntil.TryGetValue(device.Path, out long until) && _service.Now() < until))
            {
                return;
            }

            if (_pending.TryAdd(device.Path, 0) && !_candidates.Writer.TryWrite((device, beacon)))
            {
                _pending.TryRemove(device.Path, out _);
            }
        }

        private async Task ConnectLoopAsync(CancellationToken ct)
        {
            try
            {
                await foreach ((BleDevice device, BleBeacon beacon) in _candidates.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    try
                    {
                        await ConnectAsync(device, beacon).ConfigureAwait(false);
                    }
                    finally
                    {
                        _pending.TryRemove(device.Path, out _);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }

        private async Task ConnectAsync(BleDevice device, BleBeacon beacon)
        {
            var forward = new Forwarder();
            IBleLink ble;
            try
            {
                ble = await _central!.ConnectAsync(device.Path, forward, _options.CallTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (BusMessages.IsGone(e) || e is TimeoutException)
            {
                _service.Counters.Count(BleCounters.ConnectFailed);
                _backoffUntil[device.Path] = _service.Now() + (long)_options.ReconnectBackoff.TotalMilliseconds;
                _log.LogInformation("bluetooth: cannot connect to {Address} ({Error})", device.Address, e.Message);
                return;
            }

            string description = "ble " + beacon.Kind.ToString().ToLowerInvariant() + " " + device.Address + " (" + MeshAddress.Format(beacon.NodeId) + ")";
            var link = new GattMeshLink(description, beacon.NodeId, BleMeshService.QualityOf(device.Rssi), ble.Mtu,
                async value =>
                {
                    await ble.WriteAsync(value).ConfigureAwait(false);
                }, _service.Now, _links.Attach, _service.Counters);
            forward.Target = link;
            if (!_outbound.TryAdd(device.Path, link))
            {
                await link.DisposeAsync().ConfigureAwait(false);
                await ble.DisposeAsync().ConfigureAwait(false);
                return;
            }

            _service.MarkConnected(device.Path, true);
            _log.LogInformation("bluetooth: link up: {Link}, MTU {Mtu}", description, ble.Mtu);
            _ = CloseWithAsync(link, ble);
        }

        // The BlueZ connection ends with the link (write failure, shutdown).
        private static async Task CloseWithAsync(GattMeshLink link, IBleLink ble)
        {
            while (!link.IsClosed)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }

            try
            {
                await ble.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (BusMessages.IsGone(e) || e is TimeoutException)
            {
                // gone already
            }
        }

        /// <summary>A central wrote to our characteristic (D-Bus reader or an acquired socket's thread).</summary>
        public void OnReceived(string peer, byte[] value, int mtu)
        {
            _service.Counters.ValueReceived();
            if (!_inbound.TryGetValue(peer, out GattMeshLink? link) || link.IsClosed)
            {
                if (_inbound.Count >= _options.MaxPeripheralPeers && !_inbound.ContainsKey(peer))
                {
                    _service.Counters.Count(BleCounters.TooManyPeers);
                    return;
                }

                GattPeripheral peripheral = _peripheral!;
                link = _inbound.AddOrUpdate(peer, _ => NewInbound(peer, mtu, peripheral), (_, old) => old.IsClosed ? NewInbound(peer, mtu, peripheral) : old);
            }

            link.OnValue(value);
        }

        private GattMeshLink NewInbound(string peer, int mtu, GattPeripheral peripheral) =>
            new("ble central " + peer, RoutingLimits.NoNode, 128, mtu,
                value => peripheral.Notify(value) ? Task.CompletedTask : Task.FromException(new InvalidOperationException(peer + " did not subscribe to notifications")),
                _service.Now, _links.Attach, _service.Counters);

        public async ValueTask DisposeAsync()
        {
            foreach (GattMeshLink link in _outbound.Values.Concat(_inbound.Values))
            {
                await link.DisposeAsync().ConfigureAwait(false);
            }

            _outbound.Clear();
            _inbound.Clear();
            await DisposeQuietly(_central).ConfigureAwait(false);
            await DisposeQuietly(_peripheral).ConfigureAwait(false);
        }

        private static async Task DisposeQuietly(IAsyncDisposable? d)
        {
            if (d == null)
            {
                return;
            }

            try
            {
                await d.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (BusMessages.IsGone(e) || e is TimeoutException)
            {
                // bluetoothd gone: nothing to undo
            }
        }

        /// <summary>Hands notifications to the link made once the connection is up.</summary>
        private sealed class Forwarder : IBleLinkReceiver
        {
            public volatile GattMeshLink? Target;

            public void OnReceived(string peer, byte[] value, int mtu)
            {
                Target?.Counters.ValueReceived();
                Target?.OnValue(value);
            }
        }
    }
}
