using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.Core.Tests.Mdns
{
    public class MdnsResponderTests
    {
        private static readonly byte[] s_addrA = { 10, 77, 0, 1 };
        private static readonly byte[] s_addrB = { 10, 77, 0, 2 };

        private static List<SentPacket> From(SimulatedMulticastLink link, SimNode node) => link.Sent.Where(p => p.From == node).ToList();

        private static bool IsProbe(SentPacket p) => !p.Message.IsResponse && p.Message.Authorities.Count > 0;

        private static DnsRecord Rec(SentPacket p, int section, int type) =>
            (section == 0 ? p.Message.Answers : p.Message.Additionals).Cast<DnsRecord>().First(r => r.Type == type);

        [Fact]
        public void Start_ProbesThreeTimes250msApartAfterRandomDelay_ThenClaims()
        {
            var link = new SimulatedMulticastLink();
            long start = link.NowMs;
            var a = link.AddResponder("a", "Hub", "aether-a", 43216, s_addrA, new TestRandom(0, 180));
            a.Core.Responder!.Start(start);
            link.RunFor(950);

            var probes = From(link, a).Where(IsProbe).ToList();
            Assert.Equal(3, probes.Count);
            Assert.Equal(start + 180, probes[0].AtMs);
            Assert.Equal(250, probes[1].AtMs - probes[0].AtMs);
            Assert.Equal(250, probes[2].AtMs - probes[1].AtMs);
            foreach (var p in probes)
            {
                var questions = p.Message.Questions.Cast<DnsQuestion>().ToList();
                Assert.All(questions, q => Assert.True(q.UnicastResponse && q.Type == DnsType.Any));
                Assert.Contains(questions, q => q.Name.ToString() == "Hub._aetherlight._tcp.local");
                Assert.Contains(questions, q => q.Name.ToString() == "aether-a.local");
                Assert.Contains(p.Message.Authorities.Cast<DnsRecord>(), r => r.Type == DnsType.Srv && r.Port == 43216);
            }

            Assert.Equal(new[] { "Hub" }, a.Claimed);
            Assert.Equal(MdnsResponderState.Announcing, a.Core.Responder.State);
            // Claimed no earlier than 250 ms after the third probe (the conflict window).
            var firstAnnouncement = From(link, a).First(p => p.Message.IsResponse);
            Assert.True(firstAnnouncement.AtMs >= probes[2].AtMs + MdnsLimits.ProbeIntervalMs);
        }

        [Fact]
        public void Announce_ThreeTimesWithDoublingGaps_ThenNeverUnsolicited()
        {
            var link = new SimulatedMulticastLink();
            var a = link.AddResponder("a", "Hub", "aether-a", 43216, s_addrA);
            a.Core.Responder!.Start(link.NowMs);
            link.RunFor(3_600_000);

            var announcements = From(link, a).Where(p => p.Message.IsResponse).ToList();
            Assert.Equal(MdnsLimits.AnnounceCount, announcements.Count);
            Assert.Equal(1000, announcements[1].AtMs - announcements[0].AtMs);
            Assert.Equal(2000, announcements[2].AtMs - announcements[1].AtMs);
            Assert.Equal(MdnsResponderState.Claimed, a.Core.Responder.State);
        }

        [Fact]
        public void Announcement_CacheFlushOnUniqueRecordsOnly_TtlsPerRfc()
        {
            var link = new SimulatedMulticastLink();
            var a = link.AddResponder("a", "Hub", "aether-a", 43216, s_addrA);
            a.Core.Responder!.Start(link.NowMs);
            link.RunFor(1100);

            var m = From(link, a).First(p => p.Message.IsResponse).Message;
            Assert.Equal(0, m.Id);
            Assert.Equal(DnsMessage.FlagResponse | DnsMessage.FlagAuthoritative, m.Flags);
            Assert.Empty(m.Questions);
            foreach (DnsRecord r in m.Answers)
            {
                Assert.Equal(r.Type != DnsType.Ptr, r.CacheFlush);
                long ttl = r.Type is DnsType.A or DnsType.Aaaa or DnsType.Srv ? MdnsLimits.HostRecordTtl : MdnsLimits.OtherRecordTtl;
                Assert.Equal(ttl, r.Ttl);
            }

            Assert.Contains(m.Answers.Cast<DnsRecord>(), r => r.Type == DnsType.Ptr && r.Name.ToString() == "_services._dns-sd._udp.local");
        }

        [Fact]
        public void Probe_OwnPacketsLoopedBack_NoConflict()
        {
            var link = new SimulatedMulticastLink();
            var a = link.AddResponder("a", "Hub", "aether-a", 43216, s_addrA);
            a.Core.Responder!.Start(link.NowMs);
            link.RunFor(10_000);

            Assert.Empty(a.Conflicts);
            Assert.Equal(new[] { "Hub" }, a.Claimed);
        }

        [Fact]
        public void Probe_NameAlreadyOwned_OwnerDefendsAtOnceAndNewcomerRenamesToName2()
        {
            var link = new SimulatedMulticastLink();
            var owner = link.AddResponder("owner", "Hub", "aether-o", 1111, s_addrA);
            owner.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);
            var newcomer = link.AddResponder("new", "Hub", "aether-n", 2222, s_addrB, new TestRandom(0, 0));
            newcomer.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);

            var firstProbe = From(link, newcomer).First(IsProbe);
            var defence = From(link, owner).First(p => p.AtMs > firstProbe.AtMs && p.Message.IsResponse);
            Assert.True(defence.AtMs - firstProbe.AtMs <= link.LatencyMs, "defence must go out in the same step the probe arrives");
            Assert.Equal(new[] { "Hub (2)" }, newcomer.Conflicts);
            Assert.Equal(new[] { "Hub (2)" }, newcomer.Claimed);
            Assert.Equal("Hub", owner.Core.Responder.InstanceLabel);
        }

        [Fact]
        public void HostNameTaken_ReportedAsAHostConflictNotAsTheInstance_WhereTheSeedSaidAdvAIsTakenTryingAdvA()
        {
            // Same host name, different instance: only the host is renamed, and the event says so.
            var link = new SimulatedMulticastLink();
            var owner = link.AddResponder("owner", "advA", "aether-h", 1111, s_addrA);
            owner.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);
            var newcomer = link.AddResponder("new", "advB", "aether-h", 2222, s_addrB, new TestRandom(0, 0));
            newcomer.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);

            var conflict = Assert.Single(newcomer.ConflictDetails);
            Assert.Equal(MdnsNameKind.Host, conflict.Kind);
            Assert.Equal("aether-h", conflict.Old);
            Assert.Equal("aether-h-2", conflict.New);
            Assert.Equal("advB", newcomer.Core.Responder.InstanceLabel);

            var instanceClash = link.AddResponder("third", "advA", "aether-t", 3333, new byte[] { 10, 77, 0, 9 }, new TestRandom(0, 0));
            instanceClash.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);
            Assert.Equal((MdnsNameKind.Instance, "advA", "advA (2)"), Assert.Single(instanceClash.ConflictDetails));
        }

        [Fact]
        public void SimultaneousProbes_LexicographicallyLaterDataWins_LoserRenames()
        {
            var link = new SimulatedMulticastLink();
            // Same instance name and host; port 2222 > 1111 makes b's SRV rdata later, so b wins (§8.2).
            var a = link.AddResponder("a", "Hub", "aether-x", 1111, s_addrA, new TestRandom(0, 10));
            var b = link.AddResponder("b", "Hub", "aether-y", 2222, s_addrB, new TestRandom(0, 10));
            a.Core.Responder!.Start(link.NowMs);
            b.Core.Responder!.Start(link.NowMs);
            link.RunFor(10_000);

            Assert.Equal(new[] { "Hub" }, b.Claimed);
            Assert.Empty(b.Conflicts);
            Assert.Equal("Hub (2)", a.Core.Responder.InstanceLabel);
            Assert.Contains("Hub (2)", a.Claimed);
            Assert.DoesNotContain("Hub", a.Claimed);
        }

        [Fact]
        public void CompareSets_PerRfcOrder()
        {
            var name = DnsName.Parse("x.local");
            var a1 = DnsRecord.CreateAddress(name, new byte[] { 169, 254, 99, 200 }, 120, true);
            var a2 = DnsRecord.CreateAddress(name, new byte[] { 169, 254, 200, 50 }, 120, true);
            var list = (params DnsRecord[] r) => new System.Collections.ArrayList(r);
            Assert.True(MdnsProbeRules.CompareSets(list(a2), list(a1)) > 0);
            Assert.True(MdnsProbeRules.CompareSets(list(a1), list(a2)) < 0);
            Assert.Equal(0, MdnsProbeRules.CompareSets(list(a1, a2), list(a2, a1)));
            Assert.True(MdnsProbeRules.CompareSets(list(a1, a2), list(a1)) > 0, "longer list wins");
            var flushless = a1.Clone();
            flushless.CacheFlush = false;
            Assert.Equal(0, MdnsProbeRules.CompareSets(list(flushless), list(a1)));
            var srv = DnsRecord.CreateSrv(name, name, 1, 120, true);
            Assert.True(MdnsProbeRules.CompareSets(list(srv), list(a2)) > 0, "type 33 sorts after type 1");
        }

        [Theory]
        [InlineData("Hub", "Hub (2)")]
        [InlineData("Hub (2)", "Hub (3)")]
        [InlineData("Hub (9)", "Hub (10)")]
        [InlineData("Kitchen (old)", "Kitchen (old) (2)")]
        public void NextInstanceLabel_AppendsOrIncrementsNumber(string from, string to) =>
            Assert.Equal(to, MdnsProbeRules.NextInstanceLabel(from));

        [Fact]
        public void NextInstanceLabel_LongName_StaysWithin63Bytes()
        {
            string renamed = MdnsProbeRules.NextInstanceLabel(new string('x', 63));
            Assert.Equal(63, renamed.Length);
            Assert.EndsWith(" (2)", renamed);
            Assert.Equal("aether-ab-3", MdnsProbeRules.NextHostLabel(MdnsProbeRules.NextHostLabel("aether-ab")));
        }

        [Fact]
        public void ConflictAfterClaim_ReprobesAndRenames()
        {
            var link = new SimulatedMulticastLink();
            var a = link.AddResponder("a", "Hub", "aether-a", 1111, s_addrA);
            a.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);
            var intruder = link.AddNode("intruder");
            var m = new DnsMessage { Flags = DnsMessage.FlagResponse | DnsMessage.FlagAuthoritative };
            m.Answers.Add(DnsRecord.CreateSrv(DnsName.Parse("Hub._aetherlight._tcp.local"), DnsName.Parse("other.local"), 9, 120, true));
            link.Inject(intruder, m);
            Assert.Equal(MdnsResponderState.Probing, a.Core.Responder.State);
            Assert.Equal("Hub", a.Core.Responder.InstanceLabel);

            // The intruder keeps claiming the name: the re-probe meets it again and renames (§9).
            link.RunFor(1);
            link.Inject(intruder, m);
            link.RunFor(5000);
            Assert.Equal(new[] { "Hub", "Hub (2)" }, a.Claimed);
        }

        [Fact]
        public void FifteenConflictsInTenSeconds_NextProbeWaitsFiveSeconds()
        {
            var link = new SimulatedMulticastLink();
            var a = link.AddResponder("a", "Hub", "aether-a", 1111, s_addrA, new TestRandom(0, 0));
            var rival = link.AddNode("rival");
            a.Core.Responder!.Start(link.NowMs);
            for (int i = 0; i < MdnsLimits.ConflictsBeforeBackoff; i++)
            {
                link.RunFor(1);
                var m = new DnsMessage { Flags = DnsMessage.FlagResponse };
                m.Answers.Add(DnsRecord.CreateAddress(DnsName.Parse(a.Core.Responder.HostLabel + ".local"), s_addrB, 120, true));
                link.Inject(rival, m);
            }

            Assert.Equal(MdnsLimits.ConflictsBeforeBackoff, a.Conflicts.Count);
            long after = link.NowMs;
            link.RunFor(MdnsLimits.ConflictBackoffMs - 10);
            Assert.DoesNotContain(From(link, a), p => IsProbe(p) && p.AtMs > after);
            link.RunFor(20);
            Assert.Contains(From(link, a), p => IsProbe(p) && p.AtMs > after);
        }

        [Fact]
        public void Stop_SendsGoodbyeWithTtlZeroForEveryRecord()
        {
            var link = new SimulatedMulticastLink();
            var a = link.AddResponder("a", "Hub", "aether-a", 1111, s_addrA);
            a.Core.Responder!.Start(link.NowMs);
            link.RunFor(5000);
            a.Core.Responder.Stop(link.NowMs);

            var bye = link.Sent.Last();
            Assert.Equal(a, bye.From);
            Assert.True(bye.Message.IsResponse);
            Assert.Equal(a.Core.Responder.Records.Count, bye.Message.Answers.Count);
            Assert.All(bye.Message.Answers.Cast<DnsRecord>(), r => Assert.Equal(0, r.Ttl));
        }

        [Fact]
        public void Stop_BeforeClaim_SendsNothing()
        {
            var link = new SimulatedMulticastLink();
            var a = link.AddResponder("a", "Hub", "aether-a", 1111, s_addrA);
            a.Core.Responder!.Start(link.NowMs);
            link.RunFor(300);
            int before = link.Sent.Count;
            a.Core.Responder.Stop(link.NowMs);
            Assert.Equal(before, link.Sent.Count);
        }
    }
}
