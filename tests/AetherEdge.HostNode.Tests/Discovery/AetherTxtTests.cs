using System.Text;
using AetherEdge.HostNode.Discovery;

namespace AetherEdge.HostNode.Tests.Discovery
{
    public class AetherTxtTests
    {
        [Fact]
        public void InstanceLabel_LongMultibyteName_CutToWholeCharactersWithin63Bytes()
        {
            string name = new string('ü', 40); // 80 bytes of UTF-8
            string label = AetherTxt.InstanceLabel(name);
            Assert.Equal(62, Encoding.UTF8.GetByteCount(label));
            Assert.Equal(new string('ü', 31), label);
            Assert.Equal("Kitchen Hub", AetherTxt.InstanceLabel("Kitchen Hub"));
        }

        [Fact]
        public void HostLabel_DeviceId_PrefixPlusFirstEightLowercaseCharacters()
        {
            Assert.Equal("aether-weoydcgn", AetherTxt.HostLabel("aether-", "WEOYD-CGNZS-D4EFW"));
            Assert.Equal("aether-pair-ab", AetherTxt.HostLabel("aether-pair-", "AB"));
        }
    }
}
