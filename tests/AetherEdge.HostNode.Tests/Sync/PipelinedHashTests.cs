using System.Security.Cryptography;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Tests.Sync
{
    public sealed class PipelinedHashTests
    {
        [Fact]
        public void Finish_ManyUnevenAppends_EqualsSha256OfAllBytes()
        {
            var data = new byte[PipelinedHash.InlineBytes + 3_000_001];
            new Random(4).NextBytes(data);
            using var hash = new PipelinedHash();
            var rnd = new Random(5);
            int at = 0;
            while (at < data.Length)
            {
                // More appends than MaxQueuedBuffers, so Append also blocks on back-pressure.
                int n = Math.Min(data.Length - at, rnd.Next(0, 70_000));
                hash.Append(data, at, n);
                at += n;
            }

            Assert.Equal(data.Length, hash.Length);
            Assert.Equal(SHA256.HashData(data), hash.Finish());
        }

        [Fact]
        public void Finish_WorkerIdledOutBetweenAppends_StillHashesInOrder()
        {
            var data = new byte[PipelinedHash.InlineBytes + 30];
            new Random(6).NextBytes(data);
            using var hash = new PipelinedHash();
            hash.Append(data, 0, PipelinedHash.InlineBytes);
            hash.Append(data, PipelinedHash.InlineBytes, 10);
            Thread.Sleep(PipelinedHash.IdleMilliseconds * 3);
            hash.Append(data, PipelinedHash.InlineBytes + 10, 20);
            Assert.Equal(SHA256.HashData(data), hash.Finish());
        }

        [Fact]
        public void Finish_NothingAppended_IsSha256OfEmpty()
        {
            using var hash = new PipelinedHash();
            Assert.Equal(SHA256.HashData(Array.Empty<byte>()), hash.Finish());
        }

        [Fact]
        public void Append_AfterFinish_Throws()
        {
            using var hash = new PipelinedHash();
            hash.Finish();
            Assert.Throws<ObjectDisposedException>(() => hash.Append(new byte[1], 0, 1));
        }

        [Fact]
        public async Task Dispose_WithQueuedBytes_ReturnsWithoutFinish()
        {
            var hash = new PipelinedHash();
            var data = new byte[1 << 20];
            for (int i = 0; i < 12; i++)
            {
                hash.Append(data, 0, data.Length);
            }

            await Task.Run(hash.Dispose).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
