using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// Runs one <see cref="SyncSession"/> over a stream (normally an authenticated SslStream): a
    /// reader loop decodes frames into the session, a writer loop drains it. The session is not
    /// thread-safe, so both loops take one lock. Ends when the session completes or fails, the
    /// peer closes, or <paramref name="cancellation"/> fires.
    /// </summary>
    public static class SyncConnection
    {
        public static long NowMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        public static async Task<SyncSessionState> RunAsync(Stream stream, SyncSession session, CancellationToken cancellation)
        {
            var gate = new object();
            using var wake = new SemaphoreSlim(0);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            lock (gate)
            {
                session.Start();
            }

            Task writer = WriteLoopAsync(stream, session, gate, wake, linked.Token);
            Task reader = ReadLoopAsync(stream, session, gate, wake, linked.Token);
            Task first = await Task.WhenAny(writer, reader).ConfigureAwait(false);
            if (first == reader)
            {
                // Let the writer flush what the last frame caused (Ack, Error), then stop it.
                wake.Release();
                if (await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false) != writer)
                {
                    linked.Cancel();
                }
            }
            else
            {
                if (await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None)).ConfigureAwait(false) != reader)
                {
                    linked.Cancel();
                }
            }

            try
            {
                await Task.WhenAll(writer, reader).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested || e is not OperationCanceledException)
            {
                // Any failure (link, store, database) ends this session only, never the daemon.
                lock (gate)
                {
                    if (session.State != SyncSessionState.Complete && session.State != SyncSessionState.Failed)
                    {
                        session.Fail(SyncErrorCode.Internal, "connection lost: " + e.Message);
                    }
                }
            }

            cancellation.ThrowIfCancellationRequested();
            return session.State;
        }

        private static async Task WriteLoopAsync(Stream stream, SyncSession session, object gate, SemaphoreSlim wake, CancellationToken ct)
        {
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            while (true)
            {
                bool any;
                int n;
                SyncSessionState state;
                lock (gate)
                {
                    any = session.TryWriteNext(buffer, 0, buffer.Length, NowMilliseconds(), out n);
                    state = session.State;
                }

                if (any)
                {
                    long started = Diagnostics.StageCounter.Start();
                    await stream.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                    SyncStages.Shared.Send.Stop(started, n);
                    continue;
                }

                await stream.FlushAsync(ct).ConfigureAwait(false);
                if (state is SyncSessionState.Complete or SyncSessionState.Failed)
                {
                    if (stream is System.Net.Security.SslStream ssl)
                    {
                        await ssl.ShutdownAsync().ConfigureAwait(false);
                    }

                    return;
                }

                await wake.WaitAsync(ct).ConfigureAwait(false);
            }
        }

        private static async Task ReadLoopAsync(Stream stream, SyncSession session, object gate, SemaphoreSlim wake, CancellationToken ct)
        {
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            try
            {
                while (true)
                {
                    if (!await ReadExactlyOrEndAsync(stream, buffer, 0, SyncLimits.HeaderBytes, ct).ConfigureAwait(false))
                    {
                        lock (gate)
                        {
                            if (session.State != SyncSessionState.Complete && session.State != SyncSessionState.Failed)
                            {
                                session.Fail(SyncErrorCode.Internal, "peer closed the connection mid-session");
                            }
                        }

                        return;
                    }

                    SyncSessionState state;
                    try
                    {
                        int length = SyncFrameCodec.PeekFrameLength(buffer, 0, SyncLimits.HeaderBytes);
                        long started = Diagnostics.StageCounter.Start();
                        if (!await ReadExactlyOrEndAsync(stream, buffer, SyncLimits.HeaderBytes, length - SyncLimits.HeaderBytes, ct).ConfigureAwait(false))
                        {
                            throw new IOException("peer closed the connection inside a frame");
                        }

                        SyncStages.Shared.Receive.Stop(started, length);

                        SyncFrameCodec.TryRead(buffer, 0, length, out var frame);
                        bool output;
                        lock (gate)
                        {
                            session.Receive(frame!, NowMilliseconds());
                            state = session.State;
                            output = session.HasOutput || state is SyncSessionState.Complete or SyncSessionState.Failed;
                        }

                        // Most received frames (chunks) cause no output: waking the writer for each
                        // costs a thread hop per 256 KiB for nothing.
                        if (output)
                        {
                            wake.Release();
                        }
                    }
                    catch (ProtocolViolationException e)
                    {
                        lock (gate)
                        {
                            session.Fail(SyncErrorCode.ProtocolViolation, e.Message);
                        }

                        wake.Release();
                        return;
                    }

                    if (state is SyncSessionState.Failed)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
            {
                lock (gate)
                {
                    if (session.State != SyncSessionState.Complete && session.State != SyncSessionState.Failed)
                    {
                        session.Fail(SyncErrorCode.Internal, "connection lost: " + e.Message);
                    }
                }
            }
            finally
            {
                wake.Release();
            }
        }

        private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, int offset, int count, CancellationToken ct)
        {
            int got = 0;
            while (got < count)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(offset + got, count - got), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    if (got == 0 && offset == 0)
                    {
                        return false;
                    }

                    throw new IOException("peer closed the connection inside a frame");
                }

                got += n;
            }

            return true;
        }
    }
}
