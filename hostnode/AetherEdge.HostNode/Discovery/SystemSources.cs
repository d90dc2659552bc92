using System.Diagnostics;
using System.Security.Cryptography;
using AetherEdge.Core.Abstractions;

namespace AetherEdge.HostNode.Discovery
{
    /// <summary>The real clock for the discovery state machines (Stopwatch-based, monotonic).</summary>
    public sealed class SystemClock : IClock
    {
        private readonly long _origin = Stopwatch.GetTimestamp();

        public long MonotonicMilliseconds => (long)Stopwatch.GetElapsedTime(_origin).TotalMilliseconds;

        public DateTime UtcNow => DateTime.UtcNow;
    }

    /// <summary>Randomness from the OS CSPRNG (probe delays, jitter, node IDs).</summary>
    public sealed class SystemRandom : IRandomSource
    {
        public int Next(int maxExclusive) => maxExclusive <= 0 ? 0 : RandomNumberGenerator.GetInt32(maxExclusive);

        public void NextBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);
    }
}
