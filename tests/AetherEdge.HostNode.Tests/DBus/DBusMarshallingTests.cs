using AetherEdge.Core.Protocol;
using AetherEdge.HostNode.DBus;
using CsCheck;
using Xunit;

namespace AetherEdge.HostNode.Tests.DBus
{
    public class DBusMarshallingTests
    {
        private static object RoundTrip(string sig, object value, int prefix = 0)
        {
            var w = new DBusWriter();
            for (int i = 0; i < prefix; i++)
            {
                w.WriteByte(0xAA);
            }

            w.Write(sig, value);
            byte[] bytes = w.ToArray();
            var r = new DBusReader(bytes, prefix, bytes.Length, false, w.UnixFds);
            object back = r.Read(sig);
            Assert.Equal(bytes.Length, r.Position);
            return back;
        }

        [Theory]
        [InlineData("y", (byte)200)]
        [InlineData("b", true)]
        [InlineData("n", (short)-12345)]
        [InlineData("q", (ushort)65535)]
        [InlineData("i", int.MinValue)]
        [InlineData("u", uint.MaxValue)]
        [InlineData("x", long.MinValue)]
        [InlineData("t", ulong.MaxValue)]
        [InlineData("d", -1.5e300)]
        [InlineData("s", "grüß 𝄞")]
        public void Write_EveryBasicTypeAtEveryOffset_RoundTrips(string sig, object value)
        {
            for (int prefix = 0; prefix < 8; prefix++)
            {
                Assert.Equal(value, RoundTrip(sig, value, prefix));
            }
        }

        [Fact]
        public void Write_ObjectPathSignatureVariantFd_RoundTrip()
        {
            Assert.Equal(new DBusObjectPath("/org/bluez/hci0"), RoundTrip("o", new DBusObjectPath("/org/bluez/hci0"), 3));
            Assert.Equal(new DBusSignature("a{oa{sa{sv}}}"), RoundTrip("g", new DBusSignature("a{oa{sa{sv}}}"), 1));
            Assert.Equal(new DBusUnixFd(7), RoundTrip("h", new DBusUnixFd(7), 2));
            var v = new DBusVariant("(qay)", new object[] { (ushort)0xFFFF, new byte[] { 1, 2 } });
            Assert.True(DBusValues.DeepEqual(v, RoundTrip("v", v, 5)));
        }

        [Fact]
        public void Write_Uint32_IsLittleEndianAndPaddedFromMessageStart()
        {
            var w = new DBusWriter();
            w.WriteByte(1);
            w.Write("u", 0x01020304u);
            w.Write("t", 5UL);
            Assert.Equal(new byte[] { 1, 0, 0, 0, 4, 3, 2, 1, 5, 0, 0, 0, 0, 0, 0, 0 }, w.ToArray());
        }

