using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using ProtocolViolationException = AetherEdge.Core.Protocol.ProtocolViolationException;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Push
{
    /// <summary>
    /// The origin's end of one push link: a TLS connection (ALPN <see cref="PushProtocol.Alpn"/>) to the trusted
    /// device the plan gives shards to. Lanes of the put write frames from several threads (one lock, one frame
    /// buffer: the link's send is the backpressure); a reader completes each shard's wait when its Ack arrives.
    /// Any failure fails every shard not yet acknowledged (the put then keeps those files here).
    /// </summary>
    public sealed class PushLink : IDisposable
    {
        private readonly TcpClient _client;
        private readonly SslStream _ssl;
        private readonly object _send = new();
        private readonly byte[] _frame = new byte[SyncLimits.MaxFrameBytes];
        private readonly ConcurrentDictionary<string, TaskCompletionSource<AckStatus>> _acks = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reader;
        private volatile string? _failure;

        private PushLink(DeviceId peer, TcpClient client, SslStream ssl)
        {
            Peer = peer;
            _client = client;
            _ssl = ssl;
            _reader = Task.Run(ReadAcksAsync);
        }

        public DeviceId Peer { get; }

        /// <summary>Bytes of shard chunks sent.</summary>
        public long BytesSent => Interlocked.Read(ref _bytesSent);

        private long _bytesSent;

        /// <summary>Dials <paramref name="endpoint"/> and proves it is <paramref name="peer"/> (TLS, trust circle); throws when not.</summary>
        public static async Task<PushLink> OpenAsync(TlsPeerPolicy policy, IPEndPoint endpoint, DeviceId peer, CancellationToken cancellation)
        {
            var client = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(SyncNode.HandshakeTimeout);
                await client.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
                var ssl = new SslStream(client.GetStream(), false);
                try
                {
                    await ssl.AuthenticateAsClientAsync(policy.ClientOptions(peer, PushProtocol.Alpn), timeout.Token).ConfigureAwait(false);
                    if (ssl.NegotiatedApplicationProtocol.ToString() != PushProtocol.Alpn)
                    {
                        throw new IOException(peer.Short + " does not take pushed shards (an older hub)");
                    }
                }
                catch
                {
                    await ssl.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                return new PushLink(peer, client, ssl);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        /// <summary>Sends one frame (chunk data is copied into the frame buffer under the lock).</summary>
        public void Send(SyncFrame frame)
        {
            lock (_send)
            {
                Check();
                int n = PushProtocol.Encode(frame, _frame);
                try
                {
                    long started = Diagnostics.StageCounter.Start();
                    _ssl.Write(_frame, 0, n);
                    SyncStages.Shared.Send.Stop(started, n);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    Fail("connection lost: " + e.Message);
                    throw new IOException("push to " + Peer.Short + " failed: " + e.Message, e);
                }

                if (frame is ShardChunkFrame chunk)
                {
                    Interlocked.Add(ref _bytesSent, chunk.DataLength);
                }
            }
        }

        /// <summary>Registers the wait for <paramref name="provisionalId"/>'s Ack (before its Pushed frame is sent).</summary>
        public Task<AckStatus> Expect(string provisionalId)
        {
            var tcs = new TaskCompletionSource<AckStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            _acks[provisionalId] = tcs;
            if (_failure != null)
            {
                tcs.TrySetException(new IOException("push to " + Peer.Short + " failed: " + _failure));
            }

            return tcs.Task;
        }

        public void Flush()
        {
            lock (_send)
            {
                Check();
                _ssl.Flush();
            }
        }

        private void Check()
        {
            if (_failure != null)
            {
                throw new IOException("push to " + Peer.Short + " failed: " + _failure);
            }
        }

        private async Task ReadAcksAsync()
        {
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            try
            {
                while (true)
                {
                    var frame = await PushProtocol.ReadAsync(_ssl, buffer, _stop.Token).ConfigureAwait(false);
                    switch (frame)
                    {
                        case null:
                            Fail("the receiver closed the link");
                            return;
                        case AckFrame ack:
                            if (_acks.TryRemove(ack.Id, out var tcs))
                            {
                                tcs.TrySetResult(ack.Status);
                            }

                            break;
                        case ErrorFrame error:
                            Fail("receiver error " + (int)error.Code + ": " + error.Message);
                            return;
                        default:
                            throw new ProtocolViolationException(frame.Type + " frame on a push link's return path");
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or ProtocolViolationException or System.Security.Authentication.AuthenticationException)
            {
                Fail(e.Message);
            }
        }

        private void Fail(string why)
        {
            _failure ??= why;
            foreach (var key in _acks.Keys)
            {
                if (_acks.TryRemove(key, out var tcs))
                {
                    tcs.TrySetException(new IOException("push to " + Peer.Short + " failed: " + why));
                }
            }
        }

        public void Dispose()
        {
            Fail("link closed");
            _stop.Cancel();
            lock (_send)
            {
                try
                {
                    _ssl.Dispose();
                }
                catch (IOException)
                {
                    // Closing a broken link.
                }
            }

            _client.Dispose();
            try
            {
                _reader.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The reader's failure was recorded.
            }

            _stop.Dispose();
        }
    }
}
