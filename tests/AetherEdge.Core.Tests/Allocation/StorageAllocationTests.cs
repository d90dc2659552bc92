using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using static AetherEdge.Core.Tests.Allocation.Devices;

namespace AetherEdge.Core.Tests.Allocation
{
    public class StorageAllocationTests
    {
        [Theory]
        [InlineData(DeviceKind.Desktop, 1_000_000_000)]
        [InlineData(DeviceKind.Laptop, 500_000_000)]
        [InlineData(DeviceKind.Mobile, 100_000_000)]
        public void DefaultAllocationBytes_SeedKinds_MatchSeed(DeviceKind kind, long expected) =>
            Assert.Equal(expected, StorageAllocation.DefaultAllocationBytes(kind));

        [Theory]
        [InlineData(DeviceKind.Desktop, 100_000_000)]
        [InlineData(DeviceKind.Laptop, 100_000_000)]
        [InlineData(DeviceKind.Mobile, 50_000_000)]
        public void MinAllocationBytes_SeedKinds_MatchSeed(DeviceKind kind, long expected) =>
            Assert.Equal(expected, StorageAllocation.MinAllocationBytes(kind));

        [Theory]
        [InlineData(DeviceKind.Desktop, 500 * GB, 50 * GB)]
        [InlineData(DeviceKind.Desktop, 4000 * GB, 100 * GB)]
        [InlineData(DeviceKind.Laptop, 400 * GB, 20 * GB)]
        [InlineData(DeviceKind.Laptop, 2000 * GB, 50 * GB)]
        [InlineData(DeviceKind.Mobile, 128 * GB, 2_560 * MB)]
        [InlineData(DeviceKind.Mobile, 1000 * GB, 10 * GB)]
        public void MaxAllocationBytes_SeedKinds_AreShareOfCapacityWithCap(DeviceKind kind, long total, long expected) =>
            Assert.Equal(expected, StorageAllocation.MaxAllocationBytes(kind, total));

        [Fact]
        public void MaxAllocationBytes_Desktop2TB_Is100GBCapNotTheSeedUis200GB()
        {
            // The seed's settings mock-up shows "10GB / 200GB max" for a 2 TB desktop, but its own
            // max_allocation caps a desktop at 100 GB. The formula wins.
            Assert.Equal(100 * GB, StorageAllocation.MaxAllocationBytes(DeviceKind.Desktop, 2000 * GB));
        }

        [Theory]
        [InlineData(DeviceKind.Hub, 256 * GB)]
        [InlineData(DeviceKind.Beacon, 16 * GB)]
        [InlineData(DeviceKind.Desktop, 256 * GB)]
        [InlineData(DeviceKind.Laptop, 256 * GB)]
        [InlineData(DeviceKind.Mobile, 64 * GB)]
        public void DefaultAllocationBytes_TypicalDevice_IsValid(DeviceKind kind, long total)
        {
            long def = StorageAllocation.DefaultAllocationBytes(kind);
            Assert.Null(StorageAllocation.ValidationError(kind, def, total));
        }

        [Fact]
        public void ValidationError_BelowMinimum_NamesMinimum()
        {
            string? error = StorageAllocation.ValidationError(DeviceKind.Mobile, 10 * MB, 64 * GB);
            Assert.NotNull(error);
            Assert.Contains("below the mobile minimum of 50 MB (50000000 bytes)", error);
        }

        [Fact]
        public void ValidationError_AboveMaximum_NamesMaximumAndCapacity()
        {
            string? error = StorageAllocation.ValidationError(DeviceKind.Laptop, 30 * GB, 400 * GB);
            Assert.NotNull(error);
            Assert.Contains("exceeds the laptop maximum of 20 GB (20000000000 bytes)", error);
            Assert.Contains("400000000000", error);
        }

        [Fact]
        public void ValidationError_Negative_SaysNegative()
        {
            Assert.Contains("negative", StorageAllocation.ValidationError(DeviceKind.Hub, -1, 256 * GB));
        }

        [Fact]
        public void ValidationError_DeviceTooSmallForItsMinimum_SaysTooSmall()
        {
            // A phone with 1 GB of storage may give 1/50 = 20 MB, below the 50 MB minimum: no valid allocation exists.
            string? error = StorageAllocation.ValidationError(DeviceKind.Mobile, 50 * MB, 1 * GB);
            Assert.NotNull(error);
            Assert.Contains("too small to join", error);
        }

        [Fact]
        public void ValidationError_InRange_IsNull()
        {
            Assert.Null(StorageAllocation.ValidationError(DeviceKind.Desktop, 10 * GB, 2000 * GB));
        }

        [Fact]
        public void AvailableBytes_UsedOverAllocation_IsZeroLikeSeedSaturatingSub()
        {
            Assert.Equal(0, StorageAllocation.AvailableBytes(100 * MB, 150 * MB));
            Assert.Equal(1_800 * MB, StorageAllocation.AvailableBytes(10 * GB, 8_200 * MB));
        }

        [Fact]
        public void UtilizationPercent_SeedUiExample_Is82()
        {
            Assert.Equal(82.0, StorageAllocation.UtilizationPercent(10 * GB, 8_200 * MB), 6);
        }

        [Fact]
        public void UtilizationPercent_ZeroAllocation_IsZeroNotTheSeedsDivisionByZero()
        {
            Assert.Equal(0.0, StorageAllocation.UtilizationPercent(0, 0));
        }

        [Fact]
        public void RecommendedAllocationBytes_SeedUiExample_GivesHeadroomOverUse()
        {
            // 8.2 GB used: +25 % = 10.25 GB, rounded up to 100 MB steps.
            Assert.Equal(10_300 * MB, StorageAllocation.RecommendedAllocationBytes(DeviceKind.Desktop, 8_200 * MB, 2000 * GB));
        }

        [Fact]
        public void RecommendedAllocationBytes_NoUse_IsDefault()
        {
            Assert.Equal(100 * MB, StorageAllocation.RecommendedAllocationBytes(DeviceKind.Mobile, 0, 64 * GB));
        }

        [Fact]
        public void RecommendedAllocationBytes_HeavyUse_StaysWithinMaximum()
        {
            Assert.Equal(2_560 * MB, StorageAllocation.RecommendedAllocationBytes(DeviceKind.Mobile, 5 * GB, 128 * GB));
        }

        [Theory]
        [InlineData("desktop", DeviceKind.Desktop)]
        [InlineData("Laptop", DeviceKind.Laptop)]
        [InlineData("MOBILE", DeviceKind.Mobile)]
        [InlineData("hub", DeviceKind.Hub)]
        [InlineData("beacon", DeviceKind.Beacon)]
        public void TryParseKind_KnownName_RoundTrips(string text, DeviceKind kind)
        {
            Assert.True(StorageAllocation.TryParseKind(text, out var parsed));
            Assert.Equal(kind, parsed);
            Assert.Equal(text.ToLowerInvariant(), StorageAllocation.KindName(parsed));
        }

        [Fact]
        public void TryParseKind_Unknown_IsFalse() => Assert.False(StorageAllocation.TryParseKind("toaster", out _));
    }
}
