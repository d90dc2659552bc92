using AetherEdge.Core.Allocation;

namespace AetherEdge.Core.Tests.Allocation
{
    public sealed class ByteCountTests
    {
        [Theory]
        [InlineData(0, "0 B")]
        [InlineData(999, "999 B")]
        [InlineData(1000, "1 KB")]
        [InlineData(1234, "1.2 KB")]
        [InlineData(1250, "1.3 KB")]
        [InlineData(99_960, "100 KB")]
        [InlineData(315_000_000, "315 MB")]
        [InlineData(944_400_000, "944 MB")]
        [InlineData(20_000_000_000, "20 GB")]
        [InlineData(1_500_000_000_000, "1.5 TB")]
        [InlineData(long.MaxValue, "9.2 EB")]
        [InlineData(-1234, "-1.2 KB")]
        public void Format_DecimalUnits_OneDecimalBelowAHundred(long bytes, string expected) =>
            Assert.Equal(expected, ByteCount.Format(bytes));

        [Fact]
        public void WithBytes_AddsTheExactCount() =>
            Assert.Equal("1 MB (1000001 bytes)", ByteCount.WithBytes(1_000_001));

        [Fact]
        public void WithBytes_SmallCounts_AreJustBytes() =>
            Assert.Equal("12 bytes", ByteCount.WithBytes(12));
    }
}
