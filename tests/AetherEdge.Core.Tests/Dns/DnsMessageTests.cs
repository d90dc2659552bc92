using AetherEdge.Core.Dns;
using AetherEdge.Core.Protocol;
using CsCheck;

namespace AetherEdge.Core.Tests.Dns
{
    public class DnsMessageTests
    {
        private static readonly Gen<string> s_label =
            Gen.Char["abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-_ .()é"].Array[1, 20].Select(c => new string(c));

        private static readonly Gen<DnsName> s_name =
            Gen.OneOfConst("local", "_aetherlight._tcp.local", "_tcp.local")
                .Select(s_label.Array[0, 3], (suffix, labels) =>
                {
                    var name = DnsName.Parse(suffix);
                    for (int i = labels.Length - 1; i >= 0; i--)
                    {
                        name = name.Prepend(labels[i]);
                    }

                    return name;
                });

        private static readonly Gen<DnsRecord> s_record = Gen.OneOf(
            Gen.Select(s_name, Gen.Byte.Array[4, 4], Gen.Bool, Gen.UInt, (n, a, f, ttl) => DnsRecord.CreateAddress(n, a, ttl, f)),
            Gen.Select(s_name, Gen.Byte.Array[16, 16], Gen.Bool, Gen.UInt, (n, a, f, ttl) => DnsRecord.CreateAddress(n, a, ttl, f)),
            Gen.Select(s_name, s_name, Gen.UInt, (n, t, ttl) => DnsRecord.CreatePtr(n, t, ttl)),
            Gen.Select(s_name, s_name, Gen.Int[0, 65535], Gen.Bool, (n, t, p, f) => DnsRecord.CreateSrv(n, t, p, 120, f)),
            Gen.Select(s_name, Gen.Byte.Array[0, 255].Array[1, 4], Gen.Bool, (n, s, f) => DnsRecord.CreateTxt(n, s, 4500, f)),
            Gen.Select(s_name, Gen.Int[1, 300].Array[1, 6], (n, types) =>
                DnsRecord.CreateNsec(n, types.Distinct().OrderBy(t => t).ToArray(), 120, true)),
            Gen.Select(s_name, Gen.Int[100, 200], Gen.Byte.Array[0, 40], (n, type, raw) =>
                new DnsRecord(n, type == DnsType.Txt ? 99 : type, DnsClass.In, false, 60) { RawData = raw }));

        private static readonly Gen<DnsMessage> s_message =
            Gen.Select(Gen.Int[0, 65535], Gen.Int[0, 65535], s_name.Select(Gen.OneOfConst(1, 12, 16, 33, 255), Gen.Bool, (n, t, qu) => new DnsQuestion(n, t, qu)).Array[0, 3],
                s_record.Array[0, 5], s_record.Array[0, 3], s_record.Array[0, 4],
                (id, flags, qs, an, ns, ar) =>
                {
                    var m = new DnsMessage { Id = id, Flags = flags };
                    foreach (var q in qs)
                    {
                        m.Questions.Add(q);
                    }

                    foreach (var r in an)
                    {
                        m.Answers.Add(r);
                    }

                    foreach (var r in ns)
                    {
                        m.Authorities.Add(r);
                    }

                    foreach (var r in ar)
                    {
                        m.Additionals.Add(r);
                    }

                    return m;
                });

        private static byte[] Write(DnsMessage m)
        {
            var buffer = new byte[DnsLimits.MaxMessageLength];
            Assert.True(m.TryWrite(buffer, 0, buffer.Length, out int n));
            return buffer.AsSpan(0, n).ToArray();
        }

        private static void AssertSameRecords(System.Collections.ArrayList expected, System.Collections.ArrayList actual)
        {
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                var e = (DnsRecord)expected[i]!;
                var a = (DnsRecord)actual[i]!;
                Assert.True(e.SameRecord(a), $"record {i}: {e} vs {a}");
                Assert.Equal(e.Ttl, a.Ttl);
                Assert.Equal(e.CacheFlush, a.CacheFlush);
                Assert.Equal(e.Name.ToString(), a.Name.ToString());
                Assert.Equal(e.CanonicalRdata(), a.CanonicalRdata());
            }
        }

