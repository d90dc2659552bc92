using System.IO.Pipelines;
using System.Security.Cryptography;
using AetherEdge.HostNode.Mesh;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// A relay's splice (one direction of a tunnel through B): every byte arrives once and in order, the end of the
    /// input reaches the far side as a completed pipe (the half close that carries TLS close_notify on), and the onward
    /// pipe never holds more than its pause threshold plus one chunk however much one read returns. The first splice
    /// wrote each read whole (up to a 1 MiB window) before flushing, so the onward pipe held the whole read.
    /// </summary>
    public sealed class MeshTunnelSpliceTests
    {
        private const int Threshold = 64 * 1024;
        private const int Chunk = Threshold / 4;

        [Fact]
        public async Task ABigRead_CrossesWhole_InChunksThatWaitAtTheOnwardThreshold_AndTheEndIsPassedOn()
        {
            byte[] data = RandomNumberGenerator.GetBytes((1 << 20) + 12345);
            var input = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
            var onward = new Pipe(new PipeOptions(pauseWriterThreshold: Threshold, resumeWriterThreshold: Threshold / 2, useSynchronizationContext: false));

            // The whole input is there before the splice reads: its first read returns all of it at once.
            await input.Writer.WriteAsync(data);
            await input.Writer.CompleteAsync();
            long relayed = 0;
            var splice = MeshTunnels.Splice(input.Reader, onward.Writer, Chunk, n => Interlocked.Add(ref relayed, n), CancellationToken.None);

            var received = new MemoryStream();
            long mostHeld = 0;
            while (true)
            {
                var read = await onward.Reader.ReadAsync();
                mostHeld = Math.Max(mostHeld, read.Buffer.Length);
                foreach (var segment in read.Buffer)
                {
                    received.Write(segment.Span);
                }

                onward.Reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }

                await Task.Yield();
            }

            await splice;
            Assert.Equal(data, received.ToArray());
            Assert.Equal(data.Length, Interlocked.Read(ref relayed));
            Assert.InRange(mostHeld, 1, Threshold + Chunk);
        }

        [Fact]
        public async Task TheFarSideStopsReading_TheSpliceEndsAndCompletesItsInput()
        {
            var input = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
            var onward = new Pipe(new PipeOptions(pauseWriterThreshold: Threshold, resumeWriterThreshold: Threshold / 2, useSynchronizationContext: false));
            await onward.Reader.CompleteAsync();
            await input.Writer.WriteAsync(new byte[Threshold * 2]);

            await MeshTunnels.Splice(input.Reader, onward.Writer, Chunk, _ => { }, CancellationToken.None);

            // The input's reader is complete: the near side's next write learns the tunnel is gone.
            var flushed = await input.Writer.WriteAsync(new byte[1]);
            Assert.True(flushed.IsCompleted);
        }
    }
}
