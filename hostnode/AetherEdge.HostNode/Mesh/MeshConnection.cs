using System.Buffers.Binary;
using System.Net.Security;
using System.Threading.Channels;
using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using Nerdbank.Streams;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// A mesh link to a neighbour hub: a TLS 1.3 connection on the sync port with ALPN <c>aether-mesh/1</c>
    /// (same certificates, same trust-circle check as sync), multiplexed (Nerdbank.Streams
    /// <see cref="MultiplexingStream"/>, protocol 3, per-channel flow-control windows). Channel 0 (seeded)
    /// carries routed packets as sync-codec <see cref="RoutedFrame"/>s; further channels are tunnels that
    /// relays splice through (<see cref="MeshTunnels"/>). Outgoing packets wait in a bounded queue
    /// (<see cref="MaxQueuedPackets"/>, <see cref="MaxQueuedBytes"/>); when it is full the router keeps them.
    /// </summary>
    public sealed class MeshConnection : IMeshLink, IAsyncDisposable
    {
        public const string Alpn = "aether-mesh/1";
        public const int MaxQueuedPackets = 256;
        public const long MaxQueuedBytes = 4L * 1024 * 1024;

        private readonly SslStream _ssl;
        private readonly MultiplexingStream _mux;
        private readonly Stream _packets;
        private readonly Channel<byte[]> _out = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(MaxQueuedPackets) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly CancellationTokenSource _closed = new();
        private long _queuedBytes;

        private MeshConnection(SslStream ssl, MultiplexingStream mux, Stream packets, DeviceId peer, bool dialled, string kind, string remote)
        {
            _ssl = ssl;
            _mux = mux;
            _packets = packets;
            Peer = peer;
            Dialled = dialled;
            Kind = kind;
            Neighbour = MeshAddress.Of(peer);
            Description = remote + " (" + peer.Short + ")";
        }

        public DeviceId Peer { get; }

        /// <summary>True when this side dialled (decides which of two crossing connections stays).</summary>
        public bool Dialled { get; }

        public string Kind { get; }

        public uint Neighbour { get; }

        public int Quality => Core.Routing.RoutingLimits.MaxLinkQuality;

        public string Description { get; }

        /// <summary>The multiplexer, for tunnels.</summary>
        public MultiplexingStream Mux => _mux;

        /// <summary>Cancelled once the connection is closing.</summary>
        public CancellationToken Closed => _closed.Token;

        /// <summary>Multiplexes an authenticated TLS stream (both sides seed the packet channel: no round trip).</summary>
        /// <param name="onOffer">Hears channels the neighbour offers (tunnels); subscribed before the multiplexer listens.</param>
        public static async Task<MeshConnection> StartAsync(
            SslStream ssl, DeviceId peer, bool dialled, string kind, string remote, long windowBytes, Action<MeshConnection, MultiplexingStream.ChannelOfferEventArgs> onOffer, CancellationToken ct)
        {
            var options = new MultiplexingStream.Options
            {
                ProtocolMajorVersion = 3,
                DefaultChannelReceivingWindowSize = windowBytes,
                StartSuspended = true,
            };
            options.SeededChannels.Add(new MultiplexingStream.ChannelOptions { ChannelReceivingWindowSize = MaxQueuedBytes });
            var mux = await MultiplexingStream.CreateAsync(ssl, options, ct).ConfigureAwait(false);
            MeshConnection? connection = null;
            mux.ChannelOffered += (_, offer) =>
            {
                if (Volatile.Read(ref connection) is { } c)
                {
                    onOffer(c, offer);
                }
                else
                {
                    mux.RejectChannel(offer.QualifiedId.Id); // in the instant before the link is set up: the dialler retries
                }
            };
            mux.StartListening();
            var packets = mux.AcceptChannel(0UL).AsStream();
            Volatile.Write(ref connection, new MeshConnection(ssl, mux, packets, peer, dialled, kind, remote));
            return connection;
        }

        public bool TrySend(byte[] packet, int offset, int length)
        {
            if (_closed.IsCancellationRequested)
            {
                return true;
            }

            if (Interlocked.Read(ref _queuedBytes) + length > MaxQueuedBytes)
            {
                return false;
            }

            byte[] copy = packet.AsSpan(offset, length).ToArray();
            if (!_out.Writer.TryWrite(copy))
            {
                return false;
            }

            Interlocked.Add(ref _queuedBytes, length);
            return true;
        }

        /// <summary>Moves packets both ways until the peer closes, the link breaks or <paramref name="ct"/> fires.</summary>
        public async Task RunAsync(MeshAttachment attachment, CancellationToken ct)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _closed.Token);
            var writer = WriteLoopAsync(linked.Token);
            var reader = ReadLoopAsync(attachment, linked.Token);
            var muxDone = _mux.Completion;
            await Task.WhenAny(writer, reader, muxDone).ConfigureAwait(false);
            _closed.Cancel();
            try
            {
                await Task.WhenAll(writer, reader).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or ProtocolViolationException or ChannelClosedException)
            {
                // The link is gone; the router hears of it through Detach.
            }
        }

        public async ValueTask DisposeAsync()
        {
            _closed.Cancel();
            _out.Writer.TryComplete();
            await _mux.DisposeAsync().ConfigureAwait(false);
            await _ssl.DisposeAsync().ConfigureAwait(false);
            _closed.Dispose();
        }

        private async Task WriteLoopAsync(CancellationToken ct)
        {
            var frame = new byte[SyncLimits.HeaderBytes + Core.Routing.RoutingLimits.MaxPacketBytes];
            var nonce = new byte[8];
            try
            {
                while (await _out.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                {
                    while (_out.Reader.TryRead(out var packet))
                    {
                        Interlocked.Add(ref _queuedBytes, -packet.Length);
                        var f = new RoutedFrame(packet, 0, packet.Length) { TimestampMilliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
                        System.Security.Cryptography.RandomNumberGenerator.Fill(nonce);
                        f.Nonce = BinaryPrimitives.ReadUInt64BigEndian(nonce);
                        SyncFrameCodec.TryWrite(f, frame, 0, frame.Length, out int n);
                        await _packets.WriteAsync(frame.AsMemory(0, n), ct).ConfigureAwait(false);
                    }

                    await _packets.FlushAsync(ct).ConfigureAwait(false);
                }
            }
            finally
            {
                _closed.Cancel();
            }
        }

        private async Task ReadLoopAsync(MeshAttachment attachment, CancellationToken ct)
        {
            var buffer = new byte[SyncLimits.HeaderBytes + Core.Routing.RoutingLimits.MaxPacketBytes];
            try
            {
                while (true)
                {
                    if (!await FillAsync(buffer, 0, SyncLimits.HeaderBytes, ct).ConfigureAwait(false))
                    {
                        return;
                    }

                    int length = SyncFrameCodec.PeekFrameLength(buffer, 0, SyncLimits.HeaderBytes);
                    if (buffer[2] != (byte)SyncFrameType.Routed || length > buffer.Length)
                    {
                        throw new ProtocolViolationException("mesh link carries Routed frames only, got type " + buffer[2]);
                    }

                    if (!await FillAsync(buffer, SyncLimits.HeaderBytes, length - SyncLimits.HeaderBytes, ct).ConfigureAwait(false))
                    {
                        throw new IOException("mesh link closed inside a frame");
                    }

                    SyncFrameCodec.TryRead(buffer, 0, length, out var frame);
                    var routed = (RoutedFrame)frame!;
                    attachment.Receive(routed.Packet, routed.PacketOffset, routed.PacketLength);
                }
            }
            finally
            {
                _closed.Cancel();
            }
        }

        private async Task<bool> FillAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            int got = 0;
            while (got < count)
            {
                int n = await _packets.ReadAsync(buffer.AsMemory(offset + got, count - got), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    if (got == 0 && offset == 0)
                    {
                        return false;
                    }

                    throw new IOException("mesh link closed inside a frame");
                }

                got += n;
            }

            return true;
        }
    }
}