        [Fact]
        public void RoundTrip_RandomMessages_ParseEqualsWritten()
        {
            s_message.Sample(m =>
            {
                var bytes = Write(m);
                var back = DnsMessage.Parse(bytes, 0, bytes.Length);
                Assert.Equal(m.Id, back.Id);
                Assert.Equal(m.Flags, back.Flags);
                Assert.Equal(m.Questions.Count, back.Questions.Count);
                for (int i = 0; i < m.Questions.Count; i++)
                {
                    var q = (DnsQuestion)m.Questions[i]!;
                    var b = (DnsQuestion)back.Questions[i]!;
                    Assert.True(q.Name.NameEquals(b.Name) && q.Type == b.Type && q.UnicastResponse == b.UnicastResponse);
                }

                AssertSameRecords(m.Answers, back.Answers);
                AssertSameRecords(m.Authorities, back.Authorities);
                AssertSameRecords(m.Additionals, back.Additionals);
                Assert.Equal(bytes, Write(back));
            }, iter: 500);
        }

        [Fact]
        public void Parse_RandomBytes_ThrowsOnlyProtocolViolation()
        {
            Gen.Byte.Array[0, 600].Sample(bytes =>
            {
                try
                {
                    DnsMessage.Parse(bytes, 0, bytes.Length);
                }
                catch (ProtocolViolationException e)
                {
                    Assert.False(string.IsNullOrEmpty(e.Message));
                }
            }, iter: 5000);
        }

        [Fact]
        public void Parse_MutatedValidMessages_ThrowsOnlyProtocolViolation()
        {
            Gen.Select(s_message, Gen.Int[0, 10_000].Array[1, 8], Gen.Byte.Array[8, 8], (m, positions, values) => (m, positions, values)).Sample(t =>
            {
                var bytes = Write(t.m);
                for (int i = 0; i < t.positions.Length; i++)
                {
                    bytes[t.positions[i] % bytes.Length] = t.values[i];
                }

                try
                {
                    DnsMessage.Parse(bytes, 0, bytes.Length);
                }
                catch (ProtocolViolationException)
                {
                }
            }, iter: 2000);
        }

        [Fact]
        public void Parse_EveryTruncation_ThrowsProtocolViolationNamingTheEnd()
        {
            s_message.Where(m => m.Questions.Count + m.Answers.Count > 0).Sample(m =>
            {
                var bytes = Write(m);
                for (int n = 0; n < bytes.Length; n++)
                {
                    var e = Assert.Throws<ProtocolViolationException>(() => DnsMessage.Parse(bytes, 0, n));
                    Assert.Matches("header|past the end|does not match", e.Message);
                }
            }, iter: 100);
        }

        [Fact]
        public void TryWrite_EveryTooSmallBuffer_ReturnsFalse_ExactFits()
        {
            s_message.Sample(m =>
            {
                int size = Write(m).Length;
                var buffer = new byte[size];
                for (int n = 0; n < size; n++)
                {
                    Assert.False(m.TryWrite(buffer, 0, n, out int written));
                    Assert.Equal(0, written);
                }

                Assert.True(m.TryWrite(buffer, 0, size, out int all));
                Assert.Equal(size, all);
            }, iter: 100);
        }

        [Fact]
        public void Write_NamesDifferingOnlyInCase_EachKeepsItsCase()
        {
            // Found by the round-trip property: the writer compressed "_C" onto an earlier "_c", so the name read
            // back in the other's case.
            var m = new DnsMessage();
            m.Answers.Add(DnsRecord.CreatePtr(DnsName.Parse("_c._tcp.local"), DnsName.Parse("a._c._tcp.local"), 120));
            m.Answers.Add(DnsRecord.CreatePtr(DnsName.Parse("_C._tcp.local"), DnsName.Parse("b._C._tcp.local"), 120));
            var bytes = Write(m);

            var back = DnsMessage.Parse(bytes, 0, bytes.Length);
            Assert.Equal("_c._tcp.local", ((DnsRecord)back.Answers[0]!).Name.ToString());
            Assert.Equal("_C._tcp.local", ((DnsRecord)back.Answers[1]!).Name.ToString());
        }

        [Fact]
        public void Write_RepeatedNames_CompressedWithPointers()
        {
            var type = DnsName.Parse("_aetherlight._tcp.local");
            var m = new DnsMessage();
            for (int i = 0; i < 5; i++)
            {
                m.Answers.Add(DnsRecord.CreatePtr(type, type.Prepend("node" + i), 4500));
            }

            var bytes = Write(m);
            // Uncompressed each PTR would repeat 25 bytes of owner name and 25 of target suffix.
            Assert.True(bytes.Length < 12 + (5 * (25 + 10 + 31)), $"{bytes.Length} bytes");
            Assert.Contains(bytes, b => (b & 0xC0) == 0xC0);
        }

