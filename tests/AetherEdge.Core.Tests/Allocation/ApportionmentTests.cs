using AetherEdge.Core.Allocation;
using CsCheck;

namespace AetherEdge.Core.Tests.Allocation
{
    public class ApportionmentTests
    {
        [Fact]
        public void Apportion_SeedScores_SumsToSeats()
        {
            int[] counts = Apportionment.Apportion(new[] { 100, 53, 16.4 }, new[] { 100, 100, 100 }, 15);
            Assert.Equal(new[] { 9, 5, 1 }, counts);
        }

        [Fact]
        public void Apportion_CappedParty_GivesRestToOthersByWeight()
        {
            int[] counts = Apportionment.Apportion(new[] { 100.0, 50, 50 }, new[] { 2, 100, 100 }, 10);
            Assert.Equal(new[] { 2, 4, 4 }, counts);
        }

        [Fact]
        public void Apportion_ZeroWeight_GetsNothing()
        {
            int[] counts = Apportionment.Apportion(new[] { 0.0, 1 }, new[] { 10, 10 }, 5);
            Assert.Equal(new[] { 0, 5 }, counts);
        }

        [Fact]
        public void Apportion_Property_SumIsSeatsOrCapacityAndCapsHold()
        {
            Gen.Select(Gen.Double[0, 100].Array[1, 20], Gen.Int[0, 50].Array[20], Gen.Int[0, 500]).Sample(t =>
            {
                var (w, capsAll, seats) = t;
                int[] caps = capsAll.Take(w.Length).ToArray();
                int[] counts = Apportionment.Apportion(w, caps, seats);
                long capacity = Enumerable.Range(0, w.Length).Where(i => w[i] > 0).Sum(i => (long)caps[i]);
                Assert.Equal(Math.Min(seats, capacity), counts.Sum());
                for (int i = 0; i < w.Length; i++)
                {
                    Assert.InRange(counts[i], 0, w[i] > 0 ? caps[i] : 0);
                }
            }, iter: 1000);
        }
    }
}
