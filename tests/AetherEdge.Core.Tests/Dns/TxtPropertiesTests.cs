using System.Text;
using AetherEdge.Core.Dns;
using AetherEdge.Core.Protocol;
using CsCheck;

namespace AetherEdge.Core.Tests.Dns
{
    public class TxtPropertiesTests
    {
        private static byte[][] Strings(params string[] s) => s.Select(x => Encoding.UTF8.GetBytes(x)).ToArray();

        [Fact]
        public void Parse_KeysCaseInsensitive_FirstOccurrenceWins()
        {
            var p = TxtProperties.Parse(Strings("Node_ID=a", "node_id=b", "NODE_ID=c"));
            Assert.Equal(1, p.Count);
            Assert.Equal("a", p.GetString("node_id"));
            Assert.Equal("a", p.GetString("NODE_id"));
        }

        [Fact]
        public void Parse_EmptyAndEqualsLeadingStrings_Ignored()
        {
            var p = TxtProperties.Parse(Strings("", "=value", "k=v"));
            Assert.Equal(new[] { "k" }, p.Keys);
        }

        [Fact]
        public void Parse_BooleanAttributeDiffersFromEmptyValue()
        {
            var p = TxtProperties.Parse(Strings("flag", "empty=", "eq=a=b"));
            Assert.True(p.Contains("flag"));
            Assert.False(p.HasValue("flag"));
            Assert.Null(p.GetString("flag"));
            Assert.True(p.HasValue("empty"));
            Assert.Equal("", p.GetString("empty"));
            Assert.Equal("a=b", p.GetString("eq"));
            Assert.False(p.Contains("missing"));
        }

        [Fact]
        public void Parse_KeyWithNonPrintableByte_Ignored()
        {
            var p = TxtProperties.Parse(new[] { new byte[] { (byte)'a', 0x01, (byte)'=', (byte)'x' }, Encoding.ASCII.GetBytes("ok=1") });
            Assert.Equal(new[] { "ok" }, p.Keys);
        }

        [Fact]
        public void ToStrings_NoKeys_SingleEmptyString()
        {
            var s = new TxtProperties().ToStrings();
            Assert.Single(s);
            Assert.Empty(s[0]);
        }

        [Theory]
        [InlineData("")]
        [InlineData("a=b")]
        [InlineData("tab\there")]
        public void Add_InvalidKey_ThrowsNamingKey(string key)
        {
            var e = Assert.Throws<ProtocolViolationException>(() => new TxtProperties().Add(key, "v"));
            Assert.Contains("TXT key", e.Message);
        }

        [Fact]
        public void ToStrings_EntryOver255Bytes_Throws()
        {
            var p = new TxtProperties();
            p.Add("k", new string('v', 300));
            Assert.Throws<ProtocolViolationException>(() => p.ToStrings());
        }

        [Fact]
        public void RoundTrip_RandomProperties()
        {
            var key = Gen.Char[' ', '~'].Where(c => c != '=').Array[1, 9].Select(c => new string(c));
            var value = Gen.String[0, 40].Select(s => (string?)s);
            Gen.Select(key, Gen.OneOf(value, Gen.Const((string?)null))).Array[0, 8].Sample(pairs =>
            {
                var p = new TxtProperties();
                foreach (var (k, v) in pairs)
                {
                    p.Add(k, v);
                }

                var back = TxtProperties.Parse(p.ToStrings());
                Assert.Equal(p.Keys, back.Keys);
                foreach (var k in p.Keys)
                {
                    Assert.Equal(p.GetString(k), back.GetString(k));
                    Assert.Equal(p.HasValue(k), back.HasValue(k));
                }
            }, iter: 300);
        }

        [Fact]
        public void Parse_RandomStrings_NeverThrows()
        {
            Gen.Byte.Array[0, 40].Array[0, 6].Sample(strings => TxtProperties.Parse(strings), iter: 1000);
        }
    }
}
