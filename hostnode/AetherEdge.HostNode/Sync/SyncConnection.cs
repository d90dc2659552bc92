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

        public static Task<SyncSessionState> RunAsync(Stream stream, SyncSession session, CancellationToken cancellation) =>
            RunAsync(stream, session, SyncSessionOptions.Default, new SessionActivity(), cancellation);

        /// <summary>
        /// Runs the session under <paramref name="options"/>: a watchdog ends it when <paramref name="activity"/>
        /// saw no progress for the idle timeout (reads, writes and the closing handshake included), and the
        /// writer sends KeepAlives when it was quiet. <paramref name="activity"/> can also be aborted from outside.
        /// </summary>
        public static async Task<SyncSessionState> RunAsync(Stream stream, SyncSession session, SyncSessionOptions options, SessionActivity activity, CancellationToken cancellation)
        {
            var gate = new object();
            using var wake = new SemaphoreSlim(0);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, activity.Aborted);
            using var watchStop = new CancellationTokenSource();
            lock (gate)
            {
                session.Start();
            }

            activity.Progress();
            Task watchdog = WatchAsync(stream, options, activity, watchStop.Token);
            Task writer = WriteLoopAsync(stream, session, gate, wake, options, activity, linked.Token);
            Task reader = ReadLoopAsync(stream, session, gate, wake, activity, linked.Token);
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
            finally
            {
                watchStop.Cancel();
                await watchdog.ConfigureAwait(false);
            }

            cancellation.ThrowIfCancellationRequested();
            lock (gate)
            {
                // However the loops ended after an abort, the session did not complete (SyncNode names the reason).
                if (activity.AbortReason != SessionActivity.NotAborted && session.State != SyncSessionState.Complete)
                {
                    session.Fail(SyncErrorCode.Internal, "connection lost");
                }

                return session.State;
            }
        }

        /// <summary>
        /// Ends a session that stopped moving: cancels its loops and closes the stream, which also frees a
        /// write the peer never reads (a full TCP window) and a TLS close that never completes.
        /// </summary>
        private static async Task WatchAsync(Stream stream, SyncSessionOptions options, SessionActivity activity, CancellationToken stop)
        {
            long check = Math.Clamp((long)options.IdleTimeout.TotalMilliseconds / 10, 20, 1000);
            try
            {
                while (true)
                {
                    Task aborted = Task.Delay(Timeout.Infinite, activity.Aborted);
                    await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(check), stop), aborted).ConfigureAwait(false);
                    stop.ThrowIfCancellationRequested();
                    if (activity.AbortReason == SessionActivity.NotAborted && activity.SilentMilliseconds > options.IdleTimeout.TotalMilliseconds)
                    {
                        activity.Abort(SessionActivity.TimedOut);
                    }

                    if (activity.AbortReason != SessionActivity.NotAborted)
                    {
                        await stream.DisposeAsync().ConfigureAwait(false);
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // Closing a broken stream: it is closed either way.
            }
        }

        private static async Task WriteLoopAsync(Stream stream, SyncSession session, object gate, SemaphoreSlim wake, SyncSessionOptions options, SessionActivity activity, CancellationToken ct)
        {
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            while (true)
            {
                bool any = false;
                int n = 0;
                SyncSessionState state;

                // The reader may hold the session for long store work (hashing a large shard): rather than
                // wait silently, tell the peer we are alive.
                if (!Monitor.TryEnter(gate, options.KeepAliveInterval))
                {
                    await WriteKeepAliveAsync(stream, buffer, activity, ct).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    activity.BeginLocalWork();
                    try
                    {
                        any = session.TryWriteNext(buffer, 0, buffer.Length, NowMilliseconds(), out n);
                        state = session.State;
                    }
                    finally
                    {
                        // Only a data frame made counts: an empty pass (a keep-alive timer tick) is not progress.
                        activity.EndLocalWork(any && buffer[2] != (byte)SyncFrameType.KeepAlive);
                    }
                }
                finally
                {
                    Monitor.Exit(gate);
                }

                if (any)
                {
                    long started = Diagnostics.StageCounter.Start();
                    await stream.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);

                    // A KeepAlive is not progress: a peer that reads nothing would otherwise be kept forever
                    // by the kernel's send buffer taking our keep-alives.
                    if (buffer[2] != (byte)SyncFrameType.KeepAlive)
                    {
                        activity.Progress();
                    }

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

                if (!await wake.WaitAsync(options.KeepAliveInterval, ct).ConfigureAwait(false))
                {
                    // Quiet for a keep-alive interval: tell the peer we are still here. When the session is busy
                    // in the store (hashing a large shard on the reader's side), encode it here, without the lock.
                    if (Monitor.TryEnter(gate))
                    {
                        try
                        {
                            if (session.QueueKeepAlive())
                            {
                                activity.KeepAliveQueued();
                            }
                        }
                        finally
                        {
                            Monitor.Exit(gate);
                        }
                    }
                    else
                    {
                        await WriteKeepAliveAsync(stream, buffer, activity, ct).ConfigureAwait(false);
                    }
                }
            }
        }

        /// <summary>Writes a KeepAlive outside the session (it is busy) when the peer speaks protocol 2.</summary>
        private static async Task WriteKeepAliveAsync(Stream stream, byte[] buffer, SessionActivity activity, CancellationToken ct)
        {
            if (!activity.PeerKeepsAlive)
            {
                return;
            }

            int n = EncodeKeepAlive(buffer);
            await stream.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
            activity.KeepAliveQueued();
        }

        private static int EncodeKeepAlive(byte[] buffer)
        {
            var nonce = new byte[8];
            CryptoRandom.Instance.NextBytes(nonce);
            var frame = new KeepAliveFrame { TimestampMilliseconds = NowMilliseconds(), Nonce = BitConverter.ToUInt64(nonce, 0) };
            SyncFrameCodec.TryWrite(frame, buffer, 0, buffer.Length, out int n);
            return n;
        }

        private static async Task ReadLoopAsync(Stream stream, SyncSession session, object gate, SemaphoreSlim wake, SessionActivity activity, CancellationToken ct)
        {
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            try
            {
                while (true)
                {
                    if (!await ReadExactlyOrEndAsync(stream, buffer, 0, SyncLimits.HeaderBytes, activity, ct).ConfigureAwait(false))
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
                        if (!await ReadExactlyOrEndAsync(stream, buffer, SyncLimits.HeaderBytes, length - SyncLimits.HeaderBytes, activity, ct).ConfigureAwait(false))
                        {
                            throw new IOException("peer closed the connection inside a frame");
                        }

                        SyncStages.Shared.Receive.Stop(started, length);

                        SyncFrameCodec.TryRead(buffer, 0, length, out var frame);
                        bool output;
                        lock (gate)
                        {
                            activity.BeginLocalWork();
                            try
                            {
                                session.Receive(frame!, NowMilliseconds());
                                state = session.State;
                                if (frame!.Type == SyncFrameType.Hello && session.PeerHello is { ProtocolVersion: >= SyncLimits.KeepAliveSinceVersion })
                                {
                                    activity.PeerKeepsAlive = true;
                                }

                                output = session.HasOutput || state is SyncSessionState.Complete or SyncSessionState.Failed;
                            }
                            finally
                            {
                                activity.EndLocalWork(true);
                            }
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

        private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, int offset, int count, SessionActivity activity, CancellationToken ct)
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
                activity.Progress();
            }

            return true;
        }
    }
}
