using System.Threading.Channels;
using AetherEdge.Core.Gatt;
using AetherEdge.Core.Protocol;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Mesh;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>
    /// One BLE connection as a mesh link: a routed packet is one transfer of the shared-core GATT protocol
    /// (<see cref="GattEndpoint"/>: fragments, acks, retries, CRC-32), values go out through the BlueZ layer
    /// one D-Bus call at a time. Thread-safe: values arrive on the D-Bus reader, the router thread sends,
    /// <see cref="BleMeshService"/>'s stepping loop drives timers; one lock guards the endpoint (never held
    /// across I/O). A connection whose neighbour is not known yet (a central that connected to us) is
    /// identified by the first packet the peer originated itself (hop limit = hop start, e.g. its greeting)
    /// and only then attached to the router; packets before that are dropped and counted.
    /// Bounded: <see cref="MaxQueuedValues"/> values wait for the radio, <see cref="GattLimits.DefaultConcurrentTransfers"/>
    /// transfers each way.
    /// </summary>
    public sealed class GattMeshLink : IMeshLink, IGattLink, IGattSendListener, IGattReceiveListener, IAsyncDisposable
    {
        /// <summary>Values queued for the radio at most (about 2 windows of fragments).</summary>
        public const int MaxQueuedValues = 96;

        private readonly object _gate = new();
        private readonly GattEndpoint _endpoint;
        private readonly Channel<byte[]> _out = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(MaxQueuedValues) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly Func<byte[], Task> _write;
        private readonly Func<long> _now;
        private readonly BleCounters _counters;
        private readonly Func<IMeshLink, MeshAttachment?> _attach;
        private readonly CancellationTokenSource _closed = new();
        private readonly Task _writer;
        private volatile MeshAttachment? _attachment;
        private uint _neighbour;
        private long _lastHeardMs;

        /// <param name="neighbour">the peer's router node id, or <see cref="RoutingLimits.NoNode"/> until its first own packet names it.</param>
        /// <param name="write">sends one value (a D-Bus WriteValue or a notification); a throw closes the link.</param>
        /// <param name="attach">attaches this link to the router (<see cref="MeshLinks.Attach"/>); null = refused.</param>
        public GattMeshLink(string description, uint neighbour, int quality, int mtu, Func<byte[], Task> write, Func<long> now,
            Func<IMeshLink, MeshAttachment?> attach, BleCounters counters)
        {
            Description = description;
            _neighbour = neighbour;
            Quality = Math.Clamp(quality, 0, 255);
            MaxWriteLength = GattLimits.AttPayloadForMtu(Math.Clamp(mtu, GattLimits.MinAttMtu, GattLimits.MaxAttMtu));
            _write = write;
            _now = now;
            _attach = attach;
            _counters = counters;
            _lastHeardMs = now();
            _endpoint = new GattEndpoint(this, this, this, GattLimits.DefaultConcurrentTransfers, GattLimits.MaxTransferBytes);
            _writer = Task.Run(WriteLoopAsync);
            if (neighbour != RoutingLimits.NoNode)
            {
                Attach();
            }
        }

        public string Kind => MeshLinkKind.Ble;

        /// <summary>The transport's counters this link counts into.</summary>
        public BleCounters Counters => _counters;

        public uint Neighbour => Volatile.Read(ref _neighbour);

        public int Quality { get; }

        public string Description { get; }

        public int MaxWriteLength { get; }

        /// <summary>True once attached to the router (neighbour known, not refused).</summary>
        public bool IsAttached => _attachment != null && !_attachment.IsDetached;

        /// <summary>True once closed (write failure, peer gone, shutdown).</summary>
        public bool IsClosed => _closed.IsCancellationRequested;

        /// <summary>Router milliseconds of the last value heard from the peer.</summary>
        public long LastHeardMilliseconds => Interlocked.Read(ref _lastHeardMs);

        /// <summary>Transfers that failed on this link after the GATT layer's retries.</summary>
        public long FailedTransfers { get; private set; }

        /// <summary>A value from the peer (its write, or its notification).</summary>
        public void OnValue(byte[] value)
        {
            if (IsClosed)
            {
                return;
            }

            long now = _now();
            Interlocked.Exchange(ref _lastHeardMs, now);
            lock (_gate)
            {
                _endpoint.OnValue(value, 0, value.Length, now);
            }
        }

        /// <summary>Drives retransmissions and timeouts.</summary>
        public void Step()
        {
            if (IsClosed)
            {
                return;
            }

            long now = _now();
            lock (_gate)
            {
                _endpoint.Step(now);
            }
        }

        public bool TrySend(byte[] packet, int offset, int length)
        {
            if (IsClosed)
            {
                return true;
            }

            lock (_gate)
            {
                // -1: both send slots busy; the router keeps the packet and tries again.
                return _endpoint.Sender.TryStart(packet, offset, length, _now()) >= 0;
            }
        }

        bool IGattLink.TryWrite(byte[] buffer, int offset, int length)
        {
            byte[] copy = buffer.AsSpan(offset, length).ToArray();
            return IsClosed || _out.Writer.TryWrite(copy);
        }

        void IGattReceiveListener.OnReceived(int transferId, byte[] buffer, int offset, int length)
        {
            if (_attachment == null && !Identify(buffer, offset, length))
            {
                _counters.Count(BleCounters.Unidentified);
                return;
            }

            if (!IsAuthenticatedAbove(buffer, offset, length))
            {
                _counters.Count(BleCounters.Unsealed);
                return;
            }

            _attachment?.Receive(buffer, offset, length);
        }

        /// <summary>
        /// What a BLE link lets through to the router (seed threat 3): router control (greetings with no payload,
        /// acks) and payloads that authenticate themselves: signed knowledge records and membership statements,
        /// sealed frames. Anything else, e.g. a stranger's or a beacon's own shard envelope or probe, is refused
        /// here, relayed or not. A malformed packet goes on to the router, which counts it.
        /// </summary>
        internal static bool IsAuthenticatedAbove(byte[] buffer, int offset, int length)
        {
            if (length < RoutingLimits.HeaderBytes)
            {
                return true;
            }

            int payload = length - RoutingLimits.HeaderBytes;
            bool isAck = (buffer[offset] & PacketHeaderCodec.FlagIsAck) != 0;
            if (payload == 0 || isAck)
            {
                return true;
            }

            byte kind = buffer[offset + RoutingLimits.HeaderBytes];
            return kind == MeshPayloadKind.Knowledge || kind == MeshPayloadKind.Membership || kind == MeshPayloadKind.Sealed;
        }

        void IGattReceiveListener.OnReceiveProgress(int transferId, int receivedBytes, int totalBytes)
        {
        }

        void IGattReceiveListener.OnReceiveFailed(int transferId, GattFailReason reason)
        {
            FailedTransfers++;
            _counters.Count(BleCounters.TransferFailed);
        }

        void IGattSendListener.OnSendProgress(int transferId, int ackedBytes, int totalBytes)
        {
        }

        void IGattSendListener.OnSendCompleted(int transferId)
        {
        }

        void IGattSendListener.OnSendFailed(int transferId, GattFailReason reason)
        {
            FailedTransfers++;
            _counters.Count(BleCounters.TransferFailed);
        }

        // Under _gate: a packet the peer originated itself names it (as GattMeshLinks does on the beacon).
        private bool Identify(byte[] buffer, int offset, int length)
        {
            if (length < RoutingLimits.HeaderBytes)
            {
                return false;
            }

            int hops = buffer[offset + 1];
            uint source = NetworkOrder.ReadUInt32(buffer, offset + 2);
            if ((hops & 0x07) != ((hops >> 3) & 0x07) || source == RoutingLimits.NoNode || source == RoutingLimits.Broadcast)
            {
                return false;
            }

            Volatile.Write(ref _neighbour, source);
            Attach();
            return _attachment != null;
        }

        private void Attach()
        {
            _attachment = _attach(this);
            if (_attachment == null)
            {
                _counters.Count(BleCounters.LinksRefused);
            }
        }

        private async Task WriteLoopAsync()
        {
            try
            {
                await foreach (byte[] value in _out.Reader.ReadAllAsync(_closed.Token).ConfigureAwait(false))
                {
                    await _write(value).ConfigureAwait(false);
                    _counters.ValueSent(value.Length);
                }
            }
            catch (OperationCanceledException) when (_closed.IsCancellationRequested)
            {
            }
            catch (Exception)
            {
                // The peer went away or bluetoothd refused the write: this link ends, the router reroutes.
                _counters.Count(BleCounters.WriteFailed);
                Close();
            }
        }

        /// <summary>Detaches from the router and stops writing. Idempotent.</summary>
        public void Close()
        {
            if (!_closed.IsCancellationRequested)
            {
                _closed.Cancel();
                _out.Writer.TryComplete();
                _attachment?.Detach();
            }
        }

        public async ValueTask DisposeAsync()
        {
            Close();
            await _writer.ConfigureAwait(false);
            _closed.Dispose();
        }
    }
}
