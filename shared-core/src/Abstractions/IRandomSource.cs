namespace AetherEdge.Core.Abstractions
{
    /// <summary>
    /// Randomness as the core sees it (nonces, jitter, probe delays). Injected so runs replay
    /// from a seed in tests; the hub backs it with a CSPRNG where secrecy matters.
    /// </summary>
    public interface IRandomSource
    {
        /// <summary>A uniformly distributed integer in [0, <paramref name="maxExclusive"/>).</summary>
        int Next(int maxExclusive);

        /// <summary>Fills <paramref name="buffer"/> with random bytes.</summary>
        void NextBytes(byte[] buffer);
    }
}
