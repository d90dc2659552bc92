using System.Collections.Concurrent;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>
    /// The BLE transport's own counters (metrics <c>ble_*</c>), counted where it happens: values written,
    /// beacons seen, connections made or failed, and everything refused, by reason. Packet and byte counts
    /// per transport are the mesh's (<c>mesh_transport_*{transport="ble"}</c>).
    /// </summary>
    public sealed class BleCounters
    {
        /// <summary>Reasons (the <c>reason</c> label of <c>ble_refused_total</c>).</summary>
        public const string Unidentified = "unidentified";
        public const string TransferFailed = "transfer_failed";
        public const string LinksRefused = "links_full";
        public const string WriteFailed = "write_failed";
        public const string BadAdvertisement = "bad_advertisement";
        public const string ConnectFailed = "connect_failed";
        public const string TooManyPeers = "too_many_peers";
        public const string Unsealed = "unsealed";

        private readonly ConcurrentDictionary<string, long> _events = new(StringComparer.Ordinal);
        private long _valuesSent;
        private long _bytesSent;
        private long _valuesReceived;

        /// <summary>Characteristic values written or notified.</summary>
        public long ValuesSent => Interlocked.Read(ref _valuesSent);

        public long BytesSent => Interlocked.Read(ref _bytesSent);

        /// <summary>Characteristic values received (writes from centrals, notifications from peripherals).</summary>
        public long ValuesReceived => Interlocked.Read(ref _valuesReceived);

        /// <summary>Events by name (refusals, failures), for metrics and tests.</summary>
        public long this[string name] => _events.TryGetValue(name, out long v) ? v : 0;

        public IReadOnlyList<KeyValuePair<string, long>> Events() => _events.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();

        public void Count(string name) => _events.AddOrUpdate(name, 1, (_, v) => v + 1);

        public void ValueSent(int bytes)
        {
            Interlocked.Increment(ref _valuesSent);
            Interlocked.Add(ref _bytesSent, bytes);
        }

        public void ValueReceived() => Interlocked.Increment(ref _valuesReceived);
    }
}