        [Fact]
        public void Write_EmptyArrayOfStructs_PadsToElementAlignmentWithoutCountingIt()
        {
            var w = new DBusWriter();
            w.Write("a(ii)", new List<object>());
            // length 0, then padding to 8 for the (absent) first struct
            Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 }, w.ToArray());
            var r = new DBusReader(w.ToArray(), 0, 8, false);
            Assert.Empty((List<object>)r.Read("a(ii)"));
        }

        [Fact]
        public void Write_ManagedObjectsShape_RoundTrips()
        {
            var value = new Dictionary<object, object>
            {
                [new DBusObjectPath("/org/bluez/hci0/dev_AA")] = new Dictionary<object, object>
                {
                    ["org.bluez.Device1"] = new Dictionary<object, object>
                    {
                        ["Address"] = DBusVariant.Of("AA:BB:CC:DD:EE:FF"),
                        ["RSSI"] = DBusVariant.Of((short)-60),
                        ["ManufacturerData"] = new DBusVariant("a{qv}", new Dictionary<object, object> { [(ushort)0xFFFF] = DBusVariant.Of(new byte[] { 9, 8 }) }),
                        ["UUIDs"] = new DBusVariant("as", new List<object> { "6e400001-b5a3-f393-e0a9-e50e24dcca9e" }),
                    },
                },
            };
            for (int prefix = 0; prefix < 8; prefix++)
            {
                Assert.True(DBusValues.DeepEqual(value, RoundTrip("a{oa{sa{sv}}}", value, prefix)));
            }
        }

        [Fact]
        public void Split_ValidSignatures_GivesCompleteTypes()
        {
            Assert.Equal(new[] { "s", "a{sv}", "as" }, DBusSignatures.Split("sa{sv}as"));
            Assert.Equal(new[] { "o", "a{sa{sv}}" }, DBusSignatures.Split("oa{sa{sv}}"));
            Assert.Equal(new[] { "h", "q" }, DBusSignatures.Split("hq"));
        }

        [Theory]
        [InlineData("a")]
        [InlineData("(")]
        [InlineData("()")]
        [InlineData("a{vs}")]
        [InlineData("{ss}")]
        [InlineData("a{sss}")]
        [InlineData("z")]
        [InlineData("(ii")]
        public void Split_InvalidSignature_ThrowsProtocolViolation(string sig)
        {
            Assert.Throws<ProtocolViolationException>(() => DBusSignatures.Split(sig));
        }

        [Fact]
        public void Split_OverLimits_ThrowsProtocolViolation()
        {
            Assert.Throws<ProtocolViolationException>(() => DBusSignatures.Split(new string('a', DBusLimits.MaxArrayDepth + 1) + "y"));
            DBusSignatures.Split(new string('a', DBusLimits.MaxArrayDepth) + "y");
            Assert.Throws<ProtocolViolationException>(() => DBusSignatures.Split(new string('(', DBusLimits.MaxStructDepth + 1) + "y" + new string(')', DBusLimits.MaxStructDepth + 1)));
            Assert.Throws<ProtocolViolationException>(() => DBusSignatures.Split(new string('y', DBusLimits.MaxSignatureLength + 1)));
        }

        [Fact]
        public void Read_ArrayLengthOverLimit_ThrowsProtocolViolation()
        {
            var w = new DBusWriter();
            w.WriteUInt32(DBusLimits.MaxArrayLength + 1u);
            byte[] bytes = w.ToArray();
            var ex = Assert.Throws<ProtocolViolationException>(() => new DBusReader(bytes, 0, bytes.Length, false).Read("ay"));
            Assert.Contains("limit", ex.Message);
        }

        [Fact]
        public void Read_BadBooleanAndUnterminatedString_ThrowProtocolViolation()
        {
            byte[] b = { 2, 0, 0, 0 };
            Assert.Throws<ProtocolViolationException>(() => new DBusReader(b, 0, 4, false).Read("b"));
            byte[] s = { 1, 0, 0, 0, (byte)'a', (byte)'b' };
            Assert.Throws<ProtocolViolationException>(() => new DBusReader(s, 0, s.Length, false).Read("s"));
        }

        [Fact]
        public void Read_BigEndianMessage_Decodes()
        {
            var m = new DBusMessage { Type = DBusMessageType.Signal, Serial = 7, Path = "/a", Interface = "x.y", Member = "Z", Signature = "u", Body = new object[] { 0x01020304u } };
            byte[] le = m.Encode(out _);
            // Hand-build the big-endian twin: flip endianness flag and every integer we know the offset of.
            byte[] be = (byte[])le.Clone();
            be[0] = (byte)'B';
            Array.Reverse(be, 4, 4);
            Array.Reverse(be, 8, 4);
            Array.Reverse(be, 12, 4);
            // header fields: each string/path length and the body u32 must flip too; walk the known layout.
            foreach (int offset in StringLengthOffsets(le))
            {
                Array.Reverse(be, offset, 4);
            }

            Array.Reverse(be, be.Length - 4, 4);
            DBusMessage back = DBusMessage.Decode(be, be.Length);
            Assert.Equal(0x01020304u, back.Body[0]);
            Assert.Equal("/a", back.Path);
            Assert.Equal("Z", back.Member);
        }

        private static IEnumerable<int> StringLengthOffsets(byte[] message)
        {
            // header field array starts at 16; each field struct is 8-aligned: code, sig (1+len+1), value
            int end = 16 + BitConverter.ToInt32(message, 12);
            int pos = 16;
            while (pos < end)
            {
                pos = (pos + 7) & ~7;
                int sigLen = message[pos + 1];
                char code = (char)message[pos + 2];
                pos += 3 + sigLen;
                if (code == 's' || code == 'o' || code == 'u')
                {
                    pos = (pos + 3) & ~3;
                    yield return pos;
                    pos += code == 'u' ? 4 : 4 + BitConverter.ToInt32(message, pos) + 1;
                }
                else if (code == 'g')
                {
                    pos += message[pos] + 2;
                }
            }
        }

        [Fact]
        public void RandomValueTrees_RoundTripThroughWriterAndReader()
        {
            Gen.Select(Gen.Int, Gen.Int[0, 7]).Sample((seed, prefix) =>
            {
                (string sig, object value) = DBusValues.RandomTree(new Random(seed));
                object back = RoundTrip(sig, value, prefix);
                Assert.True(DBusValues.DeepEqual(value, back), "signature " + sig);
            }, iter: 2000);
        }

        [Fact]
        public void RandomBytes_IntoReader_ThrowOnlyProtocolViolation()
        {
            string[] sigs = { "a{sv}", "a{oa{sa{sv}}}", "v", "(yv)", "as", "aya{sv}", "sa{sv}as", "hq", "a{qv}", "g", "o" };
            Gen.Select(Gen.Byte.Array[0, 64], Gen.Int[0, sigs.Length - 1]).Sample((bytes, which) =>
            {
                try
                {
                    new DBusReader(bytes, 0, bytes.Length, false).ReadAll(sigs[which]);
                }
                catch (ProtocolViolationException)
                {
                    // the one allowed failure
                }
            }, iter: 5000);
        }

        [Fact]
        public void MutatedMessages_IntoDecode_ThrowOnlyProtocolViolation()
        {
            var m = new DBusMessage
            {
                Type = DBusMessageType.MethodCall,
                Serial = 3,
                Path = "/org/bluez/hci0",
                Interface = "org.bluez.GattManager1",
                Member = "RegisterApplication",
                Destination = "org.bluez",
                Signature = "oa{sv}",
                Body = new object[] { new DBusObjectPath("/app"), new Dictionary<object, object> { ["mtu"] = DBusVariant.Of((ushort)185) } },
            };
            byte[] original = m.Encode(out _);
            Assert.Equal("RegisterApplication", DBusMessage.Decode(original, original.Length).Member);
            Gen.Select(Gen.Int[0, original.Length - 1], Gen.Byte, Gen.Int[1, 4]).Sample((pos, value, count) =>
            {
                byte[] bytes = (byte[])original.Clone();
                for (int i = 0; i < count && pos + i < bytes.Length; i++)
                {
                    bytes[pos + i] = value;
                }

                try
                {
                    DBusMessage.Decode(bytes, bytes.Length);
                }
                catch (ProtocolViolationException)
                {
                    // the one allowed failure
                }
            }, iter: 5000);
        }
    }
}
