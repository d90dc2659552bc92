using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.Core.Tests.Mdns
{
    public class MdnsBrowserTests
    {
        private static readonly byte[] s_addr = { 10, 77, 0, 1 };
        private static readonly DnsName s_type = DnsName.Parse("_aetherlight._tcp.local");
        private static readonly DnsName s_instance = DnsName.Parse("Hub._aetherlight._tcp.local");
        private static readonly DnsName s_host = DnsName.Parse("aether-a.local");

        private static List<SentPacket> Queries(SimulatedMulticastLink link, SimNode node) =>
            link.Sent.Where(p => p.From == node && !p.Message.IsResponse).ToList();

        private static bool AsksPtr(SentPacket p) =>
            p.Message.Questions.Cast<DnsQuestion>().Any(q => q.Type == DnsType.Ptr && q.Name.NameEquals(s_type));

        private static DnsMessage FullResponse(long ptrTtl = 4500, long srvTtl = 120, bool flush = true)
        {
            var m = new DnsMessage { Flags = DnsMessage.FlagResponse | DnsMessage.FlagAuthoritative };
            m.Answers.Add(DnsRecord.CreatePtr(s_type, s_instance, ptrTtl));
            m.Additionals.Add(DnsRecord.CreateSrv(s_instance, s_host, 43216, srvTtl, flush));
            var txt = new TxtProperties();
            txt.Add("node_id", "abc");
            m.Additionals.Add(DnsRecord.CreateTxt(s_instance, txt.ToStrings(), 4500, flush));
            m.Additionals.Add(DnsRecord.CreateAddress(s_host, s_addr, srvTtl, flush));
            return m;
        }

        [Fact]
        public void Start_FirstQueryQuAfter20To120ms_ThenGapsDoubleFromOneSecond()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            long t0 = link.NowMs;
            b.Core.Browser!.Start(t0);
            link.RunFor(40_000);

            var q = Queries(link, b).Where(AsksPtr).ToList();
            Assert.InRange(q[0].AtMs - t0, MdnsLimits.QueryFirstMinDelayMs, MdnsLimits.QueryFirstMaxDelayMs);
            Assert.True(q[0].Message.Questions.Cast<DnsQuestion>().Single().UnicastResponse, "first query is QU");
            Assert.All(q.Skip(1), p => Assert.False(p.Message.Questions.Cast<DnsQuestion>().Single().UnicastResponse));
            var gaps = q.Zip(q.Skip(1), (x, y) => y.AtMs - x.AtMs).ToList();
            Assert.Equal(new long[] { 1000, 2000, 4000, 8000, 16000 }, gaps);
        }

        [Fact]
        public void QueryGap_CappedAtSixtyMinutes()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(5L * 3_600_000);
            var q = Queries(link, b).Where(AsksPtr).ToList();
            var gaps = q.Zip(q.Skip(1), (x, y) => y.AtMs - x.AtMs).ToList();
            Assert.Equal(MdnsLimits.QueryMaxGapMs, gaps.Max());
            Assert.Equal(MdnsLimits.QueryMaxGapMs, gaps[^1]);
        }

        [Fact]
        public void Browser_FindsResponderOnLink_WithTxtPortAndAddress()
        {
            var link = new SimulatedMulticastLink();
            var r = link.AddResponder("r", "Hub", "aether-a", 43216, s_addr);
            r.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);
            var b = link.AddBrowser("b");
            long t0 = link.NowMs;
            b.Core.Browser!.Start(t0);
            link.RunFor(1000);

            var (service, isNew, at) = Assert.Single(b.Resolved);
            Assert.True(isNew);
            Assert.Equal("Hub", service.InstanceLabel);
            Assert.Equal(43216, service.Port);
            Assert.Equal(s_addr, Assert.Single(service.Addresses));
            Assert.Equal("n1", TxtProperties.Parse(service.Txt).GetString("NODE_ID"));
            Assert.True(at - t0 <= MdnsLimits.QueryFirstMaxDelayMs + 10, "QU query of a running responder is answered at once");
        }

        [Fact]
        public void Browser_RunningBeforeResponder_FindsItFromAnnouncement()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(10_000);
            var r = link.AddResponder("r", "Hub", "aether-a", 43216, s_addr);
            long t0 = link.NowMs;
            r.Core.Responder!.Start(t0);
            link.RunFor(2000);
            var (_, _, at) = Assert.Single(b.Resolved);
            Assert.True(at - t0 < 1100, $"found {at - t0} ms after start; probing takes 750-1000 ms");
        }

        [Fact]
        public void RepeatedQuery_CarriesKnownAnswers_ResponderStaysSilent()
        {
            var link = new SimulatedMulticastLink();
            var r = link.AddResponder("r", "Hub", "aether-a", 43216, s_addr);
            r.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);
            var b = link.AddBrowser("b");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(1500);
            long t0 = link.NowMs;
            link.RunFor(5000);

            var later = Queries(link, b).Where(p => p.AtMs >= t0 && AsksPtr(p)).ToList();
            Assert.NotEmpty(later);
            Assert.All(later, p => Assert.Contains(p.Message.Answers.Cast<DnsRecord>(), k => k.Type == DnsType.Ptr && k.Target!.NameEquals(s_instance)));
            Assert.DoesNotContain(link.Sent, p => p.From == r && p.AtMs >= t0);
        }

        [Fact]
        public void Goodbye_ServiceLostAfterOneSecond()
        {
            var link = new SimulatedMulticastLink();
            var r = link.AddResponder("r", "Hub", "aether-a", 43216, s_addr);
            var b = link.AddBrowser("b");
            r.Core.Responder!.Start(link.NowMs);
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(5000);
            Assert.Single(b.Resolved);
            long t0 = link.NowMs;
            r.Core.Responder.Stop(t0);
            link.RunFor(900);
            Assert.Empty(b.Lost);
            link.RunFor(200);
            var (service, at) = Assert.Single(b.Lost);
            Assert.Equal("Hub", service.InstanceLabel);
            Assert.InRange(at - t0, 1000, 1010);
        }

        [Fact]
        public void TtlExpiry_WithoutGoodbye_ServiceLostAndRefreshQueriesSentAt80To95Percent()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            var peer = link.AddNode("peer");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(200);
            long t0 = link.NowMs;
            link.Inject(peer, FullResponse(ptrTtl: 100, srvTtl: 100));
            Assert.Single(b.Resolved);
            link.RunFor(99_000);
            Assert.Empty(b.Lost);
            link.RunFor(1_100);
            Assert.Single(b.Lost);

            var srvRefresh = Queries(link, b)
                .Where(p => p.Message.Questions.Cast<DnsQuestion>().Any(q => q.Type == DnsType.Srv))
                .Select(p => (p.AtMs - t0) / 1000.0).ToList();
            Assert.Equal(4, srvRefresh.Count);
            for (int i = 0; i < 4; i++)
            {
                Assert.InRange(srvRefresh[i], 80 + (5 * i), 82 + (5 * i));
            }
        }

        [Fact]
        public void NotInterested_NoRefreshQueries()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            var peer = link.AddNode("peer");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(200);
            link.Inject(peer, FullResponse(ptrTtl: 100, srvTtl: 100));
            b.Core.Browser.Stop();
            int before = Queries(link, b).Count;
            Assert.True(b.Core.NextWakeMs >= link.NowMs + 99_000, "only the expiry is scheduled, not the 80 % refresh");
            link.RunFor(120_000);
            Assert.Equal(before, Queries(link, b).Count);
            Assert.Single(b.Lost);
        }

        [Fact]
        public void CacheFlush_OlderRecordsOfSameSetExpireInOneSecond()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            var peer = link.AddNode("peer");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(200);
            link.Inject(peer, FullResponse());
            link.RunFor(5000);
            var moved = new DnsMessage { Flags = DnsMessage.FlagResponse };
            moved.Answers.Add(DnsRecord.CreateAddress(s_host, new byte[] { 10, 77, 0, 9 }, 120, true));
            link.Inject(peer, moved);
            link.RunFor(1100);

            var a = b.Core.Browser.Cache.Find(s_host, DnsType.A, link.NowMs).Cast<DnsRecord>().ToList();
            Assert.Equal(new byte[] { 10, 77, 0, 9 }, Assert.Single(a).Address);
            Assert.Equal(new byte[] { 10, 77, 0, 9 }, Assert.Single(b.Resolved.Last().Service.Addresses));
            Assert.False(b.Resolved.Last().IsNew);
        }

        [Fact]
        public void NoCacheFlushBit_OldAndNewAddressesBothKept()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            var peer = link.AddNode("peer");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(200);
            link.Inject(peer, FullResponse());
            link.RunFor(5000);
            var more = new DnsMessage { Flags = DnsMessage.FlagResponse };
            more.Answers.Add(DnsRecord.CreateAddress(s_host, new byte[] { 10, 77, 0, 9 }, 120, false));
            link.Inject(peer, more);
            link.RunFor(1100);
            Assert.Equal(2, b.Core.Browser.Cache.Find(s_host, DnsType.A, link.NowMs).Count);
        }

        [Fact]
        public void PtrOnlyAnswer_BrowserQueriesSrvTxtThenAddress_WithBackoff()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            var peer = link.AddNode("peer");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(200);
            var ptrOnly = new DnsMessage { Flags = DnsMessage.FlagResponse };
            ptrOnly.Answers.Add(DnsRecord.CreatePtr(s_type, s_instance, 4500));
            link.Inject(peer, ptrOnly);
            link.RunFor(3500);

            var srvQueries = Queries(link, b).Where(p => p.Message.Questions.Cast<DnsQuestion>().Any(q => q.Type == DnsType.Srv && q.Name.NameEquals(s_instance))).ToList();
            Assert.Equal(3, srvQueries.Count);
            Assert.Equal(1000, srvQueries[1].AtMs - srvQueries[0].AtMs);
            Assert.Equal(2000, srvQueries[2].AtMs - srvQueries[1].AtMs);
            Assert.Contains(srvQueries[0].Message.Questions.Cast<DnsQuestion>(), q => q.Type == DnsType.Txt);

            var full = FullResponse();
            var srvTxt = new DnsMessage { Flags = DnsMessage.FlagResponse };
            srvTxt.Answers.Add(full.Additionals[0]);
            srvTxt.Answers.Add(full.Additionals[1]);
            link.Inject(peer, srvTxt);
            link.RunFor(10);
            Assert.Contains(Queries(link, b), p => p.Message.Questions.Cast<DnsQuestion>().Any(q => q.Type == DnsType.A && q.Name.NameEquals(s_host)));
            Assert.Empty(b.Resolved);
            var addr = new DnsMessage { Flags = DnsMessage.FlagResponse };
            addr.Answers.Add(full.Additionals[2]);
            link.Inject(peer, addr);
            Assert.Single(b.Resolved);
        }

        [Fact]
        public void UnicastResponse_WithoutRecentQuQuery_Ignored()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            var peer = link.AddNode("peer");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(5000);
            link.Inject(peer, FullResponse(), to: b);
            Assert.Empty(b.Resolved);
            link.Inject(peer, FullResponse());
            Assert.Single(b.Resolved);
        }

        [Fact]
        public void KnownAnswersOverMtu_SplitIntoTruncatedPackets()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            var peer = link.AddNode("peer");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(200);
            var many = new DnsMessage { Flags = DnsMessage.FlagResponse };
            for (int i = 0; i < 120; i++)
            {
                many.Answers.Add(DnsRecord.CreatePtr(s_type, s_type.Prepend("node-with-a-long-name-" + i), 4500));
            }

            link.Inject(peer, many);
            long t0 = link.NowMs;
            link.RunFor(1200);
            var burst = Queries(link, b).Where(p => p.AtMs >= t0).ToList();
            Assert.True(burst.Count >= 2);
            Assert.All(burst, p => Assert.True(p.Length <= DnsLimits.Ipv4MulticastPayload));
            var ptrBurst = burst.Where(p => p.AtMs == burst.First(AsksPtr).AtMs).ToList();
            Assert.True(ptrBurst.Count >= 2);
            Assert.All(ptrBurst.Take(ptrBurst.Count - 1), p => Assert.True(p.Message.IsTruncated));
            Assert.False(ptrBurst[^1].Message.IsTruncated);
            Assert.Equal(120, ptrBurst.Sum(p => p.Message.Answers.Cast<DnsRecord>().Count(r => r.Type == DnsType.Ptr)));
        }

        [Fact]
        public void MalformedPacket_CountedAndDropped()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            b.Core.Receive(new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1 }, 0, 8, new MdnsSource(null, 5353, false), link.NowMs);
            Assert.Equal(1, b.Core.MalformedPackets);
            Assert.Contains("header", b.Core.LastError);
        }
    }
}
