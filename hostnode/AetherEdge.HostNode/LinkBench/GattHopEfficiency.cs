using AetherEdge.Core.Gatt;
using AetherEdge.Core.Relay;
using AetherEdge.Core.Routing;

namespace AetherEdge.HostNode.LinkBench
{
    /// <summary>Figures of one simulated BLE hop carrying one routed shard.</summary>
    public sealed record HopFigures(int Mtu, double Loss, int ShardBytes, long Values, long Retransmissions, long AttBytes, long AirBytes, bool Completed)
    {
        /// <summary>Shard bytes / ATT bytes used in both directions (values + 3-byte ATT headers).</summary>
        public double Efficiency => (double)ShardBytes / AttBytes;

        /// <summary>Share of ATT bytes that are ATT headers (3 per value, BLE's own).</summary>
        public double AttHeaderShare => 3.0 * Values / AttBytes;

        /// <summary>Share of ATT bytes that are ours: fragment headers, acks, routing header, envelope, retransmissions.</summary>
        public double ProtocolShare => 1 - Efficiency - AttHeaderShare;

        /// <summary>Shard bytes / bytes on air (ATT + L2CAP 4 + link layer 10 per value).</summary>
        public double AirEfficiency => (double)ShardBytes / AirBytes;
    }

    /// <summary>
    /// Simulated per-hop efficiency of the GATT transfer protocol: one shard in a shard envelope in a
    /// routed packet, sent over an in-memory link with the given ATT MTU and independent loss per value
    /// (seeded), counting every value in both directions (fragments, retransmissions, acks, fails).
    /// </summary>
    public static class GattHopEfficiency
    {
        /// <summary>L2CAP header (4) + LL preamble, access address, header, CRC (10) per value.</summary>
        public const int LinkLayerBytesPerValue = 14;

        public static HopFigures Measure(int mtu, double loss, int shardBytes, int seed)
        {
            int packetBytes = RoutingLimits.HeaderBytes + ShardEnvelope.HeaderBytes + shardBytes;
            var random = new Random(seed);
            var aToB = new Pipe(mtu, loss, random);
            var bToA = new Pipe(mtu, loss, random);
            var sink = new Sink();
            var a = new GattEndpoint(aToB, sink, sink, 1, packetBytes);
            var b = new GattEndpoint(bToA, sink, sink, 1, packetBytes);
            var packet = new byte[packetBytes];
            random.NextBytes(packet);
            a.Sender.TryStart(packet, 0, packet.Length, 0);
            for (long now = 0; now < 600_000 && !sink.Done; now += 5)
            {
                a.Step(now);
                b.Step(now);
                aToB.DeliverTo(b, now);
                bToA.DeliverTo(a, now);
            }

            long values = aToB.Values + bToA.Values;
            long att = aToB.Bytes + bToA.Bytes;
            return new HopFigures(mtu, loss, shardBytes, values, a.Sender.FragmentsRetransmitted, att, att + (values * LinkLayerBytesPerValue), sink.Completed);
        }

        private sealed class Pipe : IGattLink
        {
            private readonly Queue<byte[]> _queue = new();
            private readonly double _loss;
            private readonly Random _random;

            public Pipe(int mtu, double loss, Random random)
            {
                MaxWriteLength = GattLimits.AttPayloadForMtu(mtu);
                _loss = loss;
                _random = random;
            }

            public int MaxWriteLength { get; }

            public long Values { get; private set; }

            public long Bytes { get; private set; }

            public bool TryWrite(byte[] buffer, int offset, int length)
            {
                if (_queue.Count >= 16)
                {
                    return false;
                }

                Values++;
                Bytes += length + GattLimits.AttHeaderBytes;
                if (_random.NextDouble() >= _loss)
                {
                    _queue.Enqueue(buffer.AsSpan(offset, length).ToArray());
                }

                return true;
            }

            public void DeliverTo(GattEndpoint target, long now)
            {
                while (_queue.Count > 0)
                {
                    byte[] value = _queue.Dequeue();
                    target.OnValue(value, 0, value.Length, now);
                }
            }
        }

        private sealed class Sink : IGattSendListener, IGattReceiveListener
        {
            public bool Done;
            public bool Completed;

            public void OnSendProgress(int transferId, int ackedBytes, int totalBytes)
            {
            }

            public void OnSendCompleted(int transferId) => Done = Completed = true;

            public void OnSendFailed(int transferId, GattFailReason reason) => Done = true;

            public void OnReceiveProgress(int transferId, int receivedBytes, int totalBytes)
            {
            }

            public void OnReceived(int transferId, byte[] buffer, int offset, int length)
            {
            }

            public void OnReceiveFailed(int transferId, GattFailReason reason)
            {
            }
        }
    }
}
