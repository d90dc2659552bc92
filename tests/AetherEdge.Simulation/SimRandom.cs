using AetherEdge.Core.Abstractions;

namespace AetherEdge.Simulation
{
    /// <summary>Seeded, replayable randomness for simulated nodes and links.</summary>
    public sealed class SimRandom : IRandomSource
    {
        private readonly Random _random;

        public SimRandom(int seed) => _random = new Random(seed);

        public int Next(int maxExclusive) => _random.Next(maxExclusive);

        public void NextBytes(byte[] buffer) => _random.NextBytes(buffer);

        public double NextDouble() => _random.NextDouble();
    }
}
