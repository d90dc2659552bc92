using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

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
        public void LegacyFlood_FromOneSource_RepliesBoundedByTheBucket_DroppedOnesCounted()
        {
            // The seed-era responder answered every legacy query: 11 MB of queries drew 58.9 MB.
            var legacy = _link.AddNode("flooder", port: 40000);
            long t0 = _link.NowMs;
            const int queries = 2000;
            long queryBytes = 0;
            for (int i = 0; i < queries; i++)
            {
                var q = Query(s_type, DnsType.Ptr);
                q.Id = i;
                queryBytes += Length(q);
                _link.Inject(legacy, q);
            }

            var replies = Replies(t0).Where(p => p.UnicastTo == legacy).ToList();
            var responder = _responder.Core.Responder!;
            Assert.Equal(MdnsLimits.UnicastReplyBurst, replies.Count);
            Assert.Equal(queries - MdnsLimits.UnicastReplyBurst, responder.UnicastRepliesDropped);
            double ratio = (double)replies.Sum(p => p.Length) / queryBytes;
            Assert.True(ratio < 0.1, "reply/query bytes " + ratio + " (the seed-era responder: 5.4)");

            // The bucket refills: one more reply per interval, not a burst of replies per query.
            _link.RunFor(MdnsLimits.UnicastReplyIntervalMs);
            _link.Inject(legacy, Query(s_type, DnsType.Ptr));
            _link.Inject(legacy, Query(s_type, DnsType.Ptr));
            Assert.Equal(MdnsLimits.UnicastReplyBurst + 1, Replies(t0).Count(p => p.UnicastTo == legacy));
        }

        [Fact]
        public void LegacyFlood_FromManySpoofedSources_BoundedByTheSharedBucket_StateStaysFixed()
        {
            long t0 = _link.NowMs;
            var sources = Enumerable.Range(0, 500).Select(i => _link.AddNode("spoof" + i, port: 40000 + i)).ToList();
            foreach (var source in sources)
            {
                _link.Inject(source, Query(s_instance, DnsType.Srv));
            }

            Assert.Equal(MdnsLimits.UnicastRepliesPerSecond, Replies(t0).Count(p => p.UnicastTo != null));
            Assert.Equal(500 - MdnsLimits.UnicastRepliesPerSecond, _responder.Core.Responder!.UnicastRepliesDropped);

            // An honest legacy querier a second later is answered again.
            _link.RunFor(1000);
            var honest = _link.AddNode("honest", port: 39999);
            _link.Inject(honest, Query(s_instance, DnsType.Srv));
            Assert.Single(Replies(t0), p => p.UnicastTo == honest);
        }

        [Fact]
        public void QuFlood_UnicastRepliesBounded_RefusedOnesFallBackToRateLimitedMulticast()
        {
            _link.RunFor(2000);
            long t0 = _link.NowMs;
            for (int i = 0; i < 200; i++)
            {
                _link.Inject(_querier, Query(s_instance, DnsType.Srv, qu: true));
            }

            _link.RunFor(100);
            Assert.Equal(MdnsLimits.UnicastReplyBurst, Replies(t0).Count(p => p.UnicastTo == _querier));
            Assert.True(Replies(t0).Count(p => p.UnicastTo == null) <= 1, "at most one multicast per record per second");
        }

        private static int Length(DnsMessage m)
        {
            var buffer = new byte[DnsLimits.MaxMessageLength];
            Assert.True(m.TryWrite(buffer, 0, buffer.Length, out int n));
            return n;
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