        [Fact]
        public void Write_SrvTarget_NeverCompressed()
        {
            var host = DnsName.Parse("aether-a.local");
            var m = new DnsMessage();
            m.Answers.Add(DnsRecord.CreateAddress(host, new byte[] { 1, 2, 3, 4 }, 120, true));
            m.Answers.Add(DnsRecord.CreateSrv(DnsName.Parse("x._aetherlight._tcp.local"), host, 7, 120, true));
            var bytes = Write(m);
            var tail = bytes.AsSpan(bytes.Length - 16).ToArray();
            Assert.Equal(new byte[] { 8, (byte)'a', (byte)'e', (byte)'t', (byte)'h', (byte)'e', (byte)'r', (byte)'-', (byte)'a', 5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0 }, tail);
        }

        [Fact]
        public void Parse_PointersInPtrSrvAndNsecRdata_Followed()
        {
            // Header, then answer 1: "b.local" A; answers 2-4 use pointers to offset 12 inside rdata.
            var bytes = new List<byte> { 0, 0, 0x84, 0, 0, 0, 0, 4, 0, 0, 0, 0 };
            bytes.AddRange(new byte[] { 1, (byte)'b', 5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 10, 0, 0, 1 });
            bytes.AddRange(new byte[] { 0xC0, 12, 0, 12, 0, 1, 0, 0, 0, 9, 0, 2, 0xC0, 12 });
            bytes.AddRange(new byte[] { 0xC0, 12, 0, 33, 0, 1, 0, 0, 0, 9, 0, 8, 0, 0, 0, 0, 0, 80, 0xC0, 12 });
            bytes.AddRange(new byte[] { 0xC0, 12, 0, 47, 0x80, 1, 0, 0, 0, 9, 0, 5, 0xC0, 12, 0, 1, 0x40 });
            var m = DnsMessage.Parse(bytes.ToArray(), 0, bytes.Count);
            var a = (DnsRecord)m.Answers[0]!;
            Assert.True(a.CacheFlush);
            Assert.Equal(DnsClass.In, a.Class);
            Assert.Equal("b.local", ((DnsRecord)m.Answers[1]!).Target!.ToString());
            Assert.Equal("b.local", ((DnsRecord)m.Answers[2]!).Target!.ToString());
            Assert.Equal(80, ((DnsRecord)m.Answers[2]!).Port);
            Assert.Equal(new[] { DnsType.A }, ((DnsRecord)m.Answers[3]!).NsecTypes);
        }

