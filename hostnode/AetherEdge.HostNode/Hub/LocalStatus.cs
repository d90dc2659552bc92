using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Power;
using AetherEdge.HostNode.Sync;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// This hub's live state: its device with the store's usage (for the scheduler, the Hello and the
    /// metrics: each call reads the store's used bytes, so it is for once-per-round or once-per-session
    /// use, never per shard) and its power, read through the power chain once per round.
    /// </summary>
    public sealed class LocalStatus : IDisposable, IMetricsSource
    {
        private readonly LocalDevice _device;
        private readonly ShardStoreSyncStore _store;
        private readonly object _gate = new();
        private BatterySourceChain? _power;
        private readonly Gauge _batteryPercent, _pluggedIn, _wifi, _allocated, _used, _available;

        public LocalStatus(LocalDevice device, ShardStoreSyncStore store, CollectorRegistry metrics)
        {
            _device = device;
            _store = store;
            var m = Metrics.WithCustomRegistry(metrics);
            _batteryPercent = m.CreateGauge("device_battery_percent", "Battery state of charge.");
            _pluggedIn = m.CreateGauge("device_battery_plugged_in", "1 when on external power.");
            _wifi = m.CreateGauge("device_wifi_connected", "1 when a Wi-Fi or LAN link is up.");
            _allocated = m.CreateGauge("device_storage_allocated_bytes", "Allocation set for shards.");
            _used = m.CreateGauge("device_storage_used_bytes", "Bytes of shards held.");
            _available = m.CreateGauge("device_storage_available_bytes", "Allocation left.");

            // Read when scraped: the store's usage is a query, too dear to keep current on every shard.
            metrics.AddBeforeCollectCallback(Publish);
        }

        public DeviceProfile Profile() => _device.Profile(_store.UsedBytes);

        public HelloFrame Hello() => _device.Hello(_store.UsedBytes);

        private void Publish()
        {
            var p = Profile();
            _batteryPercent.Set(p.Battery.Percent);
            _pluggedIn.Set(p.Battery.PluggedIn ? 1 : 0);
            _wifi.Set(p.WifiConnected ? 1 : 0);
            _allocated.Set(p.AllocationBytes);
            _used.Set(p.UsedBytes);
            _available.Set(p.AvailableBytes);
        }

        /// <summary>Reads the battery through the power chain (fuel gauge, sysfs, else mains).</summary>
        public void RefreshPower()
        {
            lock (_gate)
            {
                _power ??= BatterySourceChain.Create(new PowerOptions());
                var reading = _power.Read();
                _device.SetPower(reading.Status, reading.HasBattery, reading.Source);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _power?.Dispose();
                _power = null;
            }
        }
    }
}
