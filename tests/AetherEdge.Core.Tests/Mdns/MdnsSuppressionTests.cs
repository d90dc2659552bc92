using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.Core.Tests.Mdns
{
    /// <summary>Duplicate question suppression (RFC 6762 §7.3) and passive observation of failures (§10.5).</summary>
    public class MdnsSuppressionTests
    {
        private static readonly byte[] s_addr = { 10, 77, 0, 1 };
        private static readonly DnsName s_type = DnsName.Parse("_aetherlight._tcp.local");
        private static readonly DnsName s_instance = DnsName.Parse("Hub._aetherlight._tcp.local");

        private static List<long> PtrQueryTimes(SimulatedMulticastLink link, SimNode node) =>
            link.Sent.Where(p => p.From == node && !p.Message.IsResponse
                && p.Message.Questions.Cast<DnsQuestion>().Any(q => q.Type == DnsType.Ptr && q.Name.NameEquals(s_type)))
                .Select(p => p.AtMs).ToList();

        private static DnsMessage PtrQuery(bool unicast = false, params DnsRecord[] known)
        {
            var m = new DnsMessage();
            m.Questions.Add(new DnsQuestion(s_type, DnsType.Ptr, unicast));
            foreach (var k in known)
            {
                m.Answers.Add(k);
            }

            return m;
        }

        /// <summary>A browser whose first two PTR queries went out; returns the time of the second.</summary>
        private static (SimulatedMulticastLink Link, SimNode Browser, SimNode Other, long Second) BrowserAfterTwoQueries()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            var other = link.AddNode("other");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(1500);
            var times = PtrQueryTimes(link, b);
            Assert.Equal(2, times.Count);
            return (link, b, other, times[1]);
        }

        [Fact]
        public void SameQmQuestionLateInOurInterval_OurQueryCountsAsSentAndTheGapDoubles()
        {
            var (link, b, other, second) = BrowserAfterTwoQueries();
            link.RunUntil(second + 1600);
            long seen = link.NowMs;
            link.Inject(other, PtrQuery());
            link.RunUntil(seen + 9000);

            // Due at second + 2000 but suppressed; the next gap (4 s) counts from the other host's query.
            Assert.Equal(seen + 4000, Assert.Single(PtrQueryTimes(link, b), t => t > second));
        }

        [Fact]
        public void SameQmQuestionEarlyInOurInterval_OurQueryStillGoesOut()
        {
            var (link, b, other, second) = BrowserAfterTwoQueries();
            link.RunUntil(second + 500);
            link.Inject(other, PtrQuery());
            link.RunUntil(second + 2500);

            Assert.Equal(second + 2000, PtrQueryTimes(link, b).Single(t => t > second));
        }

        [Fact]
        public void OtherQueryListsKnownAnswerWeLack_OurQueryStillGoesOut()
        {
            var (link, b, other, second) = BrowserAfterTwoQueries();
            link.RunUntil(second + 1600);
            var theirs = DnsRecord.CreatePtr(s_type, DnsName.Parse("Elsewhere._aetherlight._tcp.local"), 4500);
            link.Inject(other, PtrQuery(false, theirs));
            link.RunUntil(second + 2500);

            Assert.Equal(second + 2000, PtrQueryTimes(link, b).Single(t => t > second));
        }

        [Fact]
        public void OtherQueryIsQu_OurQueryStillGoesOut()
        {
            var (link, b, other, second) = BrowserAfterTwoQueries();
            link.RunUntil(second + 1600);
            link.Inject(other, PtrQuery(unicast: true));
            link.RunUntil(second + 2500);

            Assert.Equal(second + 2000, PtrQueryTimes(link, b).Single(t => t > second));
        }

        [Fact]
        public void OwnLoopedBackQueries_DoNotSuppressTheSchedule()
        {
            var link = new SimulatedMulticastLink();
            var b = link.AddBrowser("b");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(40_000);

            var q = PtrQueryTimes(link, b);
            var gaps = q.Zip(q.Skip(1), (x, y) => y - x).ToList();
            Assert.Equal(new long[] { 1000, 2000, 4000, 8000, 16000 }, gaps);
        }

        /// <summary>A browser that resolved a running responder, with time moved 5 s past it.</summary>
        private static (SimulatedMulticastLink Link, SimNode Responder, SimNode Browser, SimNode Other) Resolved()
        {
            var link = new SimulatedMulticastLink();
            var r = link.AddResponder("r", "Hub", "aether-a", 43216, s_addr);
            r.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);
            var b = link.AddBrowser("b");
            var other = link.AddNode("other");
            b.Core.Browser!.Start(link.NowMs);
            link.RunFor(5000);
            Assert.Single(b.Resolved);
            return (link, r, b, other);
        }

        [Fact]
        public void Poof_TwoUnansweredQueries_ServiceLostTenSecondsAfterTheFirst()
        {
            var (link, r, b, other) = Resolved();
            link.Muted.Add(r);
            long first = link.NowMs;
            link.Inject(other, PtrQuery());
            link.RunFor(2000);
            link.Inject(other, PtrQuery());
            link.RunUntil(first + MdnsLimits.PoofWindowMs - 100);
            Assert.Empty(b.Lost);
            link.RunUntil(first + MdnsLimits.PoofWindowMs + 100);

            var (service, at) = Assert.Single(b.Lost);
            Assert.Equal("Hub", service.InstanceLabel);
            Assert.InRange(at - first, MdnsLimits.PoofWindowMs, MdnsLimits.PoofWindowMs + 100);
        }

        [Fact]
        public void Poof_OneUnansweredQuery_RecordKept()
        {
            var (link, r, b, other) = Resolved();
            link.Muted.Add(r);
            link.Inject(other, PtrQuery());
            link.RunFor(30_000);

            Assert.Empty(b.Lost);
        }

        [Fact]
        public void Poof_QueriesAnsweredByTheLiveResponder_RecordKept()
        {
            var (link, _, b, other) = Resolved();
            link.Inject(other, PtrQuery());
            link.RunFor(2000);
            link.Inject(other, PtrQuery());
            link.RunFor(30_000);

            Assert.Empty(b.Lost);
            Assert.Single(b.Core.Browser!.Cache.Find(s_type, DnsType.Ptr, link.NowMs));
        }

        [Fact]
        public void Poof_QueriesListingTheRecordAsKnown_NotCounted()
        {
            var (link, r, b, other) = Resolved();
            link.Muted.Add(r);
            var known = DnsRecord.CreatePtr(s_type, s_instance, 4500);
            link.Inject(other, PtrQuery(false, known));
            link.RunFor(2000);
            link.Inject(other, PtrQuery(false, known));
            link.RunFor(30_000);

            Assert.Empty(b.Lost);
        }

        [Fact]
        public void Poof_QuQueriesOrQueriesRightAfterAnAnswer_NotCounted()
        {
            var (link, r, b, other) = Resolved();
            link.Inject(other, PtrQuery());
            link.RunFor(300);
            link.Muted.Add(r);

            // Within 1 s of the answer the responder's rate limit keeps it silent, so silence proves nothing.
            link.Inject(other, PtrQuery());
            link.RunFor(2000);
            link.Inject(other, PtrQuery(unicast: true));
            link.RunFor(2000);
            link.Inject(other, PtrQuery(unicast: true));
            link.RunFor(30_000);

            Assert.Empty(b.Lost);
        }
    }
}
