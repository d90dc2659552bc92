namespace AetherEdge.Firmware.Glue
{
    using System;
    using System.Threading;
    using AetherEdge.Core.Abstractions;
    using AetherEdge.Firmware.Beacon;

    /// <summary>
    /// The thread that drives the beacon's state machines every <see cref="StepMilliseconds"/>, reads the fuel
    /// gauge when its monitor is due and advertises again when what the beacon advertises changed.
    /// </summary>
    public sealed class BeaconRunner
    {
        /// <summary>Step period: well under the GATT ack timeout (300 ms) and the 7.5 ms connection interval's multiples.</summary>
        public const int StepMilliseconds = 5;

        private readonly BeaconNode _node;
        private readonly object _gate;
        private readonly BatteryMonitor _battery;
        private readonly BleGattServer _server;
        private Thread? _thread;
        private bool _running;

        /// <summary>Creates the runner; <paramref name="gate"/> is shared with the BLE adapters.</summary>
        public BeaconRunner(BeaconNode node, object gate, BatteryMonitor battery, BleGattServer server)
        {
            _node = node;
            _gate = gate;
            _battery = battery;
            _server = server;
        }

        /// <summary>Starts the stepping thread.</summary>
        public void Start()
        {
            _running = true;
            _thread = new Thread(Run);
            _thread.Start();
        }

        /// <summary>Stops after the current step.</summary>
        public void Stop()
        {
            _running = false;
        }

        private void Run()
        {
            while (_running)
            {
                bool advertise;
                lock (_gate)
                {
                    long now = Environment.TickCount64;
                    _node.Step(now);
                    advertise = _battery.Step(now);
                }

                if (advertise)
                {
                    _server.Advertise(); // takes the gate itself
                }

                Thread.Sleep(StepMilliseconds);
            }
        }
    }

    /// <summary>Boot-relative milliseconds from the tick counter (monotonic) and the RTC for wall time.</summary>
    public sealed class TickClock : IClock
    {
        /// <inheritdoc/>
        public long MonotonicMilliseconds
        {
            get { return Environment.TickCount64; }
        }

        /// <inheritdoc/>
        public DateTime UtcNow
        {
            get { return DateTime.UtcNow; }
        }
    }

    /// <summary>Jitter randomness from System.Random (not secret: only rebroadcast delays use it).</summary>
    public sealed class SystemRandomSource : IRandomSource
    {
        private readonly Random _random;

        /// <summary>Seeds from the tick counter and node id so neighbours do not share a sequence.</summary>
        public SystemRandomSource(uint nodeId)
        {
            _random = new Random((int)(nodeId ^ (uint)Environment.TickCount64));
        }

        /// <inheritdoc/>
        public int Next(int maxExclusive)
        {
            return _random.Next(maxExclusive);
        }

        /// <inheritdoc/>
        public void NextBytes(byte[] buffer)
        {
            _random.NextBytes(buffer);
        }
    }
}
