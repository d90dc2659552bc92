using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Power;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// This hub's live state: its device with the store's usage (for the scheduler, the Hello and the
    /// metrics: each call reads the store's used bytes, so it is for once-per-round or once-per-session
    /// use, never per shard) and its power, read through the power chain once per round.
    /// </summary>
    public sealed class LocalStatus : IDisposable
    {
        private readonly LocalDevice _device;
        private readonly ShardStoreSyncStore _store;
        private readonly object _gate = new();
        private BatterySourceChain? _power;

        public LocalStatus(LocalDevice device, ShardStoreSyncStore store)
        {
            _device = device;
            _store = store;
        }

        public DeviceProfile Profile() => _device.Profile(_store.UsedBytes);

        public HelloFrame Hello() => _device.Hello(_store.UsedBytes);

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
