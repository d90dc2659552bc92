using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.HostNode.Discovery
{
    /// <summary>
    /// Runs a canned response through the codec, browser and <see cref="PeerInfo"/> once, so the JIT has
    /// compiled the receive path while the first query's 20–120 ms delay (RFC 6762 §5.2) elapses.
    /// Touches no socket and no shared state.
    /// </summary>
    internal static class MdnsWarmUp
    {
        public static void Run(DnsName serviceType)
        {
            var instance = serviceType.Prepend("warm-up");
            var host = DnsName.Parse("warm-up.local");
            var txt = AetherTxt.Build("0", "hub", 0);
            var m = new DnsMessage { Flags = DnsMessage.FlagResponse | DnsMessage.FlagAuthoritative };
            m.Answers.Add(DnsRecord.CreatePtr(serviceType, instance, MdnsLimits.OtherRecordTtl));
            m.Additionals.Add(DnsRecord.CreateSrv(instance, host, 1, MdnsLimits.HostRecordTtl, true));
            m.Additionals.Add(DnsRecord.CreateTxt(instance, txt.ToStrings(), MdnsLimits.OtherRecordTtl, true));
            m.Additionals.Add(DnsRecord.CreateAddress(host, new byte[] { 192, 0, 2, 1 }, MdnsLimits.HostRecordTtl, true));
            var buffer = new byte[DnsLimits.MaxMessageLength];
            if (!m.TryWrite(buffer, 0, buffer.Length, out int n))
            {
                return;
            }

            var sink = new Sink();
            var browser = new MdnsBrowser(serviceType, sink, new SystemRandom(), sink);
            new MdnsInterface(null, browser).Receive(buffer, 0, n, new MdnsSource(null, MdnsLimits.Port, false), 0);
        }

        private sealed class Sink : IMdnsSink, IMdnsBrowserListener
        {
            public void Send(byte[] buffer, int length, object? unicastDestination)
            {
            }

            public void ServiceResolved(MdnsServiceInstance service, bool isNew) => PeerInfo.From(service, "warm-up", 0);

            public void ServiceLost(MdnsServiceInstance service)
            {
            }
        }
    }
}
