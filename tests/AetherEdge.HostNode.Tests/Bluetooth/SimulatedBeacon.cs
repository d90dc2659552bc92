using AetherEdge.Core.FuelGauge;
using AetherEdge.Core.Gatt;
using AetherEdge.Firmware.Beacon;
using AetherEdge.Simulation;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// A simulation of a beacon (no ESP32 here): the firmware's own logic (<see cref="BeaconNode"/>: GATT
    /// transfers, router, SD-card LRU cache on a simulated card) behind a simulated radio. Each hub it serves
    /// sees it through its own <see cref="SimulatedBluez"/> (one private dbus-daemon per hub, as each hub has its
    /// own bluetoothd): values the hub writes to the peer characteristic reach the beacon's port for that hub,
    /// values the beacon writes on that port come back as the peer's notifications. Steps every 5 ms like
    /// the firmware's runner; one lock stands in for the firmware's gate. With a <see cref="SimulatedFuelGauge"/> its
    /// battery comes from the firmware's own gauge path (<see cref="BatteryMonitor"/>), read at start; without one
    /// it reports no battery (the firmware's reading when the gauge does not answer).
    /// </summary>
    public sealed class SimulatedBeacon : IDisposable
    {
        public const uint TemporaryIdBase = 0x7E000000;

        private readonly object _gate = new();
        private readonly BatteryMonitor? _battery;
        private readonly Thread _thread;
        private readonly long _start = Environment.TickCount64;
        private volatile bool _running = true;
        private int _ports;

        public SimulatedBeacon(uint nodeId, long allocationBytes = 1 << 20, int maxPacketBytes = 8192, SimulatedFuelGauge? gauge = null)
        {
            var config = new BeaconConfig(nodeId, allocationBytes) { MaxPacketBytes = maxPacketBytes, MaxNeighbours = 4 };
            Node = new BeaconNode(config, new SimulatedSdCard(), new SimRandom((int)nodeId));
            if (gauge != null)
            {
                _battery = new BatteryMonitor(new Max1704xGauge(gauge, Max1704xVariant.Max17048), Node, BatteryMonitor.DefaultPeriodMilliseconds, chargerSensed: false);
                _battery.Step(0);
            }
            else
            {
                Node.UpdateNoBattery();
            }

            _thread = new Thread(Run) { IsBackground = true, Name = "simulated-beacon" };
            _thread.Start();
        }

        /// <summary>The firmware logic; lock <see cref="Gate"/> to read it.</summary>
        public BeaconNode Node { get; }

        public object Gate => _gate;

        public uint NodeId => Node.Router.NodeId;

        private long Now => Environment.TickCount64 - _start;

        /// <summary>The scan-response metadata the beacon advertises, as BlueZ reports it (after the company id).</summary>
        public byte[] ManufacturerData()
        {
            var ad = new byte[BeaconAdvertisement.Length];
            lock (_gate)
            {
                Node.TryWriteAdvertisement(ad, 0, out _);
            }

            return ad.AsSpan(2).ToArray();
        }

        /// <summary>Starts a simulated bluetoothd on <paramref name="busAddress"/> whose one peer device is this beacon.</summary>
        public async Task<(SimulatedBluez Bluez, uint Port)> ServeAsync(string busAddress)
        {
            uint port = TemporaryIdBase + (uint)Interlocked.Increment(ref _ports);
            SimulatedBluez? bluez = null;
            bluez = await SimulatedBluez.StartAsync(busAddress, ManufacturerData(), value =>
            {
                lock (_gate)
                {
                    Node.Links.OnValue(port, value, 0, value.Length, Now);
                }
            });
            lock (_gate)
            {
                Node.Links.AddUnidentifiedNeighbour(port, new Port(v => bluez.NotifyFromPeer(v)), 200);
            }

            return (bluez, port);
        }

        /// <summary>False once killed (power cut mid-transfer): it hears and sends nothing more.</summary>
        public bool Alive => _running;

        /// <summary>
        /// A radio link to another BLE node with a known node id (a provisioned peer beacon, a phone): values the
        /// beacon writes to it go to <paramref name="send"/> (the simulated radio), values from it arrive by <see cref="Receive"/>.
        /// </summary>
        public void Link(uint neighbour, Action<byte[]> send, int quality = 200)
        {
            lock (_gate)
            {
                Node.Links.AddNeighbour(neighbour, new Port(v =>
                {
                    if (_running)
                    {
                        send(v);
                    }
                }), quality);
            }
        }

        /// <summary>A value from <paramref name="neighbour"/> over the simulated radio.</summary>
        public void Receive(uint neighbour, byte[] value)
        {
            if (!_running)
            {
                return;
            }

            lock (_gate)
            {
                Node.Links.OnValue(neighbour, value, 0, value.Length, Now);
            }
        }

        /// <summary>Power cut: the beacon stops at once (its cache stays on the simulated card).</summary>
        public void Kill() => _running = false;

        private void Run()
        {
            while (_running)
            {
                lock (_gate)
                {
                    Node.Step(Now);
                    _battery?.Step(Now);
                }

                Thread.Sleep(5);
            }
        }

        public void Dispose()
        {
            _running = false;
            _thread.Join();
        }

        private sealed class Port : IGattLink
        {
            private readonly Action<byte[]> _notify;

            public Port(Action<byte[]> notify)
            {
                _notify = notify;
            }

            public int MaxWriteLength => SimulatedBluez.PeerMtu - GattLimits.AttHeaderBytes;

            public bool TryWrite(byte[] buffer, int offset, int length)
            {
                _notify(buffer.AsSpan(offset, length).ToArray());
                return true;
            }
        }
    }
}
