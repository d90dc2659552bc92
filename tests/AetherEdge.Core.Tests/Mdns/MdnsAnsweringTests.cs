using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;
using Xunit;

namespace AetherEdge.Core.Tests.Mdns
{
    public class MdnsAnsweringTests
    {
        private static readonly byte[] s_addr = { 10, 77, 0, 1 };
        private static readonly DnsName s_type = DnsName.Parse("_aetherlight._tcp.local");
        private static readonly DnsName s_instance = DnsName.Parse("Hub._aetherlight._tcp.local");
        private static readonly DnsName s_host = DnsName.Parse("aether-a.local");

        private readonly SimulatedMulticastLink _link = new();
        private readonly SimNode _responder;
        private readonly SimNode _querier;

        public MdnsAnsweringTests()
        {
            _responder = _link.AddResponder("r", "Hub", "aether-a", 43216, s_addr);
            _responder.Core.Responder!.Start(_link.NowMs);
            _link.RunFor(5000);
            _querier = _link.AddNode("q");
        }

        private static DnsMessage Query(DnsName name, int type, bool qu = false)
        {
            var m = new DnsMessage();
            m.Questions.Add(new DnsQuestion(name, type, qu));
            return m;
        }

        private List<SentPacket> Replies(long after) => _link.Sent.Where(p => p.From == _responder && p.AtMs >= after).ToList();

        [Fact]
        public void PtrQuery_SharedAnswerDelayed20To120ms_WithSrvTxtAddressAndNsecAdditionals()
        {
            _link.RunFor(2000);
            long t0 = _link.NowMs;
            _link.Inject(_querier, Query(s_type, DnsType.Ptr));
            Assert.Empty(Replies(t0));
            _link.RunFor(200);

            var reply = Assert.Single(Replies(t0));
            Assert.InRange(reply.AtMs - t0, MdnsLimits.SharedAnswerMinDelayMs, MdnsLimits.SharedAnswerMaxDelayMs);
            Assert.Null(reply.UnicastTo);
            var ptr = Assert.Single(reply.Message.Answers.Cast<DnsRecord>());
            Assert.True(ptr.Type == DnsType.Ptr && ptr.Target!.NameEquals(s_instance) && !ptr.CacheFlush);
            var extra = reply.Message.Additionals.Cast<DnsRecord>().ToList();
            Assert.Contains(extra, r => r.Type == DnsType.Srv && r.Port == 43216);
            Assert.Contains(extra, r => r.Type == DnsType.Txt);
            Assert.Contains(extra, r => r.Type == DnsType.A && r.Name.NameEquals(s_host));
            var nsec = Assert.Single(extra, r => r.Type == DnsType.Nsec);
            Assert.Equal(new[] { DnsType.A }, nsec.NsecTypes);
        }

        [Fact]
        public void UniqueQuery_AnsweredWithoutDelay_SrvCarriesAddress()
        {
            _link.RunFor(2000);
            long t0 = _link.NowMs;
            _link.Inject(_querier, Query(s_instance, DnsType.Srv));
            var reply = Assert.Single(Replies(t0));
            Assert.Equal(t0, reply.AtMs);
            Assert.Equal(DnsType.Srv, Assert.Single(reply.Message.Answers.Cast<DnsRecord>()).Type);
            Assert.Contains(reply.Message.Additionals.Cast<DnsRecord>(), r => r.Type == DnsType.A);
            Assert.DoesNotContain(reply.Message.Additionals.Cast<DnsRecord>(), r => r.Type == DnsType.Txt);
        }

        [Fact]
        public void KnownAnswer_WithHalfTtlOrMore_Suppressed_BelowHalf_Answered()
        {
            _link.RunFor(2000);
            var ptr = DnsRecord.CreatePtr(s_type, s_instance, MdnsLimits.OtherRecordTtl / 2);
            var q = Query(s_type, DnsType.Ptr);
            q.Answers.Add(ptr);
            long t0 = _link.NowMs;
            _link.Inject(_querier, q);
            _link.RunFor(200);
            Assert.Empty(Replies(t0));

            _link.RunFor(1000);
            var stale = Query(s_type, DnsType.Ptr);
            stale.Answers.Add(DnsRecord.CreatePtr(s_type, s_instance, (MdnsLimits.OtherRecordTtl / 2) - 1));
            long t1 = _link.NowMs;
            _link.Inject(_querier, stale);
            _link.RunFor(200);
            Assert.Single(Replies(t1));
        }

        [Fact]
        public void QuQuery_RecentlyMulticast_AnsweredByUnicastToQuerier()
        {
            _link.RunFor(2000);
            long t0 = _link.NowMs;
            _link.Inject(_querier, Query(s_instance, DnsType.Any, qu: true));
            var reply = Assert.Single(Replies(t0));
            Assert.Equal(_querier, reply.UnicastTo);
            Assert.Contains(reply.Message.Answers.Cast<DnsRecord>(), r => r.Type == DnsType.Srv);
            Assert.Contains(reply.Message.Answers.Cast<DnsRecord>(), r => r.Type == DnsType.Txt);
        }

