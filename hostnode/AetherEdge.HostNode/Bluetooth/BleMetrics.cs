using AetherEdge.Core.Sealing;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Mesh;
using Prometheus;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>
    /// The BLE transport and sealed frames on the hub's registry: whether BlueZ is up, beacons heard, values each
    /// way, refusals by reason (<see cref="BleCounters"/>), and sealed frames by verdict with the replays refused
    /// (seed threat 3). Packets and bytes per transport are the mesh's (<c>mesh_transport_*{transport="ble"}</c>).
    /// Published from the parts' own counters before every scrape.
    /// </summary>
    public sealed class BleMetrics : IMetricsSource
    {
        private readonly BleMeshService _ble;
        private readonly MeshSealed _sealed;
        private readonly MeshShards _shards;
        private readonly Gauge _up, _beacons;
        private readonly Counter _valuesSent, _valuesReceived, _bytesSent, _refused, _sealedFrames, _replays, _envelopes;

        public BleMetrics(CollectorRegistry registry, BleMeshService ble, MeshSealed sealedFrames, MeshShards shards)
        {
            _shards = shards;
            _ble = ble;
            _sealed = sealedFrames;
            var m = Metrics.WithCustomRegistry(registry);
            _up = m.CreateGauge("ble_up", "1 while BlueZ is open and the shard service runs (0: off or no bluetoothd/adapter).");
            _beacons = m.CreateGauge("ble_peers_seen", "BLE nodes heard advertising the shard service with valid metadata, by device kind.", "kind");
            _valuesSent = m.CreateCounter("ble_values_sent_total", "Characteristic values written or notified (GATT fragments, acks).");
            _valuesReceived = m.CreateCounter("ble_values_received_total", "Characteristic values received.");
            _bytesSent = m.CreateCounter("ble_bytes_sent_total", "Bytes of characteristic values sent.");
            _refused = m.CreateCounter("ble_refused_total", "BLE traffic refused or lost, by reason (unsealed, unidentified, bad_advertisement, ...).", "reason");
            _sealedFrames = m.CreateCounter("mesh_sealed_frames_total", "Sealed frames addressed to this hub, by verdict.", "result");
            _replays = m.CreateCounter("mesh_replays_refused_total", "Sealed frames refused as recorded and played again (stale or a nonce seen before).");
            _envelopes = m.CreateCounter("mesh_shard_envelopes_total", "Sealed shard envelopes received, by result (stored, already_held, bad_hash, no_manifest, not_planned_here, busy, ...).", "result");
            registry.AddBeforeCollectCallback(Publish);
        }

        public void Publish()
        {
            _up.Set(_ble.Running ? 1 : 0);
            foreach (var kind in _ble.Seen.GroupBy(b => b.Kind.ToString().ToLowerInvariant()))
            {
                _beacons.WithLabels(kind.Key).Set(kind.Count());
            }

            _valuesSent.IncTo(_ble.Counters.ValuesSent);
            _valuesReceived.IncTo(_ble.Counters.ValuesReceived);
            _bytesSent.IncTo(_ble.Counters.BytesSent);
            foreach (var e in _ble.Counters.Events())
            {
                _refused.WithLabels(e.Key).IncTo(e.Value);
            }

            _sealedFrames.WithLabels("accepted").IncTo(_sealed.Count(SealVerdict.Accepted));
            _sealedFrames.WithLabels("malformed").IncTo(_sealed.Count(SealVerdict.Malformed));
            _sealedFrames.WithLabels("not_for_us").IncTo(_sealed.Count(SealVerdict.NotForUs));
            _sealedFrames.WithLabels("stale").IncTo(_sealed.Count(SealVerdict.Stale));
            _sealedFrames.WithLabels("stranger").IncTo(_sealed.Count(SealVerdict.Stranger));
            _sealedFrames.WithLabels("replay").IncTo(_sealed.Count(SealVerdict.Replay));
            _sealedFrames.WithLabels("retransmission").IncTo(_sealed.Retransmissions);
            _sealedFrames.WithLabels("source_mismatch").IncTo(_sealed.SourceMismatch);
            _replays.IncTo(_sealed.ReplaysRefused);
            foreach (var r in _shards.Results())
            {
                _envelopes.WithLabels(r.Key).IncTo(r.Value);
            }
        }
    }
}
