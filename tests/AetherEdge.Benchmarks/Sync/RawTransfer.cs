using System.Net;
using System.Net.Sockets;
using AetherEdge.Core.Sync;

namespace AetherEdge.Benchmarks.Sync
{
    /// <summary>
    /// The raw-TCP reference the sync benchmarks are measured against: the same items over one loopback
    /// connection, 256 KiB writes, no TLS, no framing, no hashing; optionally read from and written to files.
    /// </summary>
    public static class RawTransfer
    {
        /// <summary>
        /// Sends every item; <paramref name="source"/> (null: a memory buffer) gives an item's file path,
        /// <paramref name="sinkDir"/> (null: discard) receives them as files, flushed to disk when
        /// <paramref name="durable"/> (what a crash-safe store pays). Returns the bytes received.
        /// </summary>
        public static long Tcp(IReadOnlyList<string> ids, Func<string, long> length, Func<string, string>? source, string? sinkDir, bool durable = false)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            long total = 0;
            var receiver = Task.Run(async () =>
            {
                using var s = await listener.AcceptSocketAsync();
                using var ns = new NetworkStream(s, true);
                var buf = new byte[SyncLimits.DefaultChunkBytes];
                foreach (string id in ids)
                {
                    long left = length(id);
                    using Stream sink = sinkDir != null ? new FileStream(Path.Combine(sinkDir, id), FileMode.Create) : Stream.Null;
                    while (left > 0)
                    {
                        int n = await ns.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, left)));
                        if (n == 0)
                        {
                            throw new IOException("short");
                        }

                        await sink.WriteAsync(buf.AsMemory(0, n));
                        left -= n;
                        total += n;
                    }

                    if (durable && sink is FileStream fs)
                    {
                        fs.Flush(flushToDisk: true);
                    }
                }
            });
            using (var client = new TcpClient())
            {
                client.NoDelay = true;
                client.Connect((IPEndPoint)listener.LocalEndpoint);
                var ns = client.GetStream();
                var buf = new byte[SyncLimits.DefaultChunkBytes];
                new Random(2).NextBytes(buf);
                foreach (string id in ids)
                {
                    using Stream? file = source != null ? new FileStream(source(id), FileMode.Open, FileAccess.Read) : null;
                    for (long left = length(id); left > 0;)
                    {
                        int n = (int)Math.Min(buf.Length, left);
                        if (file != null)
                        {
                            n = file.Read(buf, 0, n);
                        }

                        ns.Write(buf, 0, n);
                        left -= n;
                    }
                }
            }

            receiver.GetAwaiter().GetResult();
            listener.Stop();
            return total;
        }
    }
}
