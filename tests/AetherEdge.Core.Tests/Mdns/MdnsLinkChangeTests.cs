using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.Core.Tests.Mdns
{
    /// <summary>What a link change does (RFC 6762 §8 probe and announce again, §10.3 re-confirm the cache).</summary>
    public class MdnsLinkChangeTests
    {
        private static readonly byte[] s_addr = { 10, 77, 0, 1 };
        private static readonly byte[] s_moved = { 10, 77, 0, 11 };
        private static readonly DnsName s_instance = DnsName.Parse("Hub._aetherlight._tcp.local");

        private static (SimulatedMulticastLink Link, SimNode Responder, SimNode Browser) Running()
        {
            var link = new SimulatedMulticastLink();
            var r = link.AddResponder("r", "Hub", "aether-a", 43216, s_addr);
            var b = link.AddBrowser("b");
            r.Core.Responder!.Start(link.NowMs);
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(10_000);
            Assert.Equal(MdnsResponderState.Claimed, r.Core.Responder.State);
            Assert.Single(b.Resolved);
            return (link, r, b);
        }

        private static bool IsProbe(SentPacket p) =>
            !p.Message.IsResponse && p.Message.Authorities.Count > 0
            && p.Message.Questions.Cast<DnsQuestion>().Any(q => q.Type == DnsType.Any && q.UnicastResponse && q.Name.NameEquals(s_instance));

        private static bool IsAnnouncement(SentPacket p) =>
            p.Message.IsResponse && p.UnicastTo == null && p.Message.Answers.Count >= 4;

        [Fact]
        public void LinkChanged_Responder_ProbesThreeTimesThenAnnouncesUnderTheSameName()
        {
            var (link, r, b) = Running();
            long t0 = link.NowMs;
            r.Core.Responder!.LinkChanged(t0);
            Assert.Equal(MdnsResponderState.Probing, r.Core.Responder.State);
            link.RunFor(5000);

            var probes = link.Sent.Where(p => p.From == r && p.AtMs >= t0 && IsProbe(p)).Select(p => p.AtMs).ToList();
            Assert.Equal(3, probes.Count);
            Assert.InRange(probes[0] - t0, 0, MdnsLimits.ProbeMaxInitialDelayMs);
            Assert.Equal(new long[] { 250, 250 }, probes.Zip(probes.Skip(1), (x, y) => y - x));
            var announced = link.Sent.Where(p => p.From == r && p.AtMs > probes[2] && IsAnnouncement(p)).ToList();
            Assert.True(announced.Count >= 2, "at least two announcements after re-probing");
            Assert.Equal(probes[2] + MdnsLimits.ProbeIntervalMs, announced[0].AtMs);
            Assert.Equal("Hub", r.Core.Responder.InstanceLabel);
            Assert.Empty(r.Conflicts);
            Assert.Empty(b.Lost);
        }

        [Fact]
        public void LinkChanged_BeforeStart_DoesNothing()
        {
            var link = new SimulatedMulticastLink();
            var r = link.AddResponder("r", "Hub", "aether-a", 43216, s_addr);
            r.Core.Responder!.LinkChanged(link.NowMs);
            link.RunFor(3000);

            Assert.Equal(MdnsResponderState.Idle, r.Core.Responder.State);
            Assert.Empty(link.Sent);
        }

        [Fact]
        public void UpdateAddresses_BrowserEndsUpWithOnlyTheNewAddress()
        {
            var (link, r, b) = Running();
            Assert.True(r.Core.Responder!.UpdateAddresses(new[] { s_moved }, link.NowMs));
            link.RunFor(5000);

            var last = b.Resolved.Last();
            Assert.False(last.IsNew);
            Assert.Equal(s_moved, Assert.Single(last.Service.Addresses));
            Assert.Empty(b.Lost);
        }

        [Fact]
        public void UpdateAddresses_SameSet_ReturnsFalseAndStaysClaimed()
        {
            var (link, r, _) = Running();
            Assert.False(r.Core.Responder!.UpdateAddresses(new[] { (byte[])s_addr.Clone() }, link.NowMs));
            Assert.Equal(MdnsResponderState.Claimed, r.Core.Responder.State);
        }

        [Fact]
        public void LinkChanged_Browser_SendsQuQueryAtOnceAndKeepsWhatIsReconfirmed()
        {
            var (link, _, b) = Running();
            long t0 = link.NowMs;
            b.Core.Browser!.LinkChanged(t0);
            link.RunFor(30_000);

            var first = link.Sent.First(p => p.From == b && p.AtMs >= t0 && !p.Message.IsResponse);
            Assert.InRange(first.AtMs - t0, MdnsLimits.QueryFirstMinDelayMs, MdnsLimits.QueryFirstMaxDelayMs);
            Assert.True(first.Message.Questions.Cast<DnsQuestion>().Single().UnicastResponse, "first query after a link change is QU");
            Assert.Empty(first.Message.Answers.Cast<DnsRecord>());
            Assert.Empty(b.Lost);
        }

        [Fact]
        public void LinkChanged_Browser_DropsServicesNoLongerOnTheLink()
        {
            var (link, r, b) = Running();
            link.Muted.Add(r);
            long t0 = link.NowMs;
            b.Core.Browser!.LinkChanged(t0);
            link.RunFor(MdnsLimits.LinkChangeRecordGraceMs - 100);
            Assert.Empty(b.Lost);
            link.RunFor(200);

            var (service, at) = Assert.Single(b.Lost);
            Assert.Equal("Hub", service.InstanceLabel);
            Assert.Equal(MdnsLimits.LinkChangeRecordGraceMs, at - t0);
        }
    }
}
