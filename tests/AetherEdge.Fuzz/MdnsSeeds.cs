using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.Fuzz
{
    /// <summary>
    /// Real mDNS traffic for seeds: our responder and browser talk over a simulated link for a few simulated
    /// seconds (probes, announcements, queries with known answers, resolves, goodbyes), and every datagram is kept.
    /// Also builds the node the mDNS target feeds.
    /// </summary>
    public static class MdnsSeeds
    {
        public static readonly DnsName ServiceType = DnsName.Parse("_aetherlight._tcp.local");

        public static byte[][] Capture()
        {
            var a = new Node();
            var b = new Node();
            a.Core = NewNode(a, "fuzz node", "fuzzhost", 1);
            b.Core = NewNode(b, "other node", "otherhost", 2);
            a.Core.Responder!.Start(0);
            a.Core.Browser!.Start(0);
            b.Core.Browser!.Start(0);
            b.Core.Responder!.Start(5);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var seeds = new List<byte[]>();
            for (long now = 0; now <= 12_000; now += 25)
            {
                if (now == 9_000)
                {
                    a.Core.Responder.Stop(now);
                }

                foreach (var (from, to) in new[] { (a, b), (b, a) })
                {
                    from.Core!.Step(now);
                    foreach (byte[] packet in from.Drain())
                    {
                        if (seen.Add(Convert.ToHexString(packet)))
                        {
                            seeds.Add(packet);
                        }

                        to.Core!.Receive(packet, 0, packet.Length, new MdnsSource(from, MdnsLimits.Port, false), now);
                    }
                }
            }

            return seeds.ToArray();
        }

        /// <summary>A responder and a browser on one interface, sending into <paramref name="sink"/>.</summary>
        public static MdnsInterface NewNode(IMdnsSink sink, string instance, string host, int seed)
        {
            var txt = new TxtProperties();
            txt.Add("node_id", host);
            txt.Add("device_type", "hub");
            txt.Add("storage_bytes", "1000");
            txt.Add("fp", "f00d");
            var description = new MdnsServiceDescription(instance, ServiceType, host, 43216, txt,
                new[] { new byte[] { 10, 77, 0, (byte)seed }, new byte[] { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)seed } });
            var random = new SeededRandom(seed);
            var listener = new Listener();
            return new MdnsInterface(new MdnsResponder(description, sink, random, listener), new MdnsBrowser(ServiceType, sink, random, listener));
        }

        /// <summary>Collects what a node sends.</summary>
        public sealed class Node : IMdnsSink
        {
            private readonly List<byte[]> _sent = new();

            public MdnsInterface? Core { get; set; }

            public int SentCount { get; private set; }

            public void Send(byte[] buffer, int length, object? unicastDestination)
            {
                SentCount++;
                _sent.Add(buffer.AsSpan(0, length).ToArray());
            }

            public byte[][] Drain()
            {
                var all = _sent.ToArray();
                _sent.Clear();
                return all;
            }
        }

        private sealed class SeededRandom : IRandomSource
        {
            private readonly Random _random;

            public SeededRandom(int seed)
            {
                _random = new Random(seed);
            }

            public int Next(int maxExclusive) => _random.Next(maxExclusive);

            public void NextBytes(byte[] buffer) => _random.NextBytes(buffer);
        }

        private sealed class Listener : IMdnsResponderListener, IMdnsBrowserListener
        {
            public void NameClaimed(string instanceLabel, string hostLabel)
            {
            }

            public void NameConflict(MdnsNameKind kind, string oldName, string newName)
            {
            }

            public void ServiceResolved(MdnsServiceInstance service, bool isNew)
            {
            }

            public void ServiceLost(MdnsServiceInstance service)
            {
            }
        }
    }
}