        [Fact]
        public void QuQuery_NotMulticastWithinQuarterTtl_AnsweredByMulticast()
        {
            // SRV TTL 120 s: a quarter is 30 s since the last announcement.
            _link.RunFor(40_000);
            long t0 = _link.NowMs;
            _link.Inject(_querier, Query(s_instance, DnsType.Srv, qu: true));
            var reply = Assert.Single(Replies(t0));
            Assert.Null(reply.UnicastTo);
        }

        [Fact]
        public void MulticastRateLimit_SameRecordAtMostOncePerSecond()
        {
            _link.RunFor(2000);
            long t0 = _link.NowMs;
            _link.Inject(_querier, Query(s_instance, DnsType.Srv));
            _link.RunFor(500);
            _link.Inject(_querier, Query(s_instance, DnsType.Srv));
            Assert.Single(Replies(t0));
            _link.RunFor(600);
            _link.Inject(_querier, Query(s_instance, DnsType.Srv));
            Assert.Equal(2, Replies(t0).Count);
        }

        [Fact]
        public void LegacyQuery_UnicastReplyEchoesIdAndQuestion_NoFlushTtlCapped()
        {
            var legacy = _link.AddNode("legacy", port: 40000);
            long t0 = _link.NowMs;
            var q = Query(s_instance, DnsType.Srv);
            q.Id = 0x4242;
            q.Questions.Add(new DnsQuestion(s_host, DnsType.A, false));
            _link.Inject(legacy, q);

            var reply = Assert.Single(Replies(t0));
            Assert.Equal(legacy, reply.UnicastTo);
            Assert.Equal(0x4242, reply.Message.Id);
            Assert.Equal(2, reply.Message.Questions.Count);
            Assert.Equal(2, reply.Message.Answers.Count);
            Assert.All(reply.Message.Answers.Cast<DnsRecord>().Concat(reply.Message.Additionals.Cast<DnsRecord>()), r =>
            {
                Assert.False(r.CacheFlush);
                Assert.True(r.Ttl <= MdnsLimits.LegacyMaxTtl);
            });
        }

        [Fact]
        public void TruncatedQuery_Waits400To500ms_AndContinuationKnownAnswersSuppress()
        {
            _link.RunFor(2000);
            long t0 = _link.NowMs;
            var q = Query(s_type, DnsType.Ptr);
            q.Flags = DnsMessage.FlagTruncated;
            _link.Inject(_querier, q);
            _link.RunFor(300);
            var continuation = new DnsMessage();
            continuation.Answers.Add(DnsRecord.CreatePtr(s_type, s_instance, MdnsLimits.OtherRecordTtl));
            _link.Inject(_querier, continuation);
            _link.RunFor(400);
            Assert.Empty(Replies(t0));

            _link.RunFor(1000);
            long t1 = _link.NowMs;
            _link.Inject(_querier, q);
            _link.RunFor(600);
            var reply = Assert.Single(Replies(t1));
            Assert.InRange(reply.AtMs - t1, MdnsLimits.TruncatedMinDelayMs, MdnsLimits.TruncatedMaxDelayMs);
        }

        [Fact]
        public void DuplicateAnswerSuppression_OtherHostMulticastsSameRecord_OursCancelled()
        {
            _link.RunFor(2000);
            long t0 = _link.NowMs;
            _link.Inject(_querier, Query(s_type, DnsType.Ptr));
            var other = _link.AddNode("proxy");
            var dup = new DnsMessage { Flags = DnsMessage.FlagResponse };
            dup.Answers.Add(DnsRecord.CreatePtr(s_type, s_instance, MdnsLimits.OtherRecordTtl));
            _link.Inject(other, dup);
            _link.RunFor(200);
            Assert.Empty(Replies(t0));
        }

        [Fact]
        public void ResponseFromPortOtherThan5353_Ignored()
        {
            var spoof = _link.AddNode("spoof", port: 12345);
            var m = new DnsMessage { Flags = DnsMessage.FlagResponse };
            m.Answers.Add(DnsRecord.CreateSrv(s_instance, DnsName.Parse("evil.local"), 1, 120, true));
            _link.Inject(spoof, m);
            Assert.Equal(MdnsResponderState.Claimed, _responder.Core.Responder!.State);
        }

        [Fact]
        public void NonZeroOpcodeOrRcode_Ignored()
        {
            _link.RunFor(2000);
            long t0 = _link.NowMs;
            var q = Query(s_instance, DnsType.Srv);
            q.Flags = 1 << 11;
            _link.Inject(_querier, q);
            var r = Query(s_instance, DnsType.Srv);
            r.Flags = 3;
            _link.Inject(_querier, r);
            Assert.Empty(Replies(t0));
        }

        [Fact]
        public void ProbeForOwnedName_DefendedImmediatelyByMulticast()
        {
            _link.RunFor(2000);
            long t0 = _link.NowMs;
            var probe = Query(s_instance, DnsType.Any, qu: true);
            probe.Authorities.Add(DnsRecord.CreateSrv(s_instance, DnsName.Parse("other.local"), 5, 120, false));
            _link.Inject(_querier, probe);
            var reply = Assert.Single(Replies(t0));
            Assert.Equal(t0, reply.AtMs);
            Assert.Null(reply.UnicastTo);
            Assert.Contains(reply.Message.Answers.Cast<DnsRecord>(), r => r.Type == DnsType.Srv && r.Port == 43216);
        }
    }
}
