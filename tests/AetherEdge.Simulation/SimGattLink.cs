using AetherEdge.Core.Gatt;

namespace AetherEdge.Simulation
{
    /// <summary>
    /// One direction of a simulated BLE connection: ATT values of at most MTU − 3 bytes, serialized at
    /// the bit rate with link-layer overhead, delivered after the latency unless lost. At most
    /// <see cref="MaxQueuedFrames"/> values wait in the controller (write-without-response credits);
    /// beyond that TryWrite returns false.
    /// </summary>
    public sealed class SimGattLink : IGattLink
    {
        /// <summary>LL preamble 1 + access address 4 + header 2 + CRC 3 + L2CAP header 4.</summary>
        public const int LinkOverheadBytes = 14;

        private readonly EventScheduler _clock;
        private readonly SimRandom _random;
        private readonly double _lossRate;
        private readonly long _latencyMicroseconds;
        private readonly long _bitRate;
        private long _busyUntil;
        private int _queued;

        public SimGattLink(EventScheduler clock, int seed, int mtu, double lossRate, long latencyMicroseconds, long bitRate, int maxQueuedFrames = 8)
        {
            _clock = clock;
            _random = new SimRandom(seed);
            MaxWriteLength = GattLimits.AttPayloadForMtu(mtu);
            _lossRate = lossRate;
            _latencyMicroseconds = latencyMicroseconds;
            _bitRate = bitRate;
            MaxQueuedFrames = maxQueuedFrames;
        }

        public int MaxWriteLength { get; }

        public int MaxQueuedFrames { get; }

        /// <summary>Where delivered values go: (bytes, now in ms).</summary>
        public Action<byte[], long>? Deliver { get; set; }

        public long Frames { get; private set; }

        public long Lost { get; private set; }

        /// <summary>ATT-level bytes: each value plus its 3-byte ATT header.</summary>
        public long AttBytes { get; private set; }

        /// <summary>Bytes on air including link-layer and L2CAP overhead.</summary>
        public long AirBytes { get; private set; }

        public bool TryWrite(byte[] buffer, int offset, int length)
        {
            if (length > MaxWriteLength)
            {
                throw new InvalidOperationException("value of " + length + " bytes over ATT payload " + MaxWriteLength);
            }

            if (_queued >= MaxQueuedFrames)
            {
                return false;
            }

            long now = _clock.NowMicroseconds;
            long start = Math.Max(now, _busyUntil);
            long air = length + GattLimits.AttHeaderBytes + LinkOverheadBytes;
            _busyUntil = start + (air * 8L * 1_000_000L / _bitRate);
            _queued++;
            Frames++;
            AttBytes += length + GattLimits.AttHeaderBytes;
            AirBytes += air;
            byte[] copy = buffer.AsSpan(offset, length).ToArray();
            bool lost = _random.NextDouble() < _lossRate;
            long sent = _busyUntil;
            _clock.At(sent, () => _queued--);
            if (lost)
            {
                Lost++;
                return true;
            }

            _clock.At(sent + _latencyMicroseconds, () => Deliver?.Invoke(copy, _clock.MonotonicMilliseconds));
            return true;
        }
    }
}
