using System.Security.Cryptography;
using AetherEdge.Core.Abstractions;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>IRandomSource backed by the OS CSPRNG (frame nonces must not be predictable).</summary>
    public sealed class CryptoRandom : IRandomSource
    {
        public static CryptoRandom Instance { get; } = new();

        public int Next(int maxExclusive) => RandomNumberGenerator.GetInt32(maxExclusive);

        public void NextBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);
    }
}
