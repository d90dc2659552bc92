using System.Collections.Concurrent;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Gatt;
using AetherEdge.Core.Protocol;
using AetherEdge.HostNode.Mesh;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>What the hub's BLE transport uses: which adapter (null = off), which bus, and what it advertises.</summary>
    public sealed record BleOptions(string? Adapter, string BusAddress, uint NodeId, DeviceKind Kind, long AllocationBytes, string LocalName)
    {
        /// <summary>The hub.json / --bluetooth value that turns BLE off.</summary>
        public const string Off = "off";

        public const string DefaultAdapter = "hci0";

        /// <summary>How often an absent bluetoothd or adapter is looked for again.</summary>
        public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);

        /// <summary>D-Bus call timeout (connects, registrations).</summary>
        public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

        /// <summary>Connections this hub opens to beacons and hubs at most.</summary>
        public int MaxCentralLinks { get; init; } = 8;

        /// <summary>Centrals (phones, laptops, other hubs) served at most.</summary>
        public int MaxPeripheralPeers { get; init; } = 8;

        /// <summary>A central that has written nothing for this long is forgotten.</summary>
        public TimeSpan InboundIdle { get; init; } = TimeSpan.FromSeconds(120);

        /// <summary>After a failed or lost connection, a device is not dialled again for this long.</summary>
        public TimeSpan ReconnectBackoff { get; init; } = TimeSpan.FromSeconds(10);

        public string AdapterPath => "/org/bluez/" + Adapter;
    }

    /// <summary>
    /// A BLE node heard advertising the shard service with valid metadata (for <c>aether peers</c>, the dashboard and
    /// metrics): its fuel-gauge reading as advertised (<see cref="NoBattery"/>: mains only, the percent means nothing).
    /// Unauthenticated, like every advertisement: shown, never trusted.
    /// </summary>
    public sealed record BleBeacon(string Address, string? Name, uint NodeId, DeviceKind Kind, long AllocationBytes, int BatteryPercent,
        bool PluggedIn, bool AcceptsBulk, short? Rssi, DateTimeOffset LastSeen, bool Connected, bool NoBattery = false);

    /// <summary>
    /// <c>aether hub</c>'s BLE transport (issue 15): opens BlueZ when an adapter is present (one log line and
    /// a quiet retry every 30 s when bluetoothd or the adapter is absent; the hub keeps its other links),
    /// serves the shard service as a GATT peripheral (phones, laptops, hubs connect to it) with our
    /// metadata advertised, and as a central scans for the service UUID, reads each device's advertised
    /// metadata (<see cref="BeaconAdvertisement"/>) and connects to beacons (and to hubs with a larger node
    /// id, so two hubs make one connection). Every connection becomes a <see cref="GattMeshLink"/> attached to
    /// <see cref="MeshLinks"/>, so the hub's one router runs over BLE and its links to hubs at once.
    /// Advertisements are unauthenticated: they only make the hub try a connection; what the link carries
    /// is checked above it (router, signed records, sealed frames).
    /// </summary>
    public sealed class BleMeshService : BackgroundService
    {
        public const int StepMilliseconds = 20;

        private readonly BleOptions _options;
        private readonly MeshLinks _links;
        private readonly TimeProvider _clock;
        private readonly ILogger<BleMeshService> _log;
        private readonly long _origin;
        private readonly ConcurrentDictionary<string, BleBeacon> _seen = new(StringComparer.Ordinal);
        private volatile string _state = "starting";

        public BleMeshService(BleOptions options, MeshLinks links, TimeProvider clock, ILogger<BleMeshService> log)
        {
            _options = options;
            _links = links;
            _clock = clock;
            _log = log;
            _origin = clock.GetTimestamp();
        }

        public BleCounters Counters { get; } = new();

        public BleOptions Options => _options;

        /// <summary>"off", "unavailable: why", "running on hci0 (address)".</summary>
        public string State => _state;

        /// <summary>True while BlueZ is open and the GATT service registered or scanning.</summary>
        public bool Running { get; private set; }

        /// <summary>Nodes seen advertising the shard service with valid metadata, most recent first.</summary>
        public IReadOnlyList<BleBeacon> Seen => _seen.Values.OrderByDescending(b => b.LastSeen).ToList();

        internal long Now() => (long)_clock.GetElapsedTime(_origin).TotalMilliseconds;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (_options.Adapter == null)
            {
                _state = "off";
                _log.LogInformation("bluetooth: off");
                return;
            }

            string? lastProblem = null;
            while (!stoppingToken.IsCancellationRequested)
            {
                BluezAdapter adapter;
                try
                {
                    adapter = await BluezAdapter.OpenAsync(_options.BusAddress, _options.AdapterPath, _options.CallTimeout, stoppingToken).ConfigureAwait(false);
                }
                catch (BluetoothUnavailableException e)
                {
                    _state = "unavailable: " + e.Message;
                    if (e.Message != lastProblem)
                    {
                        lastProblem = e.Message;
                        _log.LogWarning("bluetooth: not available ({Message}); the hub runs on its other links and looks again every {Seconds} s", e.Message, (int)_options.RetryInterval.TotalSeconds);
                    }

                    await Sleep(_options.RetryInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                lastProblem = null;
                try
                {
                    await using var session = new BleSession(this, adapter, _links, _options, _log);
                    _state = "running on " + _options.Adapter + " (" + adapter.Address + ")";
                    _log.LogInformation("bluetooth: {State}", _state);
                    Running = true;
                    await session.RunAsync(stoppingToken).ConfigureAwait(false);
                    if (!stoppingToken.IsCancellationRequested)
                    {
                        _log.LogWarning("bluetooth: bluetoothd went away; opening it again");
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is not OutOfMemoryException)
                {
                    _log.LogWarning("bluetooth: stopped ({Error}); trying again in {Seconds} s", e.Message, (int)_options.RetryInterval.TotalSeconds);
                    _state = "failed: " + e.Message;
                    await Sleep(_options.RetryInterval, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    Running = false;
                    await adapter.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        private async Task Sleep(TimeSpan delay, CancellationToken ct)
        {
            try
            {
                await Task.Delay(delay, _clock, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>Our own metadata, as beacons advertise theirs.</summary>
        internal byte[] OwnAdvertisement()
        {
            var ad = new BeaconAdvertisement
            {
                Kind = _options.Kind,
                NodeId = _options.NodeId,
                AllocationBytes = _options.AllocationBytes,
                BatteryPercent = 100,
                PluggedIn = true,
                AcceptsBulk = true,
            };
            var bytes = new byte[BeaconAdvertisement.Length];
            ad.TryWrite(bytes, 0, out _);
            return bytes.AsSpan(2).ToArray(); // BlueZ adds the company id from the a{qv} key
        }

        /// <summary>Parses a device's metadata; null (and counted) when it has none or it is malformed.</summary>
        internal BleBeacon? Recognise(BleDevice device, bool connected)
        {
            if (!device.ManufacturerData.TryGetValue(BeaconAdvertisement.CompanyId, out byte[]? data))
            {
                Counters.Count(BleCounters.BadAdvertisement);
                return null;
            }

            var full = new byte[data.Length + 2];
            full[0] = BeaconAdvertisement.CompanyId & 0xFF;
            full[1] = BeaconAdvertisement.CompanyId >> 8;
            data.CopyTo(full, 2);
            BeaconAdvertisement ad;
            try
            {
                ad = BeaconAdvertisement.Parse(full, 0, full.Length);
            }
            catch (ProtocolViolationException)
            {
                Counters.Count(BleCounters.BadAdvertisement);
                return null;
            }

            var seen = new BleBeacon(device.Address, device.Name, ad.NodeId, ad.Kind, ad.AllocationBytes, ad.BatteryPercent, ad.PluggedIn, ad.AcceptsBulk,
                device.Rssi, _clock.GetUtcNow(), connected, ad.NoBattery);
            if (_seen.Count < BleCentral.MaxTrackedDevices || _seen.ContainsKey(device.Path))
            {
                _seen[device.Path] = seen;
            }

            return seen;
        }

        internal void MarkConnected(string path, bool connected)
        {
            if (_seen.TryGetValue(path, out BleBeacon? b))
            {
                _seen[path] = b with { Connected = connected };
            }
        }

        /// <summary>RSSI (dBm) as link quality 0..255: −100 dBm or worse is 0, −40 dBm or better 255.</summary>
        internal static int QualityOf(short? rssi) => rssi is short r ? Math.Clamp((r + 100) * 255 / 60, 0, 255) : 128;
    }
}
