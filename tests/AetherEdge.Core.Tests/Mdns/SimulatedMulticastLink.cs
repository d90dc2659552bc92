using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.Core.Tests.Mdns
{
    /// <summary>Deterministic randomness: a seeded System.Random, or a fixed value.</summary>
    internal sealed class TestRandom : IRandomSource
    {
        private readonly Random _random;
        private readonly int? _fixed;

        public TestRandom(int seed, int? fixedValue = null)
        {
            _random = new Random(seed);
            _fixed = fixedValue;
        }

        public int Next(int maxExclusive) => _fixed is int f ? Math.Min(f, maxExclusive - 1) : _random.Next(maxExclusive);

        public void NextBytes(byte[] buffer) => _random.NextBytes(buffer);
    }

    /// <summary>A packet seen on the simulated link.</summary>
    internal sealed record SentPacket(long AtMs, SimNode From, SimNode? UnicastTo, DnsMessage Message, int Length);

    /// <summary>One host on the simulated link: a core <see cref="MdnsInterface"/> and its sink.</summary>
    internal sealed class SimNode : IMdnsSink, IMdnsResponderListener, IMdnsBrowserListener
    {
        private readonly SimulatedMulticastLink _link;

        public SimNode(SimulatedMulticastLink link, string name, int port)
        {
            _link = link;
            Name = name;
            Port = port;
        }

        public string Name { get; }

        /// <summary>Source port of this host's packets (5353, or another for a legacy querier).</summary>
        public int Port { get; }

        public MdnsInterface Core { get; set; } = new MdnsInterface(null, null);

        public List<string> Claimed { get; } = new();

        public List<string> Conflicts { get; } = new();

        public List<(MdnsServiceInstance Service, bool IsNew, long AtMs)> Resolved { get; } = new();

        public List<(MdnsServiceInstance Service, long AtMs)> Lost { get; } = new();

        public void Send(byte[] buffer, int length, object? unicastDestination) =>
            _link.Transmit(this, (SimNode?)unicastDestination, buffer.AsSpan(0, length).ToArray());

        public void NameClaimed(string instanceLabel, string hostLabel) => Claimed.Add(instanceLabel);

        /// <summary>Every conflict as (which name, old label, new label).</summary>
        public List<(MdnsNameKind Kind, string Old, string New)> ConflictDetails { get; } = new();

        public void NameConflict(MdnsNameKind kind, string oldLabel, string newLabel)
        {
            ConflictDetails.Add((kind, oldLabel, newLabel));
            Conflicts.Add(kind == MdnsNameKind.Instance ? newLabel : Core.Responder!.InstanceLabel);
        }

        public void ServiceResolved(MdnsServiceInstance service, bool isNew) => Resolved.Add((service, isNew, _link.NowMs));

        public void ServiceLost(MdnsServiceInstance service) => Lost.Add((service, _link.NowMs));

        public override string ToString() => Name;
    }

    /// <summary>
    /// In-memory multicast link with a virtual clock: multicast packets reach every node including the
    /// sender (like IP_MULTICAST_LOOP), unicast packets reach one node; delivery takes <see cref="LatencyMs"/>.
    /// </summary>
    internal sealed class SimulatedMulticastLink
    {
        private readonly List<SimNode> _nodes = new();
        private readonly List<(long At, SimNode From, SimNode? To, byte[] Data)> _inFlight = new();

        public long NowMs { get; private set; } = 1_000_000;

        public int LatencyMs { get; set; } = 1;

        /// <summary>Packets whose source is listed here are dropped (simulated loss).</summary>
        public HashSet<SimNode> Muted { get; } = new();

        public List<SentPacket> Sent { get; } = new();

        public SimNode AddNode(string name, int port = MdnsLimits.Port)
        {
            var node = new SimNode(this, name, port);
            _nodes.Add(node);
            return node;
        }

        public SimNode AddResponder(string name, string instance, string host, int servicePort, byte[] address, IRandomSource? random = null, TxtProperties? txt = null)
        {
            var node = AddNode(name);
            var description = new MdnsServiceDescription(instance, ServiceType, host, servicePort, txt ?? DefaultTxt(), new[] { address });
            node.Core = new MdnsInterface(new MdnsResponder(description, node, random ?? new TestRandom(1), node), null);
            return node;
        }

        public SimNode AddBrowser(string name, IRandomSource? random = null)
        {
            var node = AddNode(name);
            node.Core = new MdnsInterface(null, new MdnsBrowser(ServiceType, node, random ?? new TestRandom(2), node));
            return node;
        }

        public static DnsName ServiceType { get; } = DnsName.Parse("_aetherlight._tcp.local");

        public static TxtProperties DefaultTxt()
        {
            var t = new TxtProperties();
            t.Add("node_id", "n1");
            return t;
        }

        public void Transmit(SimNode from, SimNode? to, byte[] data)
        {
            Sent.Add(new SentPacket(NowMs, from, to, DnsMessage.Parse(data, 0, data.Length), data.Length));
            if (!Muted.Contains(from))
            {
                _inFlight.Add((NowMs + LatencyMs, from, to, data));
            }
        }

        /// <summary>Injects raw bytes as if <paramref name="from"/> had sent them.</summary>
        public void Inject(SimNode from, DnsMessage message, SimNode? to = null)
        {
            var buffer = new byte[DnsLimits.MaxMessageLength];
            Assert.True(message.TryWrite(buffer, 0, buffer.Length, out int n));
            _inFlight.Add((NowMs, from, to, buffer.AsSpan(0, n).ToArray()));
            DeliverDue();
        }

        /// <summary>Advances virtual time to <paramref name="untilMs"/>, delivering packets and stepping nodes.</summary>
        public void RunUntil(long untilMs)
        {
            while (true)
            {
                DeliverDue();
                foreach (var n in _nodes)
                {
                    n.Core.Step(NowMs);
                }

                DeliverDue();
                long next = untilMs;
                foreach (var n in _nodes)
                {
                    next = Math.Min(next, n.Core.NextWakeMs);
                }

                foreach (var p in _inFlight)
                {
                    next = Math.Min(next, p.At);
                }

                if (next <= NowMs)
                {
                    next = NowMs + 1;
                }

                if (next > untilMs)
                {
                    NowMs = untilMs;
                    return;
                }

                NowMs = next;
            }
        }

        public void RunFor(long ms) => RunUntil(NowMs + ms);

        private void DeliverDue()
        {
            while (true)
            {
                int i = _inFlight.FindIndex(p => p.At <= NowMs);
                if (i < 0)
                {
                    return;
                }

                var p = _inFlight[i];
                _inFlight.RemoveAt(i);
                foreach (var n in _nodes)
                {
                    if (p.To == null || p.To == n)
                    {
                        n.Core.Receive(p.Data, 0, p.Data.Length, new MdnsSource(p.From, p.From.Port, p.To != null, n == p.From), NowMs);
                    }
                }
            }
        }
    }
}
