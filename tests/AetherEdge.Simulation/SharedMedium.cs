using AetherEdge.Core.Routing;

namespace AetherEdge.Simulation
{
    /// <summary>
    /// A broadcast radio medium (BLE advertising bearer / LoRa-like): nodes at positions in a unit
    /// square hear everyone within <see cref="Range"/>. A transmission occupies its sender for
    /// (length + PHY overhead) × 8 / bit rate, then each neighbour independently receives it after the
    /// latency unless lost. No collisions are modelled (each sender is half-duplex and serial).
    /// </summary>
    public sealed class SharedMedium
    {
        /// <summary>Preamble, access address, PDU header and CRC of a BLE advertising PDU.</summary>
        public const int PhyOverheadBytes = 10;

        private readonly EventScheduler _clock;
        private readonly SimRandom _random;
        private readonly List<Node> _nodes = new();
        private readonly Dictionary<uint, Node> _byId = new();

        public SharedMedium(EventScheduler clock, int seed, double range, double lossRate, long latencyMicroseconds, long bitRate, int mtu)
        {
            _clock = clock;
            _random = new SimRandom(seed);
            Range = range;
            LossRate = lossRate;
            LatencyMicroseconds = latencyMicroseconds;
            BitRate = bitRate;
            Mtu = mtu;
        }

        public double Range { get; }

        public double LossRate { get; }

        public long LatencyMicroseconds { get; }

        public long BitRate { get; }

        public int Mtu { get; }

        public long Transmissions { get; private set; }

        public long BytesOnAir { get; private set; }

        public long Oversize { get; private set; }

        public IReadOnlyList<uint> NodeIds => _nodes.Select(n => n.Id).ToList();

        public IMeshRadio AddNode(uint id, double x, double y)
        {
            var node = new Node(this, id, x, y);
            _nodes.Add(node);
            _byId[id] = node;
            return node;
        }

        public void Attach(uint id, Router router) => _byId[id].Router = router;

        public IEnumerable<uint> NeighboursOf(uint id) =>
            _nodes.Where(n => n.Id != id && Distance(_byId[id], n) <= Range).Select(n => n.Id);

        /// <summary>Link quality 0..255: 255 next to the sender, 0 at the edge of range.</summary>
        public int Quality(uint a, uint b) =>
            (int)Math.Round(RoutingLimits.MaxLinkQuality * Math.Max(0, 1 - Distance(_byId[a], _byId[b]) / Range));

        public bool IsConnected()
        {
            var seen = new HashSet<uint> { _nodes[0].Id };
            var stack = new Stack<uint>(seen);
            while (stack.Count > 0)
            {
                foreach (uint n in NeighboursOf(stack.Pop()))
                {
                    if (seen.Add(n))
                    {
                        stack.Push(n);
                    }
                }
            }

            return seen.Count == _nodes.Count;
        }

        private static double Distance(Node a, Node b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));

        private sealed class Node : IMeshRadio
        {
            private readonly SharedMedium _medium;
            private long _busyUntil;
            private List<(Node Peer, int Quality)>? _neighbours;

            public Node(SharedMedium medium, uint id, double x, double y)
            {
                _medium = medium;
                Id = id;
                X = x;
                Y = y;
            }

            public uint Id { get; }

            public double X { get; }

            public double Y { get; }

            public Router? Router { get; set; }

            public bool TrySend(uint neighbour, uint exceptNeighbour, byte[] buffer, int offset, int length)
            {
                long now = _medium._clock.NowMicroseconds;
                if (_busyUntil > now)
                {
                    return false;
                }

                if (length > _medium.Mtu)
                {
                    _medium.Oversize++;
                    return true;
                }

                _neighbours ??= _medium._nodes.Where(n => n != this && Distance(this, n) <= _medium.Range)
                    .Select(n => (n, _medium.Quality(Id, n.Id))).ToList();
                long airtime = (length + PhyOverheadBytes) * 8L * 1_000_000L / _medium.BitRate;
                _busyUntil = now + airtime;
                _medium.Transmissions++;
                _medium.BytesOnAir += length + PhyOverheadBytes;
                byte[] copy = buffer.AsSpan(offset, length).ToArray();
                foreach (var (peer, quality) in _neighbours)
                {
                    if (_medium._random.NextDouble() < _medium.LossRate)
                    {
                        continue;
                    }

                    Node target = peer;
                    int q = quality;
                    _medium._clock.At(_busyUntil + _medium.LatencyMicroseconds, () =>
                        target.Router?.OnReceive(Id, q, copy, 0, copy.Length, _medium._clock.MonotonicMilliseconds));
                }

                return true;
            }
        }
    }
}
