using System.Security.Cryptography;
using AetherEdge.HostNode.Identity;
using CsCheck;

namespace AetherEdge.HostNode.Tests.Identity
{
    public class DeviceIdTests
    {
        private static DeviceId Sample(int seed)
        {
            var bytes = new byte[91];
            new Random(seed).NextBytes(bytes);
            return DeviceId.FromPublicKeyInfo(bytes);
        }

        [Fact]
        public void FromPublicKeyInfo_AnyKey_HasEightCheckedGroups()
        {
            var id = Sample(1);
            Assert.Equal(DeviceId.TextLength, id.Text.Length);
            Assert.Equal(8, id.Text.Split('-').Length);
            Assert.All(id.Text.Split('-'), g => Assert.Equal(5, g.Length));
            Assert.True(DeviceId.TryParse(id.Text, out var back, out _));
            Assert.Equal(id, back);
        }

        [Fact]
        public void FromPublicKeyInfo_IsFirst20BytesOfSha256InBase32()
        {
            var spki = new byte[] { 1, 2, 3 };
            byte[] hash = SHA256.HashData(spki);
            var id = DeviceId.FromPublicKeyInfo(spki);
            string data = string.Concat(id.Text.Split('-').Select(g => g.Substring(0, 4)));
            string expected = Convert.ToHexString(hash, 0, 20);
            Assert.Equal(expected, Convert.ToHexString(FromBase32(data)));
        }

        [Fact]
        public void TryParse_EverySingleCharacterTypo_IsRejected()
        {
            for (int seed = 0; seed < 20; seed++)
            {
                string text = Sample(seed).Text;
                for (int i = 0; i < text.Length; i++)
                {
                    if (text[i] == '-')
                    {
                        continue;
                    }

                    foreach (char c in DeviceId.Alphabet)
                    {
                        if (c == text[i])
                        {
                            continue;
                        }

                        string typo = text.Substring(0, i) + c + text.Substring(i + 1);
                        Assert.False(DeviceId.TryParse(typo, out _, out string error), typo);
                        Assert.Contains("typo in group " + ((i / 6) + 1), error);
                    }
                }
            }
        }

        [Fact]
        public void TryParse_AdjacentSwapInsideGroup_IsMostlyRejected()
        {
            int swaps = 0;
            int caught = 0;
            for (int seed = 0; seed < 50; seed++)
            {
                string text = Sample(seed).Text;
                for (int i = 0; i + 1 < text.Length; i++)
                {
                    if (text[i] == '-' || text[i + 1] == '-' || text[i] == text[i + 1])
                    {
                        continue;
                    }

                    string swapped = text.Substring(0, i) + text[i + 1] + text[i] + text.Substring(i + 2);
                    swaps++;
                    if (!DeviceId.TryParse(swapped, out _, out _))
                    {
                        caught++;
                    }
                }
            }

            // Luhn mod 32 misses only swaps of a pair summing to 31 mod 32 in some positions.
            Assert.True(caught > swaps * 0.9, caught + "/" + swaps);
        }

        [Fact]
        public void TryParse_LowerCaseWithoutDashes_IsAccepted()
        {
            var id = Sample(7);
            Assert.True(DeviceId.TryParse(id.Text.Replace("-", string.Empty).ToLowerInvariant(), out var back, out _));
            Assert.Equal(id, back);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData("ABCD", "40 characters")]
        [InlineData("ABCD1-", "'1'")]
        public void TryParse_BadInput_NamesTheProblem(string input, string expected)
        {
            Assert.False(DeviceId.TryParse(input, out _, out string error));
            Assert.Contains(expected, error);
        }

        [Fact]
        public void TryParse_RandomStrings_NeverThrow()
        {
            Gen.String[0, 60].Sample(s =>
            {
                DeviceId.TryParse(s, out _, out _);
            });
        }

        private static byte[] FromBase32(string s)
        {
            var output = new List<byte>();
            int buffer = 0;
            int bits = 0;
            foreach (char c in s)
            {
                buffer = (buffer << 5) | DeviceId.Alphabet.IndexOf(c);
                bits += 5;
                if (bits >= 8)
                {
                    output.Add((byte)(buffer >> (bits - 8)));
                    bits -= 8;
                }
            }

            return output.ToArray();
        }
    }
}
