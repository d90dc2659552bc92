using System.Collections.Concurrent;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// A simulation of the BLE air between simulated nodes (beacons, phones) in one process: every value one node
    /// writes is handed to the other on one radio thread, in order, so no node calls into another while holding
    /// its own lock. Values to or from a node that is gone are lost, as over the air.
    /// </summary>
    public sealed class SimulatedRadio : IDisposable
    {
        private readonly BlockingCollection<Action> _air = new();
        private readonly Thread _thread;
        private long _values;

        public SimulatedRadio()
        {
            _thread = new Thread(() =>
            {
                foreach (Action deliver in _air.GetConsumingEnumerable())
                {
                    deliver();
                }
            })
            { IsBackground = true, Name = "simulated-radio" };
            _thread.Start();
        }

        /// <summary>Values carried so far.</summary>
        public long Values => Interlocked.Read(ref _values);

        /// <summary>Hands <paramref name="deliver"/> to the radio thread.</summary>
        public void Carry(Action deliver)
        {
            Interlocked.Increment(ref _values);
            try
            {
                _air.Add(deliver);
            }
            catch (InvalidOperationException)
            {
                // the radio was switched off: lost
            }
        }

        /// <summary>Connects two beacons (provisioned peers).</summary>
        public void Connect(SimulatedBeacon a, SimulatedBeacon b, int quality = 200)
        {
            a.Link(b.NodeId, v => Carry(() => b.Receive(a.NodeId, v)), quality);
            b.Link(a.NodeId, v => Carry(() => a.Receive(b.NodeId, v)), quality);
        }

        public void Dispose()
        {
            _air.CompleteAdding();
            _thread.Join();
            _air.Dispose();
        }
    }
}