        [Theory]
        [InlineData(new byte[] { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1 }, "points forward or loops")]
        [InlineData(new byte[] { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0, 1, 0, 1, 0 }, "points forward or loops")]
        [InlineData(new byte[] { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 1, 0, 1, 0, 1 }, "reserved label type")]
        [InlineData(new byte[] { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 1 }, "past the end")]
        [InlineData(new byte[] { 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0 }, "limit is 512")]
        [InlineData(new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 3, 1, 2, 3 }, "address rdata is 3 bytes")]
        [InlineData(new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 2, 5, 1 }, "TXT string of 5 bytes")]
        public void Parse_BadInput_ProtocolViolationNamingProblem(byte[] bytes, string expected)
        {
            var e = Assert.Throws<ProtocolViolationException>(() => DnsMessage.Parse(bytes, 0, bytes.Length));
            Assert.Contains(expected, e.Message);
        }

        [Fact]
        public void Parse_PointerChainLongerThanLimit_Rejected()
        {
            // Record 1 (unknown type 99) carries a root label and a chain of backward pointers, each to
            // the previous one: a legal direction, but more hops than allowed. Record 2's PTR points at its end.
            int n = DnsLimits.MaxPointerHops + 2;
            var chain = new List<byte> { 0 };
            for (int k = 0; k < n; k++)
            {
                int target = k == 0 ? 23 : 24 + (2 * (k - 1));
                chain.Add((byte)(0xC0 | (target >> 8)));
                chain.Add((byte)target);
            }

            int last = 24 + (2 * (n - 1));
            var bytes = new List<byte> { 0, 0, 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0 };
            bytes.AddRange(new byte[] { 0, 0, 99, 0, 1, 0, 0, 0, 1, (byte)(chain.Count >> 8), (byte)chain.Count });
            bytes.AddRange(chain);
            bytes.AddRange(new byte[] { 0, 0, 12, 0, 1, 0, 0, 0, 1, 0, 2, (byte)(0xC0 | (last >> 8)), (byte)last });
            var e = Assert.Throws<ProtocolViolationException>(() => DnsMessage.Parse(bytes.ToArray(), 0, bytes.Count));
            Assert.Contains("more than " + DnsLimits.MaxPointerHops + " compression pointers", e.Message);
        }

        [Fact]
        public void Parse_NameOver255Bytes_Rejected()
        {
            var bytes = new List<byte> { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
            for (int i = 0; i < 5; i++)
            {
                bytes.Add(63);
                bytes.AddRange(Enumerable.Repeat((byte)'a', 63));
            }

            bytes.AddRange(new byte[] { 0, 0, 1, 0, 1 });
            var e = Assert.Throws<ProtocolViolationException>(() => DnsMessage.Parse(bytes.ToArray(), 0, bytes.Count));
            Assert.Contains("longer than 255", e.Message);
        }

        [Fact]
        public void Parse_OverMaxMessageLength_Rejected()
        {
            var e = Assert.Throws<ProtocolViolationException>(() => DnsMessage.Parse(new byte[9001], 0, 9001));
            Assert.Contains("9000", e.Message);
        }

        [Fact]
        public void DnsName_LabelOver63Bytes_Rejected()
        {
            var e = Assert.Throws<ProtocolViolationException>(() => new DnsName(new[] { new string('a', 64) }));
            Assert.Contains("64 bytes", e.Message);
        }

        [Fact]
        public void QuestionAndRecord_TopClassBit_MaskedIntoFlags()
        {
            var m = new DnsMessage();
            m.Questions.Add(new DnsQuestion(DnsName.Parse("a.local"), DnsType.Any, true));
            m.Answers.Add(DnsRecord.CreateAddress(DnsName.Parse("a.local"), new byte[] { 1, 2, 3, 4 }, 120, true));
            var bytes = Write(m);
            Assert.Equal(0x80, bytes[12 + 9 + 2]);
            var back = DnsMessage.Parse(bytes, 0, bytes.Length);
            var q = (DnsQuestion)back.Questions[0]!;
            var r = (DnsRecord)back.Answers[0]!;
            Assert.True(q.UnicastResponse && q.Class == DnsClass.In);
            Assert.True(r.CacheFlush && r.Class == DnsClass.In);
        }

        [Fact]
        public void EmptyTxt_WrittenAsSingleZeroByte()
        {
            var m = new DnsMessage();
            m.Answers.Add(DnsRecord.CreateTxt(DnsName.Parse("a.local"), new byte[0][], 4500, true));
            var bytes = Write(m);
            Assert.Equal(new byte[] { 0, 1, 0 }, bytes.AsSpan(bytes.Length - 3).ToArray());
        }

        [Fact]
        public void Parse_ZeroconfStyleNsecWith16BitWindowFields_KeptOpaqueAndPacketAccepted()
        {
            // Bytes python-zeroconf 0.47.3 sent on the wire: NSEC for zc-zc-dbg.local with AAAA, window and
            // length written as u16, followed by an A record that must still be read.
            var bytes = new List<byte> { 0, 0, 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0 };
            bytes.AddRange(new byte[] { 1, (byte)'h', 5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0 });
            bytes.AddRange(new byte[] { 0, 47, 0x80, 1, 0, 0, 0x11, 0x94, 0, 10, 0xC0, 12, 0, 0, 0, 4, 0, 0, 0, 8 });
            bytes.AddRange(new byte[] { 0xC0, 12, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 10, 77, 0, 2 });
            var m = DnsMessage.Parse(bytes.ToArray(), 0, bytes.Count);
            var nsec = (DnsRecord)m.Answers[0]!;
            Assert.Null(nsec.NsecTypes);
            Assert.Equal(new byte[] { 0, 0, 0, 4, 0, 0, 0, 8 }, nsec.RawData);
            Assert.Equal(new byte[] { 10, 77, 0, 2 }, ((DnsRecord)m.Answers[1]!).Address);
            var again = Write(m);
            var back = (DnsRecord)DnsMessage.Parse(again, 0, again.Length).Answers[0]!;
            Assert.Equal(nsec.RawData, back.RawData);
            Assert.True(nsec.SameRecord(back));
        }

        [Fact]
        public void UnknownType_KeptAsRawRdata()
        {
            var m = new DnsMessage();
            m.Answers.Add(new DnsRecord(DnsName.Parse("a.local"), 65, DnsClass.In, false, 5) { RawData = new byte[] { 9, 8, 7 } });
            var bytes = Write(m);
            var r = (DnsRecord)DnsMessage.Parse(bytes, 0, bytes.Length).Answers[0]!;
            Assert.Equal(65, r.Type);
            Assert.Equal(new byte[] { 9, 8, 7 }, r.RawData);
        }
    }
}
